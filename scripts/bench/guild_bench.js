// A qq-guild-bot (npm 2.9.5) bot for scripts/bench.sh: it counts guild @ messages
// (AT_MESSAGE_CREATE) other than "ping", prints `BENCH done` once it has counted BENCH_EVENTS of
// them, and replies "pong" to "ping". scripts/bench.sh patches the package's hosts to the
// emulator as scripts/interop.sh does; qie-bench starts it with BENCH_APP_ID, BENCH_TOKEN (the
// legacy static token) and BENCH_EVENTS.

'use strict';

const { createOpenAPI, createWebsocket } = require('qq-guild-bot');

const config = {
  appID: process.env.BENCH_APP_ID,
  token: process.env.BENCH_TOKEN,
  intents: ['PUBLIC_GUILD_MESSAGES'],
  sandbox: false,
};
const expected = Number(process.env.BENCH_EVENTS || '10000');

const client = createOpenAPI(config);
const ws = createWebsocket(config);
let seen = 0;

ws.on('PUBLIC_GUILD_MESSAGES', async (event) => {
  if (event.eventType !== 'AT_MESSAGE_CREATE') {
    return;
  }
  const message = event.msg;
  const text = message.content.replace(/<@!?\d+>/g, '').trim();
  if (text !== 'ping') {
    seen += 1;
    if (seen === expected) {
      console.log('BENCH done');
    }
    return;
  }
  try {
    await client.messageApi.postMessage(message.channel_id, { content: 'pong', msg_id: message.id });
  } catch (error) {
    console.error(`reply failed: ${JSON.stringify(error)}`);
  }
});
