// Drives the emulator's web console in headless Chromium while `qie demo` runs the example bot.
// It sends "/ping" as a group member and waits for "pong", sends "/help" and checks the rendered
// Markdown, clicks a keyboard button and waits for the bot's reply, drops the gateway connection
// and waits for the session to resume and the bot to reply again, and sends a picture. Then it
// checks that hostile content from a bot or a user (HTML, `javascript:` links, Ark and Embed
// values, keyboard labels) is shown as text and never runs. Any console error or uncaught page
// error fails the test.
//
// Usage: node console.mjs QIE_BINARY SCREENSHOT_DIR
// QIE_BINARY is the built `qie` command; `qie demo --port 0` is started and stopped here.

import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { chromium } from "playwright-core";

import { sendHostileMessages, timelineProblems } from "./console-hostile.mjs";

const [qieBinary, screenshotDir] = process.argv.slice(2);
if (!qieBinary || !screenshotDir) {
  console.error("usage: node console.mjs QIE_BINARY SCREENSHOT_DIR");
  process.exit(2);
}

const STEP_TIMEOUT_MS = 15_000;
const GROUP = "6A1C4E0B9D2F47A8B3C5D7E9F1A2B3C4";
const CHANNEL = "5550001";
const BOB = "14400000000000004";

const TIMELINE = '[data-testid="timeline"]';
const BOT_MESSAGE = '[data-testid="bot-message"]';
const USER_MESSAGE = '[data-testid="user-message"]';
const COMPOSER = '[data-testid="composer-text"]';

/** Starts `qie demo` and resolves with the console URL once it prints it. */
function startDemo() {
  const child = spawn(qieBinary, ["demo", "--port", "0", "--lang", "en"], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, RUST_LOG: "warn" },
  });
  const url = new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`qie demo printed no console URL within 60 s:\n${output}`)), 60_000);
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const match = output.match(/^Web console: (http:\/\/127\.0\.0\.1:\d+\/)$/m);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`qie demo exited with status ${code} before printing the console URL:\n${output}`));
    });
  });
  return { child, url };
}

// ------------------------------------------------------------------ a small PNG

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) {
      crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
    }
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Returns a `size`×`size` RGB PNG with four coloured quarters. */
function png(size) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8;
  header[9] = 2;
  const rows = [];
  for (let y = 0; y < size; y += 1) {
    const row = [0];
    for (let x = 0; x < size; x += 1) {
      const top = y < size / 2;
      const left = x < size / 2;
      row.push(top ? 255 : 18, left ? 153 : 183, left === top ? 255 : 106);
    }
    rows.push(Buffer.from(row));
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// ------------------------------------------------------------------ steps

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

async function botMessageCount(page) {
  return page.locator(`${TIMELINE} ${BOT_MESSAGE}`).count();
}

/** Types `text` into the composer, sends it and waits until the bot's next message appears. */
async function say(page, text, expected) {
  const before = await botMessageCount(page);
  await page.fill(COMPOSER, text);
  await page.press(COMPOSER, "Enter");
  await page.waitForFunction(
    ([selector, count]) => document.querySelectorAll(selector).length > count,
    [`${TIMELINE} ${BOT_MESSAGE}`, before],
  );
  const reply = page.locator(`${TIMELINE} ${BOT_MESSAGE}`).nth(before);
  if (expected) {
    await reply.filter({ hasText: expected }).waitFor();
  }
  return reply;
}

async function openConversation(page, key) {
  await page.click(`[data-testid="conversation"][data-key="${key}"]`);
  await page.waitForFunction((wanted) => document.getElementById("chat-subtitle").textContent === wanted, key);
}

async function sessionState(page) {
  const card = page.locator('[data-testid="session"]').first();
  await card.waitFor();
  return {
    id: await card.getAttribute("data-session-id"),
    connected: (await card.getAttribute("data-connected")) === "true",
    resumes: Number(await card.getAttribute("data-resumes")),
    connection: (await card.locator('[data-testid="session-connection"]').textContent()).trim(),
  };
}

/** Renders Markdown cases with the console's own module; returns the cases that failed. */
async function markdownCases() {
  const { renderMarkdown } = await import("/_emulator/console/assets/markdown.js");
  const failures = [];
  const expect = (source, predicate, what) => {
    const root = renderMarkdown(source);
    if (!predicate(root)) {
      failures.push(`${what}: ${JSON.stringify(source)} rendered as ${JSON.stringify(root.innerText)}`);
    }
  };
  const only = (root, selector, text) => root.querySelector(selector)?.textContent === text;

  expect("**b** *i* ~~s~~ `c` ***bi***", (r) => only(r, "strong", "b") && only(r, "em", "i") && only(r, "del", "s") && only(r, "code", "c") && only(r, "strong em", "bi"), "emphasis and code");
  expect("snake_case_name and __init__", (r) => !r.querySelector("em") && r.textContent.includes("snake_case_name"), "underscores inside words");
  expect("[wiki](https://example.com/Foo_(bar))", (r) => r.querySelector("a")?.getAttribute("href") === "https://example.com/Foo_(bar)", "parentheses in a URL");
  expect("[x](javascript:alert(1)) [y](  JAVASCRIPT:alert(1)) [z](/relative)", (r) => !r.querySelector("a") && r.querySelectorAll(".blocked-link").length === 3, "unsafe and relative links");
  expect("<https://example.com/a> and https://example.com/b.", (r) => r.querySelectorAll("a").length === 2 && r.querySelectorAll("a")[1].getAttribute("href") === "https://example.com/b", "autolinks");
  expect("# H1\n## H2", (r) => only(r, "h3", "H1") && only(r, "h4", "H2"), "headings");
  expect("1. a\n2. b\n    - c\n    - d", (r) => r.querySelectorAll("ol > li").length === 2 && r.querySelectorAll("ol ul > li").length === 2, "nested lists");
  expect("> quoted **text**", (r) => only(r, "blockquote strong", "text"), "block quotes");
  expect("***\n---", (r) => r.querySelectorAll("hr").length === 2, "rules");
  expect("![icon #20px #30px](/_emulator/console/assets/icon.svg)", (r) => r.querySelector("img")?.style.width === "20px" && r.querySelector("img").getAttribute("alt") === "icon", "pictures of the emulator");
  expect('<qqbot-cmd-enter text="%2Fping" />', (r) => r.querySelector("button.command-tag")?.dataset.command === "/ping", "command tags");
  expect('<qqbot-at-user id="abc" /> <qqbot-at-everyone />', (r) => r.querySelectorAll(".mention").length === 2, "mention tags");
  expect("```\n<b>code</b>\n```", (r) => only(r, "pre code", "<b>code</b>"), "fenced code");
  expect("a\u200B\n\u200B\nb", (r) => r.querySelectorAll(".md-spacer").length === 1, "empty lines written as U+200B");

  const started = performance.now();
  for (const hostile of ["[".repeat(20000), "*".repeat(20000), "> ".repeat(5000) + "x", "- ".repeat(3000) + "x", "_a".repeat(10000)]) {
    renderMarkdown(hostile);
  }
  if (performance.now() - started > 5000) {
    failures.push("deeply nested or repetitive input took more than 5 s");
  }
  return failures;
}

/**
 * Waits until a connected session shows that the last one was resumed (`resumed`: same id,
 * more Resumes) or replaced by a new Identify (another id); returns its state.
 */
async function waitForSession(page, previous, resumed) {
  await page.waitForFunction(
    ([state, wantResume]) => {
      const card = document.querySelector('[data-testid="session"][data-connected="true"]');
      if (!card) {
        return false;
      }
      if (wantResume) {
        return card.dataset.sessionId === state.id && Number(card.dataset.resumes) > state.resumes;
      }
      return card.dataset.sessionId !== state.id;
    },
    [previous, resumed],
  );
  return sessionState(page);
}

async function unlabelledControls(page) {
  return page.evaluate(() => {
    const missing = [];
    for (const control of document.querySelectorAll("input, select, textarea, button")) {
      if (control.closest("[hidden]") || control.getAttribute("aria-hidden") === "true") {
        continue;
      }
      const named =
        (control.labels && control.labels.length > 0) ||
        control.getAttribute("aria-label") ||
        control.getAttribute("aria-labelledby") ||
        (control.tagName === "BUTTON" && control.textContent.trim());
      if (!named) {
        missing.push(control.id || control.outerHTML.slice(0, 60));
      }
    }
    return missing;
  });
}

async function run() {
  mkdirSync(screenshotDir, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), "qie-chromium-"));
  const demo = startDemo();
  let browser;
  let page;
  const problems = [];
  try {
    const consoleUrl = await demo.url;
    console.log(`console: ${consoleUrl}`);

    browser = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      headless: true,
      viewport: { width: 1366, height: 768 },
      locale: "zh-CN",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    page.on("console", (message) => {
      if (message.type() === "error") {
        problems.push(`console error: ${message.text()}`);
      }
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    browser.on("page", (opened) => problems.push(`a new tab opened: ${opened.url()}`));

    // Only 127.0.0.1 may be contacted: abort anything else the page tries to load.
    await page.route(/^(?!http:\/\/127\.0\.0\.1[:/])/, (route) => {
      problems.push(`request to another host: ${route.request().url()}`);
      return route.abort();
    });

    // 1. The page opens in the browser's language, live, with no unlabelled control.
    await page.goto(consoleUrl);
    await page.waitForSelector('[data-testid="feed-status"][data-state="live"]');
    check((await page.getAttribute("html", "lang")) === "zh-CN", "a zh-CN browser gets the Chinese page");
    check((await page.textContent("h1")).includes("控制台"), "the title is Chinese");
    await page.screenshot({ path: join(screenshotDir, "console-zh.png") });
    const unlabelled = await unlabelledControls(page);
    check(unlabelled.length === 0, `controls without a label: ${unlabelled.join(", ")}`);
    await page.keyboard.press("Tab");
    check(
      await page.evaluate(() => document.activeElement?.classList.contains("skip-link")),
      "Tab first reaches the skip link",
    );
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.id === "composer-text");

    await page.selectOption('[data-testid="lang-select"]', "en");
    check((await page.getAttribute("html", "lang")) === "en", "the switch turns the page English");
    check((await page.textContent("h1")) === "qie emulator console", "the title is English");

    // 2. "/ping" as a group member.
    await openConversation(page, `group:${GROUP}`);
    await page.selectOption('[data-testid="speaker-select"]', BOB);
    check(await page.isChecked('[data-testid="mention-bot"]'), "@ the bot is on in groups");
    const pong = await say(page, "/ping", "pong");
    const lastUser = page.locator(`${TIMELINE} ${USER_MESSAGE}`).last();
    check((await lastUser.textContent()).includes("/ping"), "the user's message is shown");
    check((await lastUser.textContent()).includes("@ExampleBot"), "the mention is shown");
    check((await lastUser.textContent()).includes("bob_example"), "the speaker is bob");
    check((await pong.textContent()).includes("pong"), "the bot answered pong");
    await page.screenshot({ path: join(screenshotDir, "console-ping.png") });

    // 3. "/help" renders Markdown.
    const help = await say(page, "/help", "qie example bot");
    check((await help.locator(".markdown h3").textContent()).includes("qie example bot"), "the heading is rendered");
    const items = help.locator(".markdown li");
    check((await items.count()) >= 5, "the command list is a list");
    check((await items.first().locator("code").textContent()) === "/ping", "commands are code");
    check(!(await help.locator(".bubble").textContent()).includes("# qie"), "no Markdown syntax is left");
    await page.screenshot({ path: join(screenshotDir, "console-help.png") });

    // 4. A keyboard button sends an interaction and the bot replies to it.
    const card = await say(page, "/card", "qie");
    const yes = card.locator('[data-testid="keyboard"] button', { hasText: "Yes" });
    await yes.waitFor();
    const beforeClick = await botMessageCount(page);
    await yes.click();
    await page.locator('[data-testid="click"]').last().filter({ hasText: "acknowledged (code 0)" }).waitFor();
    await page.waitForFunction(
      ([selector, count]) => document.querySelectorAll(selector).length > count,
      [`${TIMELINE} ${BOT_MESSAGE}`, beforeClick],
    );
    await page.locator(`${TIMELINE} ${BOT_MESSAGE}`).last().filter({ hasText: "Thanks" }).waitFor();
    check((await yes.textContent()).includes("✓"), "the button shows its visited label");
    await page.screenshot({ path: join(screenshotDir, "console-card.png") });

    // 5. Dropping the connection: the session resumes and the bot replies again.
    const before = await sessionState(page);
    check(before.connected, "the session is connected before the fault");
    await page.click('[data-testid="fault-drop"]');
    await page.waitForFunction(
      ([id, resumes, connection]) => {
        const card = document.querySelector('[data-testid="session"]');
        return (
          card?.dataset.sessionId === id &&
          card.dataset.connected === "true" &&
          Number(card.dataset.resumes) > resumes &&
          card.querySelector('[data-testid="session-connection"]')?.textContent.trim() !== connection
        );
      },
      [before.id, before.resumes, before.connection],
    );
    await page.locator('[data-testid="log"] tr[data-event="RESUMED"]').first().waitFor();
    await page.locator('[data-testid="log"] tr[data-event="Resume"]').first().waitFor();
    const after = await sessionState(page);
    console.log(`session ${after.id} resumed on connection ${after.connection} (was ${before.connection})`);
    await say(page, "/ping", "pong");
    await page.screenshot({ path: join(screenshotDir, "console-resume.png") });
    // The picture for the README: no toast, no focus ring.
    await page.evaluate(() => {
      document.getElementById("toast").hidden = true;
      document.activeElement?.blur();
    });
    await page.screenshot({ path: join(screenshotDir, "console.png") });

    // 6. The other faults, one click each, and the bot's recovery.
    await page.click('[data-testid="fault-reconnect"]');
    const reconnected = await waitForSession(page, after, true);
    await page.locator('[data-testid="log"] tr[data-event="Reconnect"]').first().waitFor();
    await say(page, "/ping", "pong");

    await page.click('[data-testid="fault-invalid-fresh"]');
    await waitForSession(page, reconnected, false);
    await page.locator('[data-testid="log"] tr[data-event="Invalid Session"]').first().waitFor();
    await page.locator('[data-testid="log"] tr[data-event="READY"]').first().waitFor();
    await say(page, "/ping", "pong");

    await page.selectOption('[data-testid="rest-kind"]', "500/50055001");
    await page.click('[data-testid="fault-rest"]');
    await page.fill(COMPOSER, "/ping");
    await page.press(COMPOSER, "Enter");
    await page.locator('[data-testid="log"] tr.failed[data-kind="rest"]', { hasText: "50055001" }).first().waitFor();
    await page.click('[data-testid="fault-clear"]');

    await page.click('[data-testid="fault-expire"]');
    await say(page, "/ping", "pong");
    const expired = page.locator('[data-testid="log"] tr.failed[data-kind="rest"]', { hasText: "11244" });
    console.log(`REST calls refused with an expired token: ${await expired.count()}`);
    await page.screenshot({ path: join(screenshotDir, "console-faults.png") });

    // 7. A picture with a caption.
    await page.setInputFiles('[data-testid="image-input"]', { name: "quarters.png", mimeType: "image/png", buffer: png(48) });
    await page.locator("#image-preview img").waitFor();
    await say(page, "look at this picture");
    const picture = page.locator(`${TIMELINE} ${USER_MESSAGE}`).last().locator("img.attachment-image");
    await picture.waitFor();
    await page.waitForFunction(() => {
      const images = document.querySelectorAll('[data-testid="user-message"] img.attachment-image');
      return images.length > 0 && images[images.length - 1].naturalWidth === 48;
    });
    await page.screenshot({ path: join(screenshotDir, "console-image.png") });

    // 8. Hostile content is shown as text and never runs.
    const state = await (await fetch(`${consoleUrl}_emulator/console/state`)).json();
    const fullGroup = state.conversations.find((conversation) => conversation.kind === "group" && conversation.plain_delivered);
    check(fullGroup, "the world has a group that receives every message");
    await sendHostileMessages(consoleUrl, fullGroup.target);

    await openConversation(page, fullGroup.key);
    await page.waitForFunction((selector) => document.querySelectorAll(selector).length >= 2, `${TIMELINE} ${BOT_MESSAGE}`);
    let found = await page.evaluate(timelineProblems);
    check(found.length === 0, `unsafe markup in the group: ${found.join("; ")}`);
    const groupText = await page.textContent(TIMELINE);
    check(groupText.includes("<img src=x onerror="), "hostile HTML shows as text");
    check(groupText.includes("<script>window.__xss='script'</script>"), "a script tag shows as text");
    check((await page.locator(`${TIMELINE} .blocked-link`).count()) >= 2, "javascript: links are not links");
    check((await page.locator(`${TIMELINE} .image-placeholder`).count()) >= 2, "unsafe pictures are placeholders");
    await page.locator(`${TIMELINE} .blocked-link`).first().click();
    await page.locator('[data-testid="keyboard"] button[data-button-id="evil-link"]').click();
    await page.locator("#toast").filter({ hasText: "Link blocked" }).waitFor();
    await page.locator(`${TIMELINE} button.command-tag`).first().click();
    check(
      (await page.inputValue(COMPOSER)).startsWith("<img src=x onerror"),
      "a command tag fills the composer with its text",
    );
    await page.fill(COMPOSER, "");
    found = await page.evaluate(timelineProblems);
    check(found.length === 0, `unsafe markup after clicks: ${found.join("; ")}`);
    await page.screenshot({ path: join(screenshotDir, "console-hostile-group.png") });

    await openConversation(page, `channel:${CHANNEL}`);
    await page.waitForFunction((selector) => document.querySelectorAll(selector).length >= 3, `${TIMELINE} [data-testid="ark"]`);
    await page.locator(`${TIMELINE} [data-testid="embed"]`).waitFor();
    found = await page.evaluate(timelineProblems);
    check(found.length === 0, `unsafe markup in the channel: ${found.join("; ")}`);
    const channelText = await page.textContent(TIMELINE);
    check(channelText.includes("<script>window.__xss='ark-title'</script>"), "Ark values show as text");
    check(channelText.includes("<script>window.__xss='embed'</script>"), "Embed values show as text");
    check(channelText.includes("<img src=x onerror=\"window.__xss='guild'\">"), "guild escapes are turned back into text");
    check(channelText.includes("@alice_example"), "a guild mention shows the user's name");
    check(
      (await page.locator(`${TIMELINE} a[href="https://example.com/"]`).count()) === 1,
      "a safe Ark list link stays a link",
    );
    await page.screenshot({ path: join(screenshotDir, "console-hostile-channel.png") });

    // 9. The Markdown renderer, case by case, in the page itself.
    const rendererFailures = await page.evaluate(markdownCases);
    check(rendererFailures.length === 0, `Markdown renderer: ${rendererFailures.join("; ")}`);

    check(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "no horizontal scrolling at 1366 px");
    const failedCalls = await page.$$eval('[data-testid="log"] tr.failed', (rows) => rows.map((row) => [...row.cells].slice(1, 5).map((cell) => cell.textContent).join(" ")));
    console.log(`failed calls and closes in the inspector: ${failedCalls.join("; ") || "none"}`);
    check(problems.length === 0, problems.join("\n"));
    console.log("console test passed");
  } catch (error) {
    if (page) {
      await page.screenshot({ path: join(screenshotDir, "console-failure.png") }).catch(() => {});
      console.error(`screenshot of the failure: ${join(screenshotDir, "console-failure.png")}`);
    }
    if (problems.length) {
      console.error(problems.join("\n"));
    }
    throw error;
  } finally {
    if (browser) {
      await browser.close();
    }
    demo.child.kill("SIGINT");
    rmSync(profile, { recursive: true, force: true });
  }
}

run().catch((error) => {
  console.error(`console test failed: ${error.stack ?? error}`);
  process.exit(1);
});
