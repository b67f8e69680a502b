// Rendering of timeline entries: user messages, clicks and notices, and bot messages with text,
// Markdown, keyboards, Ark cards, Embeds, media and quotes, the way QQ shows them.
//
// Everything a bot sends is data: it reaches the page through `el` and the Markdown renderer,
// which create text nodes and checked attributes only (see dom.js).

import { clock, el, externalLink, safeHref, safeImageSrc } from "./dom.js";
import { t } from "./i18n.js";
import { renderImage, renderMarkdown, renderText } from "./markdown.js";

/**
 * Rendering context the app passes in:
 * - `bot`: `{app_id, username}` of the conversation's bot;
 * - `conversation`: the conversation view from `/_emulator/console/state`;
 * - `user(id)`, `channel(id)`: display names or null;
 * - `quoted(id)`: the entry a `message_reference` points to, or null;
 * - `ack(interactionId)`: the acknowledgement code of a click, or undefined;
 * - `command({text, enter})`: a command tag or command button was used;
 * - `button(button, entry, node)`: a keyboard button was clicked.
 */

function short(id) {
  const text = String(id ?? "");
  return text.length > 14 ? `${text.slice(0, 6)}…${text.slice(-6)}` : text;
}

function isGuildScene(conversation) {
  return conversation.kind === "channel" || conversation.kind === "dm";
}

function authorName(entry, context) {
  return context.user(entry.author.id) ?? (entry.author.username || short(entry.author.id) || "?");
}

function avatar(name, isBot) {
  const initial = Array.from(name.trim())[0] ?? "?";
  return el("div", { class: isBot ? "avatar bot" : "avatar", "aria-hidden": "true", text: initial.toUpperCase() });
}

function jsonDetails(value) {
  return el(
    "details",
    { class: "raw" },
    el("summary", { text: t("rawJson") }),
    el("pre", { text: JSON.stringify(value, null, 2) }),
  );
}

// ------------------------------------------------------------------ user side

function renderAttachment(attachment) {
  const type = String(attachment?.content_type ?? "");
  const url = String(attachment?.url ?? "");
  if (type.startsWith("image/") && safeImageSrc(url)) {
    return el("img", { class: "attachment-image", src: safeImageSrc(url), alt: attachment.filename || t("image") });
  }
  const href = safeHref(url) ?? safeHref(`https://${url}`);
  const label = `📎 ${attachment?.filename || type || t("file")}`;
  return el("div", { class: "attachment", title: url }, href ? externalLink(href, label) : label);
}

function renderUserMessage(entry, context) {
  const name = authorName(entry, context);
  const content = isGuildScene(context.conversation) ? entry.content : entry.content.replace(/^ /, "");
  const text = renderText(content, context, { guild: isGuildScene(context.conversation) });
  if (entry.mentions_bot && !/^<@!?/.test(content)) {
    text.prepend(el("span", { class: "mention", text: t("mention", { name: context.bot.username }) }), " ");
  }
  const body = el(
    "div",
    { class: "bubble user" },
    text.childNodes.length ? text : null,
    entry.attachments.map(renderAttachment),
  );
  return el(
    "article",
    { class: "message from-user", "data-seq": entry.seq, "data-testid": "user-message", "aria-label": name },
    el(
      "div",
      { class: "message-body" },
      el(
        "div",
        { class: "meta" },
        el("span", { class: "author", text: name }),
        el("time", { text: clock(entry.at_ms), title: new Date(entry.at_ms).toISOString() }),
        el("span", { class: "delivered", text: t("deliveredAs", { types: entry.event_types.join(", ") }) }),
      ),
      body,
    ),
    avatar(name, false),
  );
}

function buttonLabel(entry, context) {
  const label = context.buttonLabel?.(entry.button_id);
  return `[${label ?? entry.button_data ?? entry.button_id ?? "?"}]`;
}

function renderClick(entry, context) {
  const code = context.ack(entry.id);
  const status =
    code === undefined || code === null ? t("clickPending") : t("clickAcked", { code });
  return el(
    "div",
    { class: "notice click", "data-seq": entry.seq, "data-testid": "click", "data-interaction": entry.id },
    el("span", { text: t("clicked", { name: authorName(entry, context), label: buttonLabel(entry, context) }) }),
    " · ",
    el("span", { class: code === undefined || code === null ? "ack pending" : "ack", text: status }),
  );
}

function renderNotice(entry, context) {
  const type = entry.event_types[0];
  const key = `notice.${type}`;
  const text = t(key, { name: authorName(entry, context) });
  return el(
    "div",
    { class: "notice", "data-seq": entry.seq },
    text === key ? type : text,
  );
}

// ------------------------------------------------------------------ bot side

/** Returns the `#KEY#` values of an Ark message: strings, or arrays of `{key: value}` objects. */
export function arkValues(ark) {
  const values = {};
  for (const kv of Array.isArray(ark?.kv) ? ark.kv : []) {
    if (typeof kv?.key !== "string") {
      continue;
    }
    if (Array.isArray(kv.obj)) {
      values[kv.key] = kv.obj.map((item) => {
        const object = {};
        for (const pair of Array.isArray(item?.obj_kv) ? item.obj_kv : []) {
          if (typeof pair?.key === "string") {
            object[pair.key] = String(pair.value ?? "");
          }
        }
        return object;
      });
    } else {
      values[kv.key] = String(kv.value ?? "");
    }
  }
  return values;
}

function maybeLink(url, children) {
  const href = safeHref(url);
  return href ? externalLink(href, children) : children;
}

function cardImage(url, alt, className) {
  if (!url) {
    return null;
  }
  // A thumbnail is too small for the alt text next to the placeholder's label.
  const shown = className === "card-thumb" ? "" : alt;
  return el("div", { class: className }, renderImage({ url, alt: shown, width: null, height: null }));
}

function renderArk(ark, context) {
  const id = Number(ark?.template_id);
  const values = arkValues(ark);
  const text = (key) => (typeof values[key] === "string" ? values[key] : "");
  let body;
  if (id === 23) {
    const items = Array.isArray(values["#LIST#"]) ? values["#LIST#"] : [];
    body = [
      text("#DESC#") ? el("div", { class: "card-title", text: text("#DESC#") }) : null,
      el(
        "ul",
        { class: "card-list" },
        items.map((item) => el("li", {}, maybeLink(item.link, item.desc ?? ""))),
      ),
    ];
  } else if (id === 24) {
    body = [
      text("#TITLE#") ? el("div", { class: "card-title" }, maybeLink(text("#LINK#"), text("#TITLE#"))) : null,
      el(
        "div",
        { class: "card-row" },
        el("div", { class: "card-text" }, text("#METADESC#") || text("#DESC#")),
        cardImage(text("#IMG#"), text("#TITLE#"), "card-thumb"),
      ),
      text("#SUBTITLE#") ? el("div", { class: "card-sub", text: text("#SUBTITLE#") }) : null,
    ];
  } else if (id === 37) {
    body = [
      cardImage(text("#METACOVER#"), text("#METATITLE#"), "card-cover"),
      el("div", { class: "card-title" }, maybeLink(text("#METAURL#"), text("#METATITLE#"))),
      text("#METASUBTITLE#") ? el("div", { class: "card-sub", text: text("#METASUBTITLE#") }) : null,
    ];
  } else {
    body = el(
      "dl",
      { class: "card-kv" },
      Object.entries(values).map(([key, value]) => [
        el("dt", { text: key }),
        el("dd", { text: typeof value === "string" ? value : JSON.stringify(value) }),
      ]),
    );
  }
  return el(
    "div",
    { class: `card ark ark-${Number.isFinite(id) ? id : "unknown"}`, "data-testid": "ark" },
    body,
    el("div", { class: "card-footer", text: `${t("arkCard", { id: Number.isFinite(id) ? id : "?" })}${text("#PROMPT#") ? ` · ${text("#PROMPT#")}` : ""}` }),
  );
}

function renderEmbed(embed) {
  const fields = Array.isArray(embed?.fields) ? embed.fields : [];
  return el(
    "div",
    { class: "card embed", "data-testid": "embed" },
    embed?.title ? el("div", { class: "card-title", text: String(embed.title) }) : null,
    el(
      "div",
      { class: "card-row" },
      el(
        "div",
        { class: "card-text" },
        embed?.description ? el("p", { text: String(embed.description) }) : null,
        fields.length ? el("ul", { class: "card-list" }, fields.map((field) => el("li", { text: String(field?.name ?? "") }))) : null,
      ),
      cardImage(embed?.thumbnail?.url, String(embed?.title ?? ""), "card-thumb"),
    ),
    el("div", { class: "card-footer", text: `${t("embedCard")}${embed?.prompt ? ` · ${embed.prompt}` : ""}` }),
  );
}

function mediaKind(fileType) {
  return { 1: t("image"), 2: t("video"), 3: t("voice"), 4: t("file") }[fileType] ?? t("file");
}

function renderMedia(view) {
  if (!view || !view.kept) {
    return el("div", { class: "attachment", text: t("mediaNotKept", { kind: mediaKind(view?.file_type) }) });
  }
  if (view.path) {
    const src = safeImageSrc(view.path);
    if (view.file_type === 1 && src) {
      return el("img", { class: "attachment-image", src, alt: t("image"), "data-testid": "media-image" });
    }
    if (view.file_type === 2 && src) {
      return el("video", { class: "attachment-video", src, "aria-label": t("video") });
    }
    return el("div", { class: "attachment" }, el("a", { href: src, download: "" , text: `📎 ${mediaKind(view.file_type)}` }));
  }
  return el("div", { class: "attachment" }, renderImage({ url: String(view.url ?? ""), alt: mediaKind(view.file_type) }));
}

function renderQuote(reference, context) {
  const id = String(reference?.message_id ?? "");
  const quoted = context.quoted(id);
  if (!quoted) {
    return el("div", { class: "quote", text: t("quoteUnknown", { id: short(id) }) });
  }
  const name = quoted.from === "bot" ? context.bot.username : authorName(quoted, context);
  const text = quoted.content || quoted.markdown?.content || "";
  return el(
    "div",
    { class: "quote", title: id },
    el("span", { class: "author", text: `${name}: ` }),
    text.length > 80 ? `${text.slice(0, 80)}…` : text,
  );
}

function buttonStyleClass(style) {
  return `style-${[0, 1, 2, 3, 4].includes(style) ? style : 0}`;
}

function renderKeyboard(keyboard, entry, context) {
  const rows = Array.isArray(keyboard?.content?.rows) ? keyboard.content.rows : [];
  if (!rows.length) {
    return keyboard?.id ? el("div", { class: "card-footer", text: t("keyboardTemplate", { id: String(keyboard.id) }) }) : null;
  }
  return el(
    "div",
    { class: "keyboard", role: "group", "data-testid": "keyboard" },
    rows.slice(0, 5).map((row) =>
      el(
        "div",
        { class: "keyboard-row" },
        (Array.isArray(row?.buttons) ? row.buttons : []).slice(0, 5).map((button) => {
          const label = String(button?.render_data?.label ?? "");
          const node = el("button", {
            type: "button",
            class: `keyboard-button ${buttonStyleClass(button?.render_data?.style)}`,
            text: label,
            title: String(button?.action?.data ?? ""),
            "data-button-id": String(button?.id ?? ""),
          });
          node.addEventListener("click", () => context.button(button, entry, node));
          return node;
        }),
      ),
    ),
  );
}

function botMeta(entry, context) {
  const replyId = entry.msg_id || entry.event_id;
  return el(
    "div",
    { class: "meta" },
    el("span", { class: "author", text: context.bot.username }),
    el("span", { class: "badge", text: t("botBadge") }),
    el("time", { text: clock(Date.parse(entry.timestamp) || Date.now()), title: entry.timestamp }),
    el("span", {
      class: entry.passive ? "tag" : "tag proactive",
      text: entry.passive ? t("passive") : t("proactive"),
      title: replyId ? t("replyTo", { id: replyId }) : null,
    }),
    entry.msg_seq ? el("span", { class: "tag", text: `msg_seq ${entry.msg_seq}` }) : null,
    entry.recalled ? el("span", { class: "tag recalled", text: t("recalled") }) : null,
  );
}

function renderBotMessage(entry, context) {
  if (entry.msg_type === 6 || entry.input_notify) {
    return el("div", { class: "notice typing", "data-seq": entry.seq, text: t("typing", { name: context.bot.username }) });
  }
  const guild = isGuildScene(context.conversation);
  const markdown = entry.markdown;
  const parts = [];
  if (entry.message_reference) {
    parts.push(renderQuote(entry.message_reference, context));
  }
  if (markdown && typeof markdown.content === "string") {
    parts.push(renderMarkdown(markdown.content, context));
  } else if (markdown) {
    const id = markdown.custom_template_id ?? markdown.template_id ?? "?";
    parts.push(
      el(
        "div",
        { class: "card" },
        el("div", { class: "card-title", text: t("markdownTemplate", { id: String(id) }) }),
        el(
          "dl",
          { class: "card-kv" },
          (Array.isArray(markdown.params) ? markdown.params : []).map((param) => [
            el("dt", { text: String(param?.key ?? "") }),
            el("dd", { text: (Array.isArray(param?.values) ? param.values : []).map(String).join(" / ") }),
          ]),
        ),
      ),
    );
  } else if (entry.content && entry.content.trim() !== "") {
    parts.push(renderText(entry.content, context, { guild }));
  }
  if (entry.ark) {
    parts.push(renderArk(entry.ark, context));
  }
  if (entry.embed) {
    parts.push(renderEmbed(entry.embed));
  }
  if (entry.media) {
    parts.push(renderMedia(entry.media_view));
  }
  if (entry.image) {
    parts.push(renderImage({ url: entry.image, alt: t("image") }));
  }
  if (entry.file_image_len) {
    parts.push(el("div", { class: "attachment", text: `🖼 ${t("image")} · ${entry.file_image_len} B` }));
  }
  const keyboard = entry.keyboard ? renderKeyboard(entry.keyboard, entry, context) : null;

  return el(
    "article",
    {
      class: entry.recalled ? "message from-bot recalled" : "message from-bot",
      "data-seq": entry.seq,
      "data-testid": "bot-message",
      "aria-label": context.bot.username,
    },
    avatar(context.bot.username, true),
    el(
      "div",
      { class: "message-body" },
      botMeta(entry, context),
      el("div", { class: "bubble bot" }, parts),
      keyboard,
      jsonDetails(entry.body ?? entry),
    ),
  );
}

/** Renders one timeline entry of the current conversation. */
export function renderEntry(entry, context) {
  if (entry.from === "bot") {
    return renderBotMessage(entry, context);
  }
  switch (entry.kind) {
    case "click":
      return renderClick(entry, context);
    case "notice":
      return renderNotice(entry, context);
    default:
      return renderUserMessage(entry, context);
  }
}
