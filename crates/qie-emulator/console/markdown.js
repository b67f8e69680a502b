// A small Markdown renderer for the subset QQ shows, plus QQ's embedded tags.
//
// Parsing and rendering are separate steps. `parseMarkdown` and `parseText` turn text into a
// tree of plain objects. `renderMarkdown` and `renderText` then build DOM nodes from the tree
// with `el`, which creates text nodes and checked attributes only. No step parses HTML, so markup
// in a bot's message shows as text. Links keep only absolute http(s) URLs and pictures load only from
// the emulator itself (see dom.js).
//
// Supported: headings, paragraphs with line breaks, `**bold**`, `__bold__`, `*italic*`,
// `_italic_`, `***bold italic***`, `~~strike~~`, inline code and fenced code blocks, links
// `[text](url)`, `<url>` and bare http(s) URLs, pictures `![alt #208px #320px](url)`, ordered
// and unordered lists nested by indentation, block quotes, rules (`***`, `---`), and the tags
// `<qqbot-cmd-input …/>`, `<qqbot-cmd-enter …/>`, `<qqbot-at-user id="…"/>`,
// `<qqbot-at-everyone/>`, `<@id>`, `<@!id>`, `<#channel_id>` and `<emoji:id>`.

import { el, externalLink, safeHref, safeImageSrc } from "./dom.js";
import { t } from "./i18n.js";

/** Deeper nesting than this is shown as text, so hostile input cannot exhaust the stack. */
const MAX_DEPTH = 16;

const FENCE = /^\s{0,3}(`{3,}|~{3,})\s*(\S*)\s*$/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const RULE = /^\s{0,3}([*\-_])(?:\s*\1){2,}\s*$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;
const LIST_ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;

function isBlank(line) {
  return /^[\s\u200B]*$/.test(line);
}

function indentOf(line) {
  const leading = /^[ \t]*/.exec(line)[0];
  return leading.replace(/\t/g, "    ").length;
}

function startsBlock(line) {
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || LIST_ITEM.test(line);
}

/** Parses Markdown into blocks: heading, paragraph, list, quote, rule, code, spacer. */
export function parseMarkdown(source, depth = 0) {
  const lines = String(source ?? "").replace(/\r\n?/g, "\n").split("\n");
  return parseBlocks(lines, depth);
}

function parseBlocks(lines, depth) {
  const blocks = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index];
    if (isBlank(line)) {
      // A line of only U+200B is QQ's way to write an empty line.
      if (line.includes("\u200B")) {
        blocks.push({ type: "spacer" });
      }
      index += 1;
      continue;
    }

    const fence = FENCE.exec(line);
    if (fence) {
      const body = [];
      index += 1;
      while (index < lines.length && !lines[index].trim().startsWith(fence[1])) {
        body.push(lines[index]);
        index += 1;
      }
      index += 1;
      blocks.push({ type: "code", text: body.join("\n") });
      continue;
    }

    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ type: "heading", level: heading[1].length, children: parseInline(heading[2], depth) });
      index += 1;
      continue;
    }

    if (RULE.test(line)) {
      blocks.push({ type: "rule" });
      index += 1;
      continue;
    }

    if (QUOTE.test(line)) {
      const inner = [];
      while (index < lines.length && QUOTE.test(lines[index])) {
        inner.push(QUOTE.exec(lines[index])[1]);
        index += 1;
      }
      const children = depth < MAX_DEPTH ? parseBlocks(inner, depth + 1) : [paragraph(inner, depth)];
      blocks.push({ type: "quote", children });
      continue;
    }

    if (LIST_ITEM.test(line)) {
      const [list, next] = parseList(lines, index, indentOf(line), depth);
      blocks.push(list);
      index = next;
      continue;
    }

    const text = [line];
    index += 1;
    while (index < lines.length && !isBlank(lines[index]) && !startsBlock(lines[index])) {
      text.push(lines[index]);
      index += 1;
    }
    blocks.push(paragraph(text, depth));
  }
  return blocks;
}

function paragraph(lines, depth) {
  return { type: "paragraph", children: parseInline(lines.map((line) => line.trim()).join("\n"), depth) };
}

function parseList(lines, start, baseIndent, depth) {
  const first = LIST_ITEM.exec(lines[start]);
  const ordered = /\d/.test(first[2]);
  const list = { type: "list", ordered, start: ordered ? Number.parseInt(first[2], 10) : 1, items: [] };
  const raw = [];
  let current = null;
  let index = start;

  while (index < lines.length) {
    const line = lines[index];
    const item = LIST_ITEM.exec(line);
    if (!item) {
      // A more indented line continues the current item's text.
      if (current && !isBlank(line) && indentOf(line) > baseIndent && !startsBlock(line)) {
        current.lines.push(line.trim());
        index += 1;
        continue;
      }
      break;
    }
    const indent = indentOf(line);
    if (indent < baseIndent) {
      break;
    }
    if (indent > baseIndent && current) {
      if (depth >= MAX_DEPTH) {
        current.lines.push(line.trim());
        index += 1;
        continue;
      }
      const [nested, next] = parseList(lines, index, indent, depth + 1);
      current.nested.push(nested);
      index = next;
      continue;
    }
    if (/\d/.test(item[2]) !== ordered) {
      break;
    }
    current = { lines: [item[3]], nested: [] };
    raw.push(current);
    index += 1;
  }

  list.items = raw.map((item) => ({
    children: parseInline(item.lines.join("\n"), depth),
    nested: item.nested,
  }));
  return [list, index];
}

// ------------------------------------------------------------------ inline

const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;
const BARE_URL = /^https?:\/\/[^\s<>()"'\u3000-\u303F\uFF00-\uFFEF]+/i;
const EMPHASIS = ["***", "**", "__", "~~", "*", "_"];
const EMPHASIS_TYPES = {
  "***": "strongEmphasis",
  "**": "strong",
  __: "strong",
  "~~": "strike",
  "*": "emphasis",
  _: "emphasis",
};

function decodeValue(value) {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function attributes(text) {
  const found = {};
  const pattern = /([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  for (const match of text.matchAll(pattern)) {
    found[match[1].toLowerCase()] = match[2] ?? match[3] ?? "";
  }
  return found;
}

/** Attributes of a tag: `name="value"` pairs whose quoted values may hold any character. */
const TAG_ATTRIBUTES = String.raw`((?:\s+[\w-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>`;
const COMMAND_TAG = new RegExp(String.raw`^<qqbot-cmd-(input|enter)${TAG_ATTRIBUTES}`, "i");
const AT_USER_TAG = new RegExp(String.raw`^<qqbot-at-user${TAG_ATTRIBUTES}`, "i");

/** Reads a tag at the start of `text`; returns [node, length] or null. */
function readTag(text) {
  let match = COMMAND_TAG.exec(text);
  if (match) {
    const attrs = attributes(match[2]);
    const command = decodeValue(attrs.text ?? "");
    return [
      {
        type: "command",
        enter: match[1].toLowerCase() === "enter",
        text: command,
        show: decodeValue(attrs.show ?? "") || command,
        reference: attrs.reference === "true",
      },
      match[0].length,
    ];
  }
  match = AT_USER_TAG.exec(text);
  if (match) {
    return [{ type: "mention", id: attributes(match[1]).id ?? "" }, match[0].length];
  }
  match = /^<qqbot-at-everyone\s*\/?>/i.exec(text);
  if (match) {
    return [{ type: "mention", everyone: true }, match[0].length];
  }
  match = /^<@!?([\w-]+)>/.exec(text);
  if (match) {
    return [{ type: "mention", id: match[1] }, match[0].length];
  }
  match = /^<#(\d+)>/.exec(text);
  if (match) {
    return [{ type: "channel", id: match[1] }, match[0].length];
  }
  match = /^<emoji:(\d+)>/.exec(text);
  if (match) {
    return [{ type: "emoji", id: match[1] }, match[0].length];
  }
  match = /^<faceType=\d+,faceId="(\d+)"[^<>]*>/.exec(text);
  if (match) {
    return [{ type: "emoji", id: match[1] }, match[0].length];
  }
  return null;
}

/** Finds the end of `[` … `]` starting at `open`, allowing nested brackets. */
function closingBracket(text, open) {
  let level = 0;
  for (let index = open; index < text.length; index += 1) {
    const character = text[index];
    if (character === "\\") {
      index += 1;
    } else if (character === "[") {
      level += 1;
    } else if (character === "]") {
      level -= 1;
      if (level === 0) {
        return index;
      }
    }
  }
  return -1;
}

/** Reads `(url "title")` at `start`; returns [url, end] or null. */
function readDestination(text, start) {
  if (text[start] !== "(") {
    return null;
  }
  // The URL may hold one level of balanced parentheses, as in `…/wiki/Foo_(bar)`.
  const match = /^\(\s*<?((?:[^\s()<>]|\([^\s()<>]*\))*)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/.exec(text.slice(start));
  if (!match) {
    return null;
  }
  return [match[1], start + match[0].length];
}

/** Reads QQ's size hints `#208px #320px` out of a picture's alt text. */
function imageSize(alt) {
  const sizes = [...alt.matchAll(/#(\d{1,4})px/g)].map((match) => Number(match[1]));
  return {
    alt: alt.replace(/#\d{1,4}px/g, "").trim(),
    width: sizes[0] ?? null,
    height: sizes[1] ?? null,
  };
}

function pushText(nodes, text) {
  if (text === "") {
    return;
  }
  const last = nodes[nodes.length - 1];
  if (last && last.type === "text") {
    last.text += text;
  } else {
    nodes.push({ type: "text", text });
  }
}

/** Parses inline Markdown and tags into nodes. */
export function parseInline(text, depth = 0) {
  const nodes = [];
  const source = String(text ?? "");
  if (depth > MAX_DEPTH) {
    pushText(nodes, source);
    return nodes;
  }
  let index = 0;
  while (index < source.length) {
    const rest = source.slice(index);
    const character = source[index];

    if (character === "\\" && index + 1 < source.length && PUNCTUATION.test(source[index + 1])) {
      pushText(nodes, source[index + 1]);
      index += 2;
      continue;
    }

    if (character === "\n") {
      nodes.push({ type: "break" });
      index += 1;
      continue;
    }

    if (character === "`") {
      const ticks = /^`+/.exec(rest)[0];
      const end = source.indexOf(ticks, index + ticks.length);
      if (end !== -1) {
        nodes.push({ type: "code", text: source.slice(index + ticks.length, end).trim() || " " });
        index = end + ticks.length;
        continue;
      }
      pushText(nodes, ticks);
      index += ticks.length;
      continue;
    }

    if (character === "!" && source[index + 1] === "[") {
      const close = closingBracket(source, index + 1);
      const destination = close === -1 ? null : readDestination(source, close + 1);
      if (destination) {
        const size = imageSize(source.slice(index + 2, close));
        nodes.push({ type: "image", url: destination[0], ...size });
        index = destination[1];
        continue;
      }
    }

    if (character === "[") {
      const close = closingBracket(source, index);
      const destination = close === -1 ? null : readDestination(source, close + 1);
      if (destination) {
        nodes.push({
          type: "link",
          url: destination[0],
          children: parseInline(source.slice(index + 1, close), depth + 1),
        });
        index = destination[1];
        continue;
      }
    }

    if (character === "<") {
      const tag = readTag(rest);
      if (tag) {
        nodes.push(tag[0]);
        index += tag[1];
        continue;
      }
      const autolink = /^<(https?:\/\/[^\s<>]+)>/i.exec(rest);
      if (autolink) {
        nodes.push({ type: "link", url: autolink[1], children: [{ type: "text", text: autolink[1] }] });
        index += autolink[0].length;
        continue;
      }
    }

    if ((character === "h" || character === "H") && !/[\w/]/.test(source[index - 1] ?? " ")) {
      const url = BARE_URL.exec(rest);
      if (url) {
        const trimmed = url[0].replace(/[.,;:!?]+$/, "");
        nodes.push({ type: "link", url: trimmed, children: [{ type: "text", text: trimmed }] });
        index += trimmed.length;
        continue;
      }
    }

    const emphasis = readEmphasis(source, index, depth);
    if (emphasis) {
      nodes.push(emphasis[0]);
      index = emphasis[1];
      continue;
    }

    pushText(nodes, character);
    index += 1;
  }
  return nodes;
}

function readEmphasis(source, index, depth) {
  for (const marker of EMPHASIS) {
    if (!source.startsWith(marker, index)) {
      continue;
    }
    const contentStart = index + marker.length;
    const next = source[contentStart];
    if (next === undefined || /\s/.test(next) || next === marker[0]) {
      continue;
    }
    // Underscores inside a word (snake_case) are not emphasis.
    if (marker[0] === "_" && /[\p{L}\p{N}]/u.test(source[index - 1] ?? " ")) {
      continue;
    }
    let search = contentStart + 1;
    while (search <= source.length) {
      const end = source.indexOf(marker, search);
      if (end === -1) {
        break;
      }
      const before = source[end - 1];
      const after = source[end + marker.length];
      const closes =
        !/\s/.test(before) &&
        after !== marker[0] &&
        !(marker[0] === "_" && /[\p{L}\p{N}]/u.test(after ?? " "));
      if (closes && !source.slice(contentStart, end).includes("\n\n")) {
        const node = { type: EMPHASIS_TYPES[marker], children: parseInline(source.slice(contentStart, end), depth + 1) };
        return [node, end + marker.length];
      }
      search = end + 1;
    }
  }
  return null;
}

/** Unescapes the three entities the platform puts into guild text. */
function unescapeGuild(text) {
  return text.replace(/&(lt|gt|amp);/g, (whole, name) => ({ lt: "<", gt: ">", amp: "&" })[name]);
}

/**
 * Parses a plain text message: QQ tags, bare URLs and line breaks, no Markdown.
 * With `guild`, the text is guild content and `&lt;`, `&gt;`, `&amp;` are turned back.
 */
export function parseText(content, { guild = false } = {}) {
  const nodes = [];
  const source = String(content ?? "");
  let index = 0;
  let plain = "";
  const flush = () => {
    pushText(nodes, guild ? unescapeGuild(plain) : plain);
    plain = "";
  };
  while (index < source.length) {
    const character = source[index];
    if (character === "\n") {
      flush();
      nodes.push({ type: "break" });
      index += 1;
      continue;
    }
    if (character === "<") {
      const tag = readTag(source.slice(index));
      if (tag && tag[0].type !== "command") {
        flush();
        nodes.push(tag[0]);
        index += tag[1];
        continue;
      }
    }
    if ((character === "h" || character === "H") && !/[\w/]/.test(source[index - 1] ?? " ")) {
      const url = BARE_URL.exec(source.slice(index));
      if (url) {
        flush();
        const trimmed = url[0].replace(/[.,;:!?]+$/, "");
        const text = guild ? unescapeGuild(trimmed) : trimmed;
        nodes.push({ type: "link", url: text, children: [{ type: "text", text }] });
        index += trimmed.length;
        continue;
      }
    }
    plain += character;
    index += 1;
  }
  flush();
  return nodes;
}

// ------------------------------------------------------------------ rendering

/**
 * Rendering context: `user(id)` and `channel(id)` return display names or null; `command({text,
 * enter, reference})` runs when a command tag is clicked.
 */
const NO_CONTEXT = { user: () => null, channel: () => null, command: () => {} };

function renderInline(nodes, context) {
  return nodes.map((node) => renderInlineNode(node, context));
}

function renderInlineNode(node, context) {
  switch (node.type) {
    case "text":
      return document.createTextNode(node.text);
    case "break":
      return el("br");
    case "code":
      return el("code", { text: node.text });
    case "strong":
      return el("strong", {}, renderInline(node.children, context));
    case "emphasis":
      return el("em", {}, renderInline(node.children, context));
    case "strongEmphasis":
      return el("strong", {}, el("em", {}, renderInline(node.children, context)));
    case "strike":
      return el("del", {}, renderInline(node.children, context));
    case "link": {
      const href = safeHref(node.url);
      const children = renderInline(node.children, context);
      if (!href) {
        return el("span", { class: "blocked-link", title: `${t("linkBlocked")}: ${node.url}` }, children);
      }
      return externalLink(href, children);
    }
    case "image":
      return renderImage(node);
    case "command":
      return el(
        "button",
        {
          type: "button",
          class: node.enter ? "command-tag enter" : "command-tag",
          title: node.text,
          "data-command": node.text,
          on: { click: () => context.command({ text: node.text, enter: node.enter, reference: node.reference }) },
        },
        node.show,
      );
    case "mention": {
      if (node.everyone) {
        return el("span", { class: "mention", text: t("mentionEveryone") });
      }
      const name = context.user(node.id) ?? node.id;
      return el("span", { class: "mention", title: node.id, text: t("mention", { name }) });
    }
    case "channel": {
      const name = context.channel(node.id) ?? node.id;
      return el("span", { class: "mention", title: node.id, text: `#${name}` });
    }
    case "emoji":
      return el("span", { class: "emoji", title: `emoji ${node.id}`, text: `[emoji:${node.id}]` });
    default:
      return document.createTextNode("");
  }
}

/** Renders a picture from the emulator itself, or a labelled placeholder with a link for any other URL. */
export function renderImage(node) {
  const src = safeImageSrc(node.url);
  if (src) {
    const image = el("img", { src, alt: node.alt || t("image"), class: "inline-image" });
    if (node.width) {
      image.style.width = `${Math.min(node.width, 320)}px`;
    }
    return image;
  }
  const href = safeHref(node.url);
  const label = `🖼 ${node.alt ? `${node.alt} · ` : ""}${t("externalImage")}`;
  return el(
    "span",
    { class: "image-placeholder", title: node.url },
    href ? externalLink(href, label) : label,
  );
}

function renderBlock(block, context) {
  switch (block.type) {
    case "heading":
      return el(`h${Math.min(block.level + 2, 6)}`, { class: `md-h${block.level}` }, renderInline(block.children, context));
    case "paragraph":
      return el("p", {}, renderInline(block.children, context));
    case "rule":
      return el("hr");
    case "spacer":
      return el("div", { class: "md-spacer", "aria-hidden": "true" });
    case "code":
      return el("pre", {}, el("code", { text: block.text }));
    case "quote":
      return el("blockquote", {}, block.children.map((child) => renderBlock(child, context)));
    case "list": {
      const items = block.items.map((item) =>
        el("li", {}, renderInline(item.children, context), item.nested.map((nested) => renderBlock(nested, context))),
      );
      return block.ordered ? el("ol", { "data-start": block.start }, items) : el("ul", {}, items);
    }
    default:
      return null;
  }
}

/** Renders Markdown as a `div.markdown`. */
export function renderMarkdown(source, context = NO_CONTEXT) {
  const blocks = parseMarkdown(source);
  const root = el("div", { class: "markdown" }, blocks.map((block) => renderBlock(block, { ...NO_CONTEXT, ...context })));
  for (const list of root.querySelectorAll("ol[data-start]")) {
    list.start = Number(list.dataset.start) || 1;
  }
  return root;
}

/** Renders a plain text message as a `div.text`. */
export function renderText(content, context = NO_CONTEXT, options = {}) {
  return el("div", { class: "text" }, renderInline(parseText(content, options), { ...NO_CONTEXT, ...context }));
}
