// Building DOM nodes without HTML parsing.
//
// Every text the console shows, and everything a bot sends in particular, goes into the page
// as text nodes or as attribute values set one by one. Nothing is ever assigned to innerHTML,
// outerHTML or insertAdjacentHTML, and URLs pass `safeHref` or `safeImageSrc` first.

const ALLOWED_PROPS = new Set([
  "class",
  "id",
  "title",
  "role",
  "type",
  "name",
  "value",
  "placeholder",
  "for",
  "tabindex",
  "alt",
  "width",
  "height",
  "lang",
  "colspan",
  "scope",
  "accept",
  "autocomplete",
  "rows",
  "min",
  "max",
  "download",
  "target",
  "rel",
]);

/**
 * Creates an element.
 *
 * `props` may hold the attributes listed above, any `aria-*` or `data-*` attribute, `text`
 * (the text content), `href` and `src` (already checked URLs, or null to leave them out),
 * `checked`, `disabled`, `selected`, `hidden` (booleans) and `on` (event name → handler).
 * Children are nodes, strings (added as text), or null/false (skipped); arrays are flattened.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (key === "text") {
      node.textContent = String(value);
    } else if (key === "on") {
      for (const [event, handler] of Object.entries(value)) {
        node.addEventListener(event, handler);
      }
    } else if (key === "checked" || key === "disabled" || key === "selected" || key === "hidden") {
      node[key] = Boolean(value);
    } else if (key === "href" || key === "src") {
      // Callers pass URLs that went through safeHref or safeImageSrc.
      node.setAttribute(key, String(value));
    } else if (ALLOWED_PROPS.has(key) || key.startsWith("aria-") || key.startsWith("data-")) {
      node.setAttribute(key, String(value));
    } else {
      throw new Error(`el: attribute ${key} is not allowed`);
    }
  }
  append(node, children);
  return node;
}

/** Appends nodes and strings (as text) to `parent`; arrays are flattened, null skipped. */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Removes every child of `node`. */
export function clear(node) {
  node.replaceChildren();
  return node;
}

/**
 * Returns `url` as an absolute http(s) URL for a link, or null for anything else
 * (`javascript:`, `data:`, `vbscript:`, relative tricks, unparsable text).
 */
export function safeHref(url) {
  if (typeof url !== "string") {
    return null;
  }
  const trimmed = url.trim();
  // Only absolute http(s) URLs are links; relative ones would point into the emulator.
  if (!/^https?:\/\//i.test(trimmed)) {
    return null;
  }
  let parsed;
  try {
    parsed = new URL(trimmed);
  } catch {
    return null;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return null;
  }
  return parsed.href;
}

/**
 * Returns `url` if the page may load it as a picture: a same-origin path or URL of the
 * emulator, or an absolute URL of this emulator's own origin. Any other host returns null,
 * so a bot cannot make the page contact other servers (CSP blocks them as well).
 */
export function safeImageSrc(url) {
  if (typeof url !== "string" || url.trim() === "") {
    return null;
  }
  let parsed;
  try {
    parsed = new URL(url.trim(), location.href);
  } catch {
    return null;
  }
  if (parsed.origin !== location.origin) {
    return null;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return null;
  }
  return parsed.href;
}

/** Creates a link that opens in a new tab without giving it access to this page. */
export function externalLink(href, children) {
  return el("a", { href, target: "_blank", rel: "noopener noreferrer nofollow" }, children);
}

/** Formats Unix milliseconds as a local HH:MM:SS. */
export function clock(ms, withMillis = false) {
  const date = new Date(ms);
  const pad = (value, width = 2) => String(value).padStart(width, "0");
  const text = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return withMillis ? `${text}.${pad(date.getMilliseconds(), 3)}` : text;
}
