// A qq-guild-bot (npm 2.9.5) bot that replies "pong" to "ping" when @-mentioned in a guild
// channel (AT_MESSAGE_CREATE).
//
// Run by scripts/interop.sh with INTEROP_APP_ID and INTEROP_BOT_TOKEN (the bot's legacy static
// token). The package's REST and gateway hosts are patched to the emulator before this starts.
// It prints one `INTEROP received guild_at MSG_ID` line per handled message and one
// `INTEROP replied guild_at MSG_ID` line per reply the emulator accepted.

'use strict';

const { createOpenAPI, createWebsocket } = require('qq-guild-bot');

const config = {
  appID: process.env.INTEROP_APP_ID,
  token: process.env.INTEROP_BOT_TOKEN,
  intents: ['PUBLIC_GUILD_MESSAGES'],
  sandbox: false,
};

const client = createOpenAPI(config);
const ws = createWebsocket(config);

function report(step, msgId) {
  console.log(`INTEROP ${step} guild_at ${msgId}`);
}

ws.on('READY', () => console.log('INTEROP ready'));

ws.on('PUBLIC_GUILD_MESSAGES', async (event) => {
  if (event.eventType !== 'AT_MESSAGE_CREATE') {
    return;
  }
  const message = event.msg;
  report('received', message.id);
  // The content starts with the bot's mention, `<@!BOT_ID> ping`.
  const text = message.content.replace(/<@!?\d+>/g, '').trim();
  if (text !== 'ping') {
    return;
  }
  try {
    await client.messageApi.postMessage(message.channel_id, { content: 'pong', msg_id: message.id });
    report('replied', message.id);
  } catch (error) {
    console.log(`INTEROP reply failed: ${JSON.stringify(error)}`);
  }
});
