// Logs in to the QQ login demo in headless Chromium: loads the demo site, clicks "QQ登录",
// picks the first test user on the emulator's consent page, consents, and checks that the site
// shows the user's nickname and avatar. Saves screenshots of the consent page and of the result.
//
// Usage: node oauth-login.mjs DEMO_BINARY SCREENSHOT_DIR
// DEMO_BINARY is the built `oauth_demo` example; it is started on a free port of 127.0.0.1 and
// stopped at the end.

import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [demoBinary, screenshotDir] = process.argv.slice(2);
if (!demoBinary || !screenshotDir) {
  console.error("usage: node oauth-login.mjs DEMO_BINARY SCREENSHOT_DIR");
  process.exit(2);
}

const EXPECTED_NICKNAME = "小企鹅Alice";
const STEP_TIMEOUT_MS = 15_000;

/** Starts the demo and resolves with its URL once it prints `demo: URL`. */
function startDemo() {
  const child = spawn(demoBinary, ["--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  const url = new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error("the demo printed no URL within 30 s")), 30_000);
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const match = output.match(/^demo: (http:\/\/127\.0\.0\.1:\d+\/)$/m);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited with status ${code} before printing its URL`));
    });
  });
  return { child, url };
}

async function run() {
  mkdirSync(screenshotDir, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), "qie-chromium-"));
  const demo = startDemo();
  let browser;
  try {
    const siteUrl = await demo.url;
    console.log(`demo site: ${siteUrl}`);

    // A fresh, empty profile directory (--user-data-dir) for every run.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      headless: true,
      viewport: { width: 900, height: 700 },
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
    const page = await browser.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);

    // Only 127.0.0.1 may be contacted: abort anything else the page tries to load.
    await page.route(/^(?!http:\/\/127\.0\.0\.1[:/])/, (route) => {
      console.error(`blocked request to ${route.request().url()}`);
      return route.abort();
    });

    await page.goto(siteUrl);
    await page.getByRole("link", { name: "QQ登录" }).click();

    // The emulator's consent page.
    await page.waitForURL(/\/oauth2\.0\/authorize\?/);
    await page.locator("#authorize").waitFor();
    const firstUser = page.locator("input[name=user]").first();
    if (!(await firstUser.isChecked())) {
      throw new Error("the first test user is not preselected on the consent page");
    }
    await page.screenshot({ path: join(screenshotDir, "oauth-consent.png"), fullPage: true });
    await page.getByRole("button", { name: "授权并登录" }).click();

    // Back on the demo site, logged in.
    await page.waitForURL(siteUrl);
    const nickname = (await page.locator("#nickname").textContent())?.trim();
    if (nickname !== EXPECTED_NICKNAME) {
      throw new Error(`expected nickname ${EXPECTED_NICKNAME}, the page shows ${JSON.stringify(nickname)}`);
    }
    const avatarWidth = await page.locator("#avatar").evaluate(async (image) => {
      await image.decode();
      return image.naturalWidth;
    });
    if (!(avatarWidth > 0)) {
      throw new Error("the avatar image did not load");
    }
    const openid = (await page.locator("#openid").textContent())?.trim() ?? "";
    if (!/^[0-9A-F]{32}$/.test(openid)) {
      throw new Error(`the openid ${JSON.stringify(openid)} is not 32 upper-case hex digits`);
    }
    const screenshot = join(screenshotDir, "oauth-login.png");
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`logged in as ${nickname} (openid ${openid}); screenshot: ${screenshot}`);
  } finally {
    if (browser) {
      await browser.close();
    }
    demo.child.kill("SIGTERM");
    rmSync(profile, { recursive: true, force: true });
  }
}

try {
  await run();
  console.log("1 passed, 0 failed");
} catch (error) {
  console.error(`browser OAuth login failed: ${error.stack ?? error}`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}
