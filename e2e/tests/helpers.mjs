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

/// Clicks something that submits a form or follows a link and waits for the page it leads to;
/// returns the final response (after redirects), e.g. to check a 422.
export async function submit(page, locator) {
  const navigation = page.waitForNavigation({ waitUntil: "load" });
  await locator.click();
  return navigation;
}

/// Accepts the `data-confirm` questions of a page.
export function acceptConfirms(page) {
  page.on("dialog", (dialog) => dialog.accept());
}

/// The numbers of a dashboard page: the totals, and by row of the "by child" and "by type" tables.
export async function dashboardNumbers(page) {
  return page.evaluate(() => {
    const keys = ["units", "registered", "onTime", "late", "selfScored", "inspected", "recognised", "notRecognised", "incomplete"];
    const parse = (s) => Number(s.replace(/\./g, "").replace(",", ".").replace("%", ""));
    const row = (tr) => Object.fromEntries(keys.map((k, i) => [k, parse(tr.cells[i + 1].textContent.trim())]));
    const table = (id) => Object.fromEntries(Array.from(document.querySelectorAll(`#${id} tbody tr`)).map((tr) => [tr.cells[0].textContent.trim(), row(tr)]));
    return { total: row(document.querySelector("#by-type tfoot tr")), children: table("by-child"), types: table("by-type") };
  });
}
