// Texts of the console in Simplified Chinese and English, and the language choice.
//
// The language comes from `?lang=en` or `?lang=zh-CN`, then the choice saved in localStorage,
// then the browser's languages (any `zh…` picks Chinese), then English.

const TEXTS = {
  "zh-CN": {
    title: "qie 模拟器控制台",
    skipToComposer: "跳到输入框",
    language: "语言",
    bot: "机器人",
    feedLive: "实时连接",
    feedConnecting: "正在连接…",
    feedLost: "连接断开，正在重连…",
    conversations: "会话",
    groups: "群聊",
    c2c: "单聊（C2C）",
    channels: "频道",
    dms: "频道私信",
    noConversations: "这个机器人没有会话",
    notFriend: "未添加机器人",
    unread: "{n} 条新消息",
    pickConversation: "在左侧选择一个会话，扮演用户和机器人对话。",
    speakAs: "发言人",
    mentionBot: "@机器人",
    message: "消息",
    messagePlaceholder: "输入消息，Enter 发送，Shift+Enter 换行",
    attachImage: "图片",
    removeImage: "移除图片",
    send: "发送",
    sending: "发送中…",
    notDelivered: "没有送达机器人：{reason}",
    onlyMentions: "这个群只把 @机器人 的消息推送给机器人",
    notFriendBanner: "{name} 还没有添加机器人，发消息会被拒绝。",
    addFriend: "添加好友（FRIEND_ADD）",
    friendAdded: "{name} 已添加机器人",
    botBadge: "机器人",
    you: "用户",
    passive: "被动回复",
    proactive: "主动消息",
    replyTo: "回复 {id}",
    recalled: "已撤回",
    typing: "{name} 正在输入…",
    clicked: "{name} 点击了按钮 {label}",
    clickAcked: "已确认（code {code}）",
    clickPending: "等待机器人确认",
    deliveredAs: "推送为 {types}",
    rawJson: "JSON",
    quote: "引用",
    quoteUnknown: "引用的消息（{id}）",
    image: "图片",
    video: "视频",
    voice: "语音",
    file: "文件",
    mediaNotKept: "富媒体（{kind}），内容未保留",
    externalImage: "外部图片（未加载）",
    markdownTemplate: "Markdown 模板 {id}",
    keyboardTemplate: "按钮模板 {id}",
    arkCard: "Ark 模板 {id}",
    embedCard: "Embed",
    openLink: "打开链接",
    linkBlocked: "链接已拦截：只允许 http 和 https",
    noPermission: "{name} 没有权限点击这个按钮",
    commandInserted: "已把命令填入输入框",
    clickUnsupported: "这个场景不能点击按钮",
    mention: "@{name}",
    mentionEveryone: "@全体成员",
    roles: {
      owner: "群主",
      admin: "管理员",
      member: "成员",
    },
    notice: {
      GROUP_ADD_ROBOT: "{name} 把机器人加入了群",
      GROUP_DEL_ROBOT: "{name} 把机器人移出了群",
      GROUP_MSG_RECEIVE: "{name} 开启了机器人主动消息",
      GROUP_MSG_REJECT: "{name} 关闭了机器人主动消息",
      GROUP_MEMBER_ADD: "{name} 加入了群",
      GROUP_MEMBER_REMOVE: "{name} 离开了群",
      FRIEND_ADD: "{name} 添加了机器人",
      FRIEND_DEL: "{name} 删除了机器人",
      C2C_MSG_RECEIVE: "{name} 允许机器人主动发消息",
      C2C_MSG_REJECT: "{name} 拒绝机器人主动发消息",
    },
    session: "会话状态",
    noSession: "这个机器人没有网关会话",
    connected: "已连接",
    disconnected: "未连接",
    sessionId: "session_id",
    lastSeq: "最新 seq",
    heartbeatRtt: "心跳 RTT",
    heartbeatRttHelp: "模拟器收到心跳（op 1）到发出 ACK（op 11）的时间",
    lastHeartbeat: "上次心跳",
    secondsAgo: "{n} 秒前",
    acksPaused: "已停止 ACK",
    unanswered: "{n} 次心跳未应答",
    resumable: "可恢复",
    notResumable: "不可恢复",
    resumes: "Resume 次数",
    lastClose: "最近关闭码",
    shard: "分片",
    connection: "连接编号",
    faults: "故障注入",
    faultTarget: "作用于 {bot} 的所有会话",
    dropConnection: "断开连接",
    stopAcks: "停止心跳 ACK",
    resumeAcks: "恢复心跳 ACK",
    sendReconnect: "发送 op 7（重连）",
    sendInvalidResumable: "发送 op 9（可恢复）",
    sendInvalidFresh: "发送 op 9（不可恢复）",
    closeWith: "按关闭码断开",
    close: "关闭",
    failRest: "让 REST 调用失败",
    failRestCount: "次数",
    failRestKind: "错误",
    fail: "失败",
    expireToken: "让 access_token 过期",
    clearFaults: "清除故障",
    faultApplied: "{fault}：作用于 {n} 个会话",
    faultArmed: "{fault}：已生效",
    inspector: "流量检查器",
    filter: "筛选",
    filterPlaceholder: "事件、路由、op、状态码…",
    kindAll: "全部",
    kindGateway: "网关",
    kindRest: "REST",
    showHeartbeats: "显示心跳",
    pause: "暂停",
    resume: "继续",
    clear: "清空",
    colTime: "时间",
    colKind: "类型",
    colOp: "op / 方法",
    colEvent: "事件 / 路由",
    colSeq: "seq / 状态",
    colCode: "code",
    colLatency: "ms",
    inbound: "收",
    outbound: "发",
    closeFrame: "关闭 {code}",
    lagged: "检查器跳过了 {n} 个事件",
    firehose: "firehose {n} 帧",
    error: "错误：{message}",
    requestFailed: "请求失败（HTTP {status}）",
    imageTooLarge: "图片超过 10 MB",
  },
  en: {
    title: "qie emulator console",
    skipToComposer: "Skip to the message box",
    language: "Language",
    bot: "Bot",
    feedLive: "Live",
    feedConnecting: "Connecting…",
    feedLost: "Connection lost, reconnecting…",
    conversations: "Conversations",
    groups: "Groups",
    c2c: "C2C (one-to-one)",
    channels: "Guild channels",
    dms: "Guild DMs",
    noConversations: "This bot has no conversations",
    notFriend: "has not added the bot",
    unread: "{n} new",
    pickConversation: "Pick a conversation on the left to talk to the bot as a user.",
    speakAs: "Speak as",
    mentionBot: "@ the bot",
    message: "Message",
    messagePlaceholder: "Type a message; Enter sends, Shift+Enter adds a line",
    attachImage: "Image",
    removeImage: "Remove the image",
    send: "Send",
    sending: "Sending…",
    notDelivered: "Not delivered to the bot: {reason}",
    onlyMentions: "this group delivers only messages that @ the bot",
    notFriendBanner: "{name} has not added the bot; messages will be refused.",
    addFriend: "Add the bot (FRIEND_ADD)",
    friendAdded: "{name} added the bot",
    botBadge: "BOT",
    you: "user",
    passive: "reply",
    proactive: "proactive",
    replyTo: "reply to {id}",
    recalled: "recalled",
    typing: "{name} is typing…",
    clicked: "{name} clicked {label}",
    clickAcked: "acknowledged (code {code})",
    clickPending: "waiting for the bot's acknowledgement",
    deliveredAs: "delivered as {types}",
    rawJson: "JSON",
    quote: "Quote",
    quoteUnknown: "quoted message ({id})",
    image: "image",
    video: "video",
    voice: "voice",
    file: "file",
    mediaNotKept: "rich media ({kind}), content not kept",
    externalImage: "external image (not loaded)",
    markdownTemplate: "Markdown template {id}",
    keyboardTemplate: "Keyboard template {id}",
    arkCard: "Ark template {id}",
    embedCard: "Embed",
    openLink: "Open the link",
    linkBlocked: "Link blocked: only http and https are allowed",
    noPermission: "{name} may not click this button",
    commandInserted: "The command is in the input box",
    clickUnsupported: "Buttons cannot be clicked in this scene",
    mention: "@{name}",
    mentionEveryone: "@everyone",
    roles: {
      owner: "owner",
      admin: "admin",
      member: "member",
    },
    notice: {
      GROUP_ADD_ROBOT: "{name} added the bot to the group",
      GROUP_DEL_ROBOT: "{name} removed the bot from the group",
      GROUP_MSG_RECEIVE: "{name} allowed proactive messages",
      GROUP_MSG_REJECT: "{name} refused proactive messages",
      GROUP_MEMBER_ADD: "{name} joined the group",
      GROUP_MEMBER_REMOVE: "{name} left the group",
      FRIEND_ADD: "{name} added the bot",
      FRIEND_DEL: "{name} removed the bot",
      C2C_MSG_RECEIVE: "{name} allowed proactive messages",
      C2C_MSG_REJECT: "{name} refused proactive messages",
    },
    session: "Session",
    noSession: "This bot has no gateway session",
    connected: "connected",
    disconnected: "disconnected",
    sessionId: "session_id",
    lastSeq: "last seq",
    heartbeatRtt: "heartbeat RTT",
    heartbeatRttHelp: "Time from the emulator receiving a heartbeat (op 1) to sending its ACK (op 11)",
    lastHeartbeat: "last heartbeat",
    secondsAgo: "{n} s ago",
    acksPaused: "ACKs stopped",
    unanswered: "{n} heartbeats unanswered",
    resumable: "resumable",
    notResumable: "not resumable",
    resumes: "resumes",
    lastClose: "last close code",
    shard: "shard",
    connection: "connection",
    faults: "Faults",
    faultTarget: "Applies to every session of {bot}",
    dropConnection: "Drop connection",
    stopAcks: "Stop heartbeat ACKs",
    resumeAcks: "Resume heartbeat ACKs",
    sendReconnect: "Send op 7 (reconnect)",
    sendInvalidResumable: "Send op 9 (resumable)",
    sendInvalidFresh: "Send op 9 (not resumable)",
    closeWith: "Close with code",
    close: "Close",
    failRest: "Fail REST calls",
    failRestCount: "Calls",
    failRestKind: "Error",
    fail: "Fail",
    expireToken: "Expire the access token",
    clearFaults: "Clear faults",
    faultApplied: "{fault}: applied to {n} sessions",
    faultArmed: "{fault}: armed",
    inspector: "Inspector",
    filter: "Filter",
    filterPlaceholder: "event, route, op, status…",
    kindAll: "All",
    kindGateway: "Gateway",
    kindRest: "REST",
    showHeartbeats: "Heartbeats",
    pause: "Pause",
    resume: "Resume",
    clear: "Clear",
    colTime: "Time",
    colKind: "Kind",
    colOp: "op / method",
    colEvent: "event / route",
    colSeq: "seq / status",
    colCode: "code",
    colLatency: "ms",
    inbound: "in",
    outbound: "out",
    closeFrame: "close {code}",
    lagged: "the inspector skipped {n} events",
    firehose: "firehose of {n} frames",
    error: "Error: {message}",
    requestFailed: "Request failed (HTTP {status})",
    imageTooLarge: "The image is larger than 10 MB",
  },
};

const STORAGE_KEY = "qie-console-lang";
const listeners = [];
let current = detect();

function normalise(tag) {
  if (!tag) {
    return null;
  }
  const lower = String(tag).toLowerCase();
  if (lower.startsWith("zh")) {
    return "zh-CN";
  }
  if (lower.startsWith("en")) {
    return "en";
  }
  return null;
}

function detect() {
  const fromQuery = normalise(new URLSearchParams(location.search).get("lang"));
  if (fromQuery) {
    return fromQuery;
  }
  let saved = null;
  try {
    saved = normalise(localStorage.getItem(STORAGE_KEY));
  } catch {
    // Storage may be disabled; the browser language decides then.
  }
  if (saved) {
    return saved;
  }
  for (const tag of navigator.languages ?? [navigator.language]) {
    const lang = normalise(tag);
    if (lang) {
      return lang;
    }
  }
  return "en";
}

/** Returns the current language, `zh-CN` or `en`. */
export function language() {
  return current;
}

/** Switches the language, saves the choice and calls every listener. */
export function setLanguage(lang) {
  const next = normalise(lang) ?? "en";
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered; the switch still applies to this page.
  }
  document.documentElement.lang = next;
  for (const listener of listeners) {
    listener(next);
  }
}

/** Calls `listener(lang)` after every language switch. */
export function onLanguageChange(listener) {
  listeners.push(listener);
}

/**
 * Returns the text for `key` (dotted for nested keys) with `{name}` placeholders filled in.
 * A missing key returns the key itself, so a gap shows instead of breaking the page.
 */
export function t(key, params = {}) {
  let value = TEXTS[current];
  for (const part of key.split(".")) {
    value = value?.[part];
  }
  if (typeof value !== "string") {
    return key;
  }
  return value.replace(/\{(\w+)\}/g, (whole, name) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/** Returns whether a text exists for `key`. */
export function has(key) {
  let value = TEXTS[current];
  for (const part of key.split(".")) {
    value = value?.[part];
  }
  return typeof value === "string";
}
