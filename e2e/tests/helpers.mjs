// Shared browser setup: Debian's chromium, headless, with no background networking (this
// machine has no internet), a fresh profile per browser.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

export const url = process.env.ANTT_URL;
export const password = "antt-demo-2013";
const shots = process.env.ANTT_SCREENSHOTS || "screenshots";

export async function browser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/// A new signed-in page for a demo account.
export async function signIn(b, username, viewport = { width: 1280, height: 900 }) {
  const context = await b.newContext({ viewport, locale: "vi-VN" });
  const page = await context.newPage();
  await page.goto(`${url}/login`);
  await page.fill("input[name=username]", username);
  await page.fill("input[name=password]", password);
  await Promise.all([page.waitForURL(`${url}/`), page.click("button[type=submit]")]);
  return page;
}

export async function screenshot(page, name) {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}
