// Hostile messages for the console test: HTML, `javascript:` links and pictures, Ark, Embed
// and keyboard values. They are sent through the emulator's OpenAPI as the example bot and
// through the control API as a user. `timelineProblems` lists anything in the timeline that could
// run script.

const APP_ID = "102000001";
const APP_SECRET = "ExampleBotSecret01";
const CHANNEL = "5550001";

// ------------------------------------------------------------------ the bot's side of the API

async function botToken(base) {
  const response = await fetch(`${base}app/getAppAccessToken`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ appId: APP_ID, clientSecret: APP_SECRET }),
  });
  return (await response.json()).access_token;
}

/** Sends a message as the example bot; fails unless the emulator accepts it. */
async function sendAsBot(base, token, path, body) {
  const response = await fetch(`${base}${path.slice(1)}`, {
    method: "POST",
    headers: { authorization: `QQBot ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`${path} returned HTTP ${response.status}: ${await response.text()}`);
  }
}

async function control(base, path, body) {
  const response = await fetch(`${base}_emulator${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`${path} returned HTTP ${response.status}: ${await response.text()}`);
  }
  return response.json();
}

const HOSTILE_HTML = `<img src=x onerror="window.__xss='html'"><script>window.__xss='script'</script><b onmouseover="window.__xss='b'">bold?</b>`;

const HOSTILE_MARKDOWN = [
  "# <img src=x onerror=\"window.__xss='heading'\">",
  "[link](javascript:window.__xss='md-link') and [mixed](JaVaScRiPt:window.__xss=1) and [data](data:text/html,<script>window.__xss=1</script>)",
  "![picture](javascript:window.__xss='md-image') ![remote #20px #20px](http://198.51.100.7/tracker.png)",
  "<svg onload=\"window.__xss='svg'\"></svg> <iframe src=\"javascript:window.__xss='iframe'\"></iframe>",
  "<qqbot-cmd-input text=\"%3Cimg%20src%3Dx%20onerror%3Dwindow.__xss%3D1%3E\" show=\"<b>run</b>\" reference=\"false\" />",
  "- **list** item with <a href=\"javascript:window.__xss='a'\">an anchor</a>",
].join("\n");

const HOSTILE_KEYBOARD = {
  content: {
    rows: [
      {
        buttons: [
          {
            id: "evil-link",
            render_data: { label: "<img src=x onerror=\"window.__xss='label'\">", visited_label: "<b>v</b>", style: 1 },
            action: { type: 0, data: "javascript:window.__xss='button-link'", permission: { type: 2 }, unsupport_tips: "x" },
          },
          {
            id: "evil-callback",
            render_data: { label: "callback \"><script>", visited_label: "done", style: 4 },
            action: { type: 1, data: "<script>window.__xss='data'</script>", permission: { type: 2 }, unsupport_tips: "x" },
          },
        ],
      },
    ],
  },
};

function ark(templateId, pairs, list) {
  const kv = Object.entries(pairs).map(([key, value]) => ({ key, value }));
  if (list) {
    kv.push({ key: "#LIST#", obj: list.map((item) => ({ obj_kv: Object.entries(item).map(([key, value]) => ({ key, value })) })) });
  }
  return { template_id: templateId, kv };
}

/** Sends hostile messages to the full group (proactive messages are allowed there) and a channel. */
export async function sendHostileMessages(base, fullGroup) {
  // Text channels take 5 messages a second; a pause between sends keeps the bot's own replies
  // under that limit.
  const pause = () => new Promise((resolve) => setTimeout(resolve, 300));
  const token = await botToken(base);
  await sendAsBot(base, token, `/v2/groups/${fullGroup}/messages`, { msg_type: 0, content: HOSTILE_HTML });
  await sendAsBot(base, token, `/v2/groups/${fullGroup}/messages`, {
    msg_type: 2,
    markdown: { content: HOSTILE_MARKDOWN },
    keyboard: HOSTILE_KEYBOARD,
  });
  await pause();
  await sendAsBot(base, token, `/channels/${CHANNEL}/messages`, {
    ark: ark(24, {
      "#TITLE#": "<script>window.__xss='ark-title'</script>",
      "#METADESC#": "<img src=x onerror=\"window.__xss='ark-desc'\">",
      "#IMG#": "javascript:window.__xss='ark-img'",
      "#LINK#": "javascript:window.__xss='ark-link'",
      "#PROMPT#": "<b>prompt</b>",
    }),
  });
  await pause();
  await sendAsBot(base, token, `/channels/${CHANNEL}/messages`, {
    ark: ark(23, { "#DESC#": "list <i>card</i>" }, [
      { desc: "<img src=x onerror=\"window.__xss='ark-list'\">", link: "javascript:window.__xss='ark-list-link'" },
      { desc: "a safe link", link: "https://example.com/" },
    ]),
  });
  await pause();
  await sendAsBot(base, token, `/channels/${CHANNEL}/messages`, {
    ark: ark(37, {
      "#METATITLE#": "cover",
      "#METACOVER#": "http://198.51.100.7/cover.png",
      "#METAURL#": "vbscript:msgbox(1)",
    }),
  });
  await pause();
  await sendAsBot(base, token, `/channels/${CHANNEL}/messages`, {
    embed: {
      title: "<script>window.__xss='embed'</script>",
      prompt: "<img src=x onerror=1>",
      thumbnail: { url: "javascript:window.__xss='thumb'" },
      fields: [{ name: "<b onclick=\"window.__xss='field'\">field</b>" }],
    },
  });
  await pause();
  await sendAsBot(base, token, `/channels/${CHANNEL}/messages`, {
    content: "&lt;img src=x onerror=\"window.__xss='guild'\"&gt; <@!14400000000000001>",
  });
  await pause();
  // A user message can be hostile too: its text and its attachment URL.
  await control(base, "/inject/message", {
    scene: "guild_at",
    target: CHANNEL,
    content: "<img src=x onerror=\"window.__xss='user'\">",
    attachments: [{ content_type: "image/png", filename: "<b>x</b>.png", url: "javascript:window.__xss='attachment'" }],
  });
}

/** Lists what in the timeline could run script or reach another host; empty when safe. */
export function timelineProblems() {
  const root = document.getElementById("timeline");
  const problems = [];
  if (window.__xss !== undefined) {
    problems.push(`script ran: ${window.__xss}`);
  }
  for (const node of root.querySelectorAll("*")) {
    const tag = node.tagName.toLowerCase();
    if (["script", "iframe", "object", "embed", "style", "link", "meta", "base", "form", "svg"].includes(tag)) {
      problems.push(`element <${tag}>`);
    }
    for (const attribute of node.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on")) {
        problems.push(`<${tag} ${name}>`);
      }
      if (name === "href" && !/^https?:\/\//i.test(attribute.value)) {
        problems.push(`<${tag} href="${attribute.value}">`);
      }
      if (name === "src" && !attribute.value.startsWith(location.origin)) {
        problems.push(`<${tag} src="${attribute.value}">`);
      }
    }
  }
  return problems;
}
