// The console page: conversations, the chat view and composer, the live feed, the inspector and
// the faults panel.

import { clear, el, safeHref } from "./dom.js";
import { has, language, onLanguageChange, setLanguage, t } from "./i18n.js";
import { Inspector } from "./inspector.js";
import { renderEntry } from "./message.js";

const CONTROL = "/_emulator";
const CONSOLE = `${CONTROL}/console`;
const UPLOAD_LIMIT = 10 * 1024 * 1024;
const ACCEPTED_IMAGES = ["image/png", "image/jpeg", "image/gif", "image/webp"];

const state = {
  world: { bots: [], conversations: [] },
  appId: null,
  key: null,
  /** Every timeline entry by `seq`. */
  entries: new Map(),
  unread: new Map(),
  /** Acknowledgement code per interaction id, once known. */
  acks: new Map(),
  ackRequested: new Set(),
  /** Speaker chosen per conversation. */
  speakers: new Map(),
  image: null,
  socket: null,
  reconnectDelay: 500,
};

const $ = (id) => document.getElementById(id);

// ------------------------------------------------------------------ helpers

let toastTimer = null;

function toast(message, isError = false) {
  const node = $("toast");
  node.textContent = message;
  node.classList.toggle("error", isError);
  node.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    node.hidden = true;
  }, 5000);
}

async function request(method, path, body, headers = {}) {
  const init = { method, headers: { ...headers } };
  if (body !== undefined) {
    if (body instanceof Blob) {
      init.body = body;
    } else {
      init.body = JSON.stringify(body);
      init.headers["content-type"] = "application/json";
    }
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let value = null;
  try {
    value = text ? JSON.parse(text) : null;
  } catch {
    value = null;
  }
  if (!response.ok) {
    throw new Error(value?.error ?? t("requestFailed", { status: response.status }));
  }
  return value;
}

function conversationId(conversation) {
  return `${conversation.app_id}|${conversation.key}`;
}

function currentConversation() {
  return state.world.conversations.find(
    (conversation) => conversation.app_id === state.appId && conversation.key === state.key,
  );
}

function botOf(appId) {
  return state.world.bots.find((bot) => bot.app_id === appId) ?? { app_id: appId, username: appId, user_id: "" };
}

function currentSpeaker(conversation) {
  const chosen = state.speakers.get(conversationId(conversation));
  return conversation.speakers.find((speaker) => speaker.user_id === chosen) ?? conversation.speakers[0] ?? null;
}

/** Returns the display name of a user id or openid (in this bot's openids), or null. */
function nameOf(appId, id) {
  if (!id) {
    return null;
  }
  const bot = botOf(appId);
  if (id === bot.user_id) {
    return bot.username;
  }
  for (const conversation of state.world.conversations) {
    if (conversation.app_id !== appId) {
      continue;
    }
    const speaker = conversation.speakers.find((candidate) => candidate.user_id === id || candidate.openid === id);
    if (speaker) {
      return speaker.name;
    }
  }
  return null;
}

function channelName(appId, id) {
  const channel = state.world.conversations.find(
    (conversation) => conversation.app_id === appId && conversation.key === `channel:${id}`,
  );
  return channel ? channel.name : null;
}

function entriesOf(conversation) {
  return [...state.entries.values()]
    .filter((entry) => entry.app_id === conversation.app_id && entry.conversation === conversation.key)
    .sort((a, b) => a.seq - b.seq);
}

// ------------------------------------------------------------------ world and sidebar

async function loadWorld() {
  state.world = await request("GET", `${CONSOLE}/state`);
  if (!state.world.bots.some((bot) => bot.app_id === state.appId)) {
    state.appId = state.world.bots[0]?.app_id ?? null;
  }
  if (!currentConversation()) {
    state.key = state.world.conversations.find((conversation) => conversation.app_id === state.appId)?.key ?? null;
  }
  renderBots();
  renderSidebar();
  renderChat();
  inspector.setBot(state.appId);
  renderFaultTarget();
}

function renderBots() {
  const select = $("bot-select");
  select.replaceChildren(
    ...state.world.bots.map((bot) =>
      el("option", { value: bot.app_id, selected: bot.app_id === state.appId, text: `${bot.username} (${bot.app_id})` }),
    ),
  );
}

const SECTIONS = [
  ["group", "groups"],
  ["c2c", "c2c"],
  ["channel", "channels"],
  ["dm", "dms"],
];

/** Returns the conversation's one-character mark: `#` for channels, else its name's first letter. */
function kindMark(conversation) {
  if (conversation.kind === "channel") {
    return "#";
  }
  return (Array.from(conversation.name.trim())[0] ?? "?").toUpperCase();
}

function conversationButton(conversation) {
  const unread = state.unread.get(conversationId(conversation)) ?? 0;
  const selected = conversation.key === state.key;
  const detail = conversation.kind === "c2c" && !conversation.friend ? t("notFriend") : null;
  return el(
    "li",
    {},
    el(
      "button",
      {
        type: "button",
        class: "conversation",
        "aria-current": selected ? "true" : null,
        "data-testid": "conversation",
        "data-key": conversation.key,
        "data-kind": conversation.kind,
        on: { click: () => selectConversation(conversation.key) },
      },
      el("span", { class: `kind-icon kind-${conversation.kind}`, "aria-hidden": "true", text: kindMark(conversation) }),
      el("span", { class: "conversation-name", text: conversation.name }),
      detail ? el("span", { class: "conversation-detail", text: detail }) : null,
      unread ? el("span", { class: "unread", "aria-label": t("unread", { n: unread }), text: String(unread) }) : null,
    ),
  );
}

function renderSidebar() {
  const list = clear($("conversation-list"));
  const mine = state.world.conversations.filter((conversation) => conversation.app_id === state.appId);
  if (!mine.length) {
    list.append(el("p", { class: "empty", text: t("noConversations") }));
    return;
  }
  for (const [kind, label] of SECTIONS) {
    const ofKind = mine.filter((conversation) => conversation.kind === kind);
    if (!ofKind.length) {
      continue;
    }
    const section = el("section", { class: "sidebar-section" }, el("h3", { text: t(label) }));
    if (kind === "channel") {
      const guilds = [...new Set(ofKind.map((conversation) => conversation.guild ?? ""))];
      for (const guild of guilds) {
        section.append(
          el("h4", { text: guild }),
          el("ul", {}, ofKind.filter((conversation) => (conversation.guild ?? "") === guild).map(conversationButton)),
        );
      }
    } else {
      section.append(el("ul", {}, ofKind.map(conversationButton)));
    }
    list.append(section);
  }
}

function selectConversation(key) {
  state.key = key;
  const conversation = currentConversation();
  if (conversation) {
    state.unread.delete(conversationId(conversation));
  }
  renderSidebar();
  renderChat();
  $("composer-text").focus();
}

// ------------------------------------------------------------------ chat view

function renderContext(conversation) {
  return {
    bot: botOf(conversation.app_id),
    conversation,
    user: (id) => nameOf(conversation.app_id, id),
    channel: (id) => channelName(conversation.app_id, id),
    quoted: (id) => quotedEntry(conversation, id),
    ack: (interactionId) => {
      requestAck(conversation.app_id, interactionId);
      return state.acks.get(interactionId);
    },
    buttonLabel: (buttonId) => buttonLabel(conversation, buttonId),
    command: (command) => useCommand(command),
    button: (button, entry, node) => clickButton(button, entry, node),
  };
}

function quotedEntry(conversation, id) {
  if (!id) {
    return null;
  }
  return entriesOf(conversation).find((entry) => entry.id === id || entry.ref_idx === id) ?? null;
}

function buttonLabel(conversation, buttonId) {
  if (!buttonId) {
    return null;
  }
  for (const entry of entriesOf(conversation).reverse()) {
    for (const row of entry.keyboard?.content?.rows ?? []) {
      for (const button of row?.buttons ?? []) {
        if (button?.id === buttonId) {
          return String(button.render_data?.label ?? buttonId);
        }
      }
    }
  }
  return null;
}

/** Translates a group role; guild role names are returned as the world names them. */
function roleName(role) {
  return has(`roles.${role}`) ? t(`roles.${role}`) : role;
}

function renderComposer(conversation) {
  const select = $("speaker-select");
  const speaker = currentSpeaker(conversation);
  select.replaceChildren(
    ...conversation.speakers.map((candidate) =>
      el("option", {
        value: candidate.user_id,
        selected: candidate.user_id === speaker?.user_id,
        text: candidate.role ? `${candidate.name} (${roleName(candidate.role)})` : candidate.name,
      }),
    ),
  );
  select.disabled = conversation.speakers.length < 2;
  $("mention-wrapper").hidden = !conversation.scene_at;
  const banner = $("friend-banner");
  banner.hidden = !(conversation.kind === "c2c" && !conversation.friend);
  if (!banner.hidden) {
    $("friend-text").textContent = t("notFriendBanner", { name: conversation.name });
  }
}

function renderChat() {
  const conversation = currentConversation();
  const timeline = clear($("timeline"));
  $("composer").hidden = !conversation;
  if (!conversation) {
    $("chat-title").textContent = t("conversations");
    $("chat-subtitle").textContent = "";
    timeline.append(el("p", { class: "empty", text: t("pickConversation") }));
    $("friend-banner").hidden = true;
    return;
  }
  $("chat-title").textContent = conversation.guild ? `${conversation.guild} · #${conversation.name}` : conversation.name;
  $("chat-subtitle").textContent = conversation.key;
  renderComposer(conversation);
  const context = renderContext(conversation);
  for (const entry of entriesOf(conversation)) {
    timeline.append(renderEntry(entry, context));
  }
  followTimeline = true;
  scrollTimeline();
}

/** Whether the timeline follows new messages: true unless the reader scrolled up. */
let followTimeline = true;
let timelineTop = 0;

function scrollTimeline() {
  const timeline = $("timeline");
  if (followTimeline) {
    timeline.scrollTop = timeline.scrollHeight;
  }
}

/** Adds or replaces one entry in the open conversation without redrawing the rest. */
function showEntry(entry) {
  const conversation = currentConversation();
  const timeline = $("timeline");
  const node = renderEntry(entry, renderContext(conversation));
  const existing = timeline.querySelector(`[data-seq="${Number(entry.seq)}"]`);
  if (existing) {
    existing.replaceWith(node);
  } else {
    timeline.querySelector(":scope > .empty")?.remove();
    timeline.append(node);
  }
  if (entry.from === "user") {
    followTimeline = true;
  }
  scrollTimeline();
}

function addEntry(entry) {
  state.entries.set(entry.seq, entry);
  const conversation = currentConversation();
  if (conversation && entry.app_id === conversation.app_id && entry.conversation === conversation.key) {
    showEntry(entry);
    return;
  }
  const id = `${entry.app_id}|${entry.conversation}`;
  state.unread.set(id, (state.unread.get(id) ?? 0) + 1);
  if (entry.app_id === state.appId) {
    renderSidebar();
  }
}

function requestAck(appId, interactionId) {
  if (!interactionId || state.acks.has(interactionId) || state.ackRequested.has(interactionId)) {
    return;
  }
  state.ackRequested.add(interactionId);
  request("GET", `${CONTROL}/interactions/${encodeURIComponent(interactionId)}?app_id=${encodeURIComponent(appId)}`)
    .then((ack) => {
      if (ack?.acknowledged) {
        state.acks.set(interactionId, ack.code);
        refreshClick(interactionId);
      } else {
        state.ackRequested.delete(interactionId);
      }
    })
    .catch(() => state.ackRequested.delete(interactionId));
}

function refreshClick(interactionId) {
  for (const entry of state.entries.values()) {
    if (entry.kind === "click" && entry.id === interactionId) {
      const conversation = currentConversation();
      if (conversation && entry.app_id === conversation.app_id && entry.conversation === conversation.key) {
        showEntry(entry);
      }
    }
  }
}

// ------------------------------------------------------------------ sending

function composerText() {
  return $("composer-text");
}

async function sendMessage(text, { mention } = {}) {
  const conversation = currentConversation();
  if (!conversation) {
    return;
  }
  const image = state.image;
  if (!text.trim() && !image) {
    return;
  }
  const speaker = currentSpeaker(conversation);
  const at = Boolean(conversation.scene_at) && (mention ?? $("mention-bot").checked);
  const button = $("send-button");
  button.disabled = true;
  button.textContent = t("sending");
  try {
    const attachments = [];
    if (image) {
      const query = new URLSearchParams({
        filename: image.file.name,
        width: String(image.width),
        height: String(image.height),
      });
      attachments.push(await request("POST", `${CONSOLE}/upload?${query}`, image.file));
    }
    const injected = await request("POST", `${CONTROL}/inject/message`, {
      app_id: conversation.app_id,
      scene: at ? conversation.scene_at : conversation.scene_plain,
      target: conversation.target,
      author: speaker?.user_id,
      content: text,
      attachments,
    });
    if (!injected?.event_types?.length) {
      toast(t("notDelivered", { reason: t("onlyMentions") }), true);
    }
    return injected;
  } catch (error) {
    toast(t("error", { message: error.message }), true);
    return null;
  } finally {
    button.disabled = false;
    button.textContent = t("send");
  }
}

async function submitComposer(event) {
  event?.preventDefault();
  const input = composerText();
  const text = input.value;
  const injected = await sendMessage(text);
  if (injected) {
    input.value = "";
    removeImage();
  }
  input.focus();
}

function useCommand({ text, enter }) {
  if (enter) {
    sendMessage(text, { mention: true });
    return;
  }
  const input = composerText();
  input.value = text;
  $("mention-bot").checked = true;
  input.focus();
  toast(t("commandInserted"));
}

/** Returns whether the current speaker may click a button with this `action.permission`. */
function mayClick(permission, conversation, speaker) {
  const type = Number(permission?.type ?? 2);
  if (type === 2 || !speaker) {
    return true;
  }
  if (type === 0) {
    const ids = Array.isArray(permission.specify_user_ids) ? permission.specify_user_ids : [];
    return ids.includes(speaker.user_id) || (speaker.openid && ids.includes(speaker.openid));
  }
  if (type === 1) {
    return /owner|admin|管理|创建者|频道主/i.test(speaker.role);
  }
  if (type === 3) {
    return true;
  }
  return true;
}

async function clickButton(button, entry, node) {
  const conversation = currentConversation();
  const speaker = currentSpeaker(conversation);
  const action = button?.action ?? {};
  if (!mayClick(action.permission, conversation, speaker)) {
    toast(t("noPermission", { name: speaker?.name ?? "" }), true);
    return;
  }
  const data = String(action.data ?? "");
  switch (Number(action.type)) {
    case 0: {
      const href = safeHref(data);
      if (!href) {
        toast(t("linkBlocked"), true);
        return;
      }
      window.open(href, "_blank", "noopener,noreferrer");
      break;
    }
    case 1: {
      if (!conversation.click_scene) {
        toast(t("clickUnsupported"), true);
        return;
      }
      try {
        await request("POST", `${CONTROL}/inject/interaction`, {
          app_id: conversation.app_id,
          scene: conversation.click_scene,
          target: conversation.target,
          user: speaker?.user_id,
          button_id: String(button.id ?? ""),
          button_data: data,
          message_id: conversation.kind === "channel" ? entry.id : undefined,
        });
      } catch (error) {
        toast(t("error", { message: error.message }), true);
        return;
      }
      break;
    }
    case 2:
      useCommand({ text: data, enter: Boolean(action.enter) });
      break;
    default:
      toast(t("clickUnsupported"), true);
      return;
  }
  const visited = button?.render_data?.visited_label;
  if (visited) {
    node.textContent = String(visited);
  }
}

async function pickImage() {
  const file = $("image-input").files?.[0];
  $("image-input").value = "";
  if (!file) {
    return;
  }
  if (!ACCEPTED_IMAGES.includes(file.type)) {
    toast(t("error", { message: "PNG, JPEG, GIF, WebP" }), true);
    return;
  }
  if (file.size > UPLOAD_LIMIT) {
    toast(t("imageTooLarge"), true);
    return;
  }
  let width = 0;
  let height = 0;
  try {
    const bitmap = await createImageBitmap(file);
    width = bitmap.width;
    height = bitmap.height;
    bitmap.close();
  } catch {
    // The size stays unknown, so the attachment reports 0 × 0.
  }
  removeImage();
  const url = URL.createObjectURL(file);
  state.image = { file, url, width, height };
  const preview = clear($("image-preview"));
  preview.append(
    el("img", { src: url, alt: file.name }),
    el("button", { type: "button", class: "link-button", text: t("removeImage"), on: { click: removeImage } }),
  );
  preview.hidden = false;
}

function removeImage() {
  if (state.image) {
    URL.revokeObjectURL(state.image.url);
  }
  state.image = null;
  const preview = clear($("image-preview"));
  preview.hidden = true;
}

async function addFriend() {
  const conversation = currentConversation();
  const speaker = conversation?.speakers[0];
  if (!speaker) {
    return;
  }
  try {
    await request("POST", `${CONTROL}/inject/friend`, { app_id: conversation.app_id, user: speaker.user_id, action: "add" });
    toast(t("friendAdded", { name: speaker.name }));
    await loadWorld();
  } catch (error) {
    toast(t("error", { message: error.message }), true);
  }
}

// ------------------------------------------------------------------ faults

function renderFaultTarget() {
  $("fault-target").textContent = t("faultTarget", { bot: botOf(state.appId).username });
}

async function gatewayFault(label, fault) {
  try {
    const result = await request("POST", `${CONTROL}/faults/gateway`, { app_id: state.appId, ...fault });
    toast(t("faultApplied", { fault: label, n: result?.sessions ?? 0 }));
  } catch (error) {
    toast(t("error", { message: error.message }), true);
  }
}

async function simpleFault(label, path, body, method = "POST") {
  try {
    await request(method, `${CONTROL}${path}`, body);
    toast(t("faultArmed", { fault: label }));
  } catch (error) {
    toast(t("error", { message: error.message }), true);
  }
}

const GATEWAY_FAULTS = [
  ["fault-drop", "dropConnection", { action: "drop" }],
  ["fault-stop-acks", "stopAcks", { action: "stop_acks" }],
  ["fault-resume-acks", "resumeAcks", { action: "resume_acks" }],
  ["fault-reconnect", "sendReconnect", { action: "reconnect" }],
  ["fault-invalid-resumable", "sendInvalidResumable", { action: "invalid_session", resumable: true }],
  ["fault-invalid-fresh", "sendInvalidFresh", { action: "invalid_session", resumable: false }],
];

function bindFaults() {
  for (const [id, label, fault] of GATEWAY_FAULTS) {
    $(id).addEventListener("click", () => gatewayFault(t(label), fault));
  }
  $("fault-close").addEventListener("click", () => {
    const code = Number($("close-code").value);
    gatewayFault(`${t("close")} ${code}`, { action: "close", code, reason: "closed from the console" });
  });
  $("fault-rest").addEventListener("click", () => {
    const [status, code] = $("rest-kind").value.split("/").map(Number);
    const count = Number($("rest-count").value);
    simpleFault(`${t("failRest")} ×${count} (${status}/${code})`, "/faults/rest", { count, status, code });
  });
  $("fault-expire").addEventListener("click", () => simpleFault(t("expireToken"), "/tokens/expire", { app_id: state.appId }));
  $("fault-clear").addEventListener("click", () => simpleFault(t("clearFaults"), "/faults", undefined, "DELETE"));
}

// ------------------------------------------------------------------ live feed

const inspector = new Inspector({
  body: $("log-body"),
  scroller: $("log-scroller"),
  filter: $("log-filter"),
  kind: $("log-kind"),
  heartbeats: $("log-heartbeats"),
  pause: $("log-pause"),
  clear: $("log-clear"),
  sessions: $("sessions"),
});

function setFeedStatus(key, live) {
  const node = $("feed-status");
  node.textContent = t(key);
  node.dataset.state = live ? "live" : "down";
  node.dataset.key = key;
}

function handleInspect(stamped) {
  inspector.add(stamped);
  const event = stamped.event;
  if (event.kind !== "rest" || event.status >= 300) {
    return;
  }
  if (event.method === "PUT" && event.route === "/interactions/{interaction_id}") {
    const id = decodeURIComponent(event.path.split("/").pop() ?? "");
    state.ackRequested.delete(id);
    requestAck(event.app_id ?? state.appId, id);
  } else if (event.method === "DELETE" && event.route.includes("/messages/")) {
    // A recall changes an entry that is already shown: fetch the timeline again.
    state.socket?.send(JSON.stringify({ type: "snapshot" }));
  }
}

function handleFeed(message) {
  switch (message.type) {
    case "hello":
      state.entries.clear();
      for (const entry of message.timeline) {
        state.entries.set(entry.seq, entry);
      }
      inspector.setSessions(message.sessions);
      inspector.reset(message.inspector.map((item) => ({ at_ms: item.at_ms, event: item.event })));
      renderChat();
      break;
    case "entry":
      addEntry(message.entry);
      break;
    case "inspect":
      handleInspect({ at_ms: message.at_ms, event: message.event });
      break;
    case "sessions":
      inspector.setSessions(message.sessions);
      break;
    default:
      break;
  }
}

function connectFeed() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}${CONSOLE}/feed`);
  state.socket = socket;
  setFeedStatus("feedConnecting", false);
  socket.addEventListener("open", () => {
    state.reconnectDelay = 500;
    setFeedStatus("feedLive", true);
  });
  socket.addEventListener("message", (event) => {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    handleFeed(message);
  });
  socket.addEventListener("close", () => {
    if (state.socket !== socket) {
      return;
    }
    setFeedStatus("feedLost", false);
    setTimeout(connectFeed, state.reconnectDelay);
    state.reconnectDelay = Math.min(state.reconnectDelay * 2, 10_000);
  });
}

// ------------------------------------------------------------------ language

function applyTexts() {
  document.documentElement.lang = language();
  document.title = t("title");
  for (const node of document.querySelectorAll("[data-i18n]")) {
    node.textContent = t(node.dataset.i18n);
  }
  for (const node of document.querySelectorAll("[data-i18n-placeholder]")) {
    node.setAttribute("placeholder", t(node.dataset.i18nPlaceholder));
  }
  for (const node of document.querySelectorAll("[data-i18n-label]")) {
    node.setAttribute("aria-label", t(node.dataset.i18nLabel));
  }
  $("lang-select").value = language();
  setFeedStatus($("feed-status").dataset.key || "feedConnecting", $("feed-status").dataset.state === "live");
}

onLanguageChange(() => {
  applyTexts();
  renderSidebar();
  renderChat();
  renderFaultTarget();
  inspector.relabel();
});

// ------------------------------------------------------------------ start

function bind() {
  $("lang-select").addEventListener("change", (event) => setLanguage(event.target.value));
  $("bot-select").addEventListener("change", (event) => {
    state.appId = event.target.value;
    state.key = state.world.conversations.find((conversation) => conversation.app_id === state.appId)?.key ?? null;
    renderSidebar();
    renderChat();
    inspector.setBot(state.appId);
    renderFaultTarget();
  });
  $("speaker-select").addEventListener("change", (event) => {
    const conversation = currentConversation();
    if (conversation) {
      state.speakers.set(conversationId(conversation), event.target.value);
    }
  });
  $("composer").addEventListener("submit", submitComposer);
  composerText().addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      submitComposer(event);
    }
  });
  $("image-button").addEventListener("click", () => $("image-input").click());
  $("image-input").addEventListener("change", pickImage);
  $("add-friend").addEventListener("click", addFriend);
  const timeline = $("timeline");
  // Only a move up stops following, as in the inspector (see inspector.js).
  timeline.addEventListener("scroll", () => {
    if (timeline.scrollHeight - timeline.scrollTop - timeline.clientHeight < 80) {
      followTimeline = true;
    } else if (timeline.scrollTop < timelineTop) {
      followTimeline = false;
    }
    timelineTop = timeline.scrollTop;
  });
  // Pictures change the height when they load; stay at the bottom if the reader was there.
  timeline.addEventListener("load", scrollTimeline, true);
  new ResizeObserver(scrollTimeline).observe(timeline);
  bindFaults();
}

async function start() {
  applyTexts();
  bind();
  try {
    await loadWorld();
  } catch (error) {
    toast(t("error", { message: error.message }), true);
  }
  connectFeed();
}

start();
