// Shared browser setup: Debian's chromium, headless, with no background networking (this
// machine has no internet), a fresh profile per browser.
import { chromium } from "playwright-core";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
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

export const desktop = { width: 1280, height: 900 };
export const phone = { width: 390, height: 844 };

// axe-core from npm (e2e/package.json), run in every page the tests visit: injected through the
// debugging protocol, which the pages' content security policy does not apply to.
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/// The accessibility violations axe finds in the page as it is now (WCAG 2.1 A and AA), as
/// readable lines; throws when there is any.
export async function audit(page) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, resultTypes: ["violations"] });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  });
  if (violations.length) {
    throw new Error(`axe: ${violations.length} violation(s) on ${page.url()}:\n${violations.join("\n")}`);
  }
}

/// Every navigation by `page.goto` is followed by an axe audit of the page reached.
export function audited(page) {
  const goto = page.goto.bind(page);
  page.goto = async (...args) => {
    const response = await goto(...args);
    await audit(page);
    return response;
  };
  return page;
}

/// A new signed-in page for a demo account; every page it then visits is audited with axe.
export async function signIn(b, username, viewport = desktop) {
  const context = await b.newContext({ viewport, locale: "vi-VN" });
  const page = await context.newPage();
  await page.goto(`${url}/login`);
  await audit(page);
  await page.fill("input[name=username]", username);
  await page.fill("input[name=password]", password);
  await Promise.all([page.waitForURL(`${url}/`), page.click("button[type=submit]")]);
  await audit(page);
  return audited(page);
}

/// The page as it looks at desktop width and on a phone (390×844): `NAME.png` and
/// `NAME-phone.png`; the page is audited at both widths.
export async function screenshot(page, name) {
  mkdirSync(shots, { recursive: true });
  const viewport = page.viewportSize();
  const narrow = viewport && viewport.width <= phone.width;
  await page.screenshot({ path: join(shots, `${name}${narrow ? "-phone" : ""}.png`), fullPage: true });
  await page.setViewportSize(narrow ? desktop : phone);
  await audit(page);
  await page.screenshot({ path: join(shots, `${name}${narrow ? "" : "-phone"}.png`), fullPage: true });
  await page.setViewportSize(viewport);
}

/// Clicks something that submits a form or follows a link and waits for the page it leads to;
/// returns the final response (after redirects), e.g. to check a 422.
export async function submit(page, locator) {
  const navigation = page.waitForNavigation({ waitUntil: "load" });
  await locator.click();
  const response = await navigation;
  await audit(page);
  return response;
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

/// The text of a unit page's verdict once it is current: while newer results are computed the
/// page shows the last ones, marked, and refreshes the section until they arrive.
export async function currentVerdict(page) {
  return page.locator("#verdict:not([data-updating])").textContent({ timeout: 60_000 });
}
