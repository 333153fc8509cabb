// A province's own ruleset, added to the running server from the command line (same database,
// no restart): the example vinh-long-2013-cho adds markets (chợ) with their own criterion 6.1.
// The province launches a 2014 campaign with it; the commune imports two markets from the
// downloaded template and registers one; a fire recorded at the market fails criterion 6.1. A
// second version of the ruleset added later leaves the new campaign on the version it started
// with, and the demo's 2013 campaign keeps the built-in text it has always had.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { browser, signIn, screenshot, url, submit, acceptConfirms, currentVerdict } from "./helpers.mjs";

const EXAMPLE = join(dirname(fileURLToPath(import.meta.url)), "../../examples/rulesets/vinh-long-2013-cho.yaml");
const TITLE = "Phát động năm 2014 (có chợ)";
const MARKET = "CHO-DP";

let b;
let cid;

/// `antt ARGS… --data-dir` of the running server's database; its standard output.
function antt(...args) {
  return execFileSync(process.env.ANTT_BIN, [...args, "--data-dir", process.env.ANTT_DATA_DIR], { encoding: "utf8" });
}

before(async () => {
  b = await browser();
});

after(async () => {
  await b?.close();
});

async function as(username) {
  const page = await signIn(b, username);
  page.setDefaultTimeout(20_000);
  page.setDefaultNavigationTimeout(30_000);
  acceptConfirms(page);
  return page;
}

test("the operator adds the province's ruleset to the running server", () => {
  assert.match(antt("rulesets", "add", EXAMPLE), /Đã lưu bộ tiêu chí vinh-long-2013-cho phiên bản 1 \(SHA-256 [0-9a-f]{64}\)/);
  // The same text again changes nothing.
  assert.match(antt("rulesets", "add", EXAMPLE), /vinh-long-2013-cho phiên bản 1 đã có đúng nội dung này/);
  const list = antt("rulesets", "list");
  assert.match(list, /vinh-long-2013-cho\s+bổ sung, phiên bản 1/);
  assert.match(list, /vinh-long-2013\s+có sẵn/);
});

test("the province launches a campaign with it, without a restart", { timeout: 120_000 }, async () => {
  const page = await as("tinh");
  try {
    await page.goto(`${url}/campaigns/new`);
    const option = page.locator("select[name=ruleset] option[value='vinh-long-2013-cho']");
    assert.match(await option.textContent(), /bổ sung chợ \(bổ sung, phiên bản 1\)/);
    await page.selectOption("select[name=ruleset]", "vinh-long-2013-cho");
    await page.fill("input[name=title]", TITLE);
    await page.fill("input[name=plan_number]", "120/QĐ-UBND");
    await page.fill("input[name=plan_date]", "02/05/2014");
    await page.fill("input[name=year]", "2014");
    await submit(page, page.getByRole("button", { name: "Tạo đợt phát động" }));
    cid = page.url().match(/\/campaigns\/([^/?]+)$/)[1];
    assert.match(await page.textContent("[data-testid=ruleset-text]"), /vinh-long-2013-cho phiên bản 1, mã băm SHA-256 [0-9a-f]{16}/);
    assert.match(await page.textContent("main"), /chợ/);
    await screenshot(page, "ruleset-campaign");
  } finally {
    await page.context().close();
  }
});

test("the commune imports its markets from the template and registers one; criterion 6.1 decides", { timeout: 180_000 }, async () => {
  assert.ok(cid, "the campaign was launched");
  const page = await as("xa");
  try {
    await page.goto(`${url}/c/${cid}/units/29578/import`);
    await submit(page, page.locator("a", { hasText: "Danh sách chợ và bộ phận" }));
    assert.match(await page.textContent("#columns"), /Chợ Đồng Phú/);
    // The template as a user downloads it: its header, the example row replaced by two markets.
    const template = await page.request.get(`${url}/c/${cid}/units/29578/import/market/template.csv`);
    assert.equal(template.status(), 200);
    const header = (await template.text()).replace(/^\uFEFF/, "").split(/\r?\n/)[0];
    const columns = header.split(",");
    assert.deepEqual(columns.slice(0, 2), ["Tên đơn vị", "Mã"]);
    const row = (name, code) => columns.map((c) => (c === "Tên đơn vị" ? name : c === "Mã" ? code : "")).join(",");
    const dir = mkdtempSync(join(tmpdir(), "antt-cho-"));
    const file = join(dir, "cho.csv");
    writeFileSync(file, [header, row("Chợ Đồng Phú", MARKET), row("Chợ Phú Hòa", "CHO-PH")].join("\n") + "\n");
    await page.setInputFiles("input[type=file][name=file]", file);
    await submit(page, page.getByRole("button", { name: "Kiểm tra tệp" }));
    assert.match(await page.textContent("#dry-run"), /2\s*dòng sẵn sàng để nhập/);
    await submit(page, page.getByRole("button", { name: /^Nhập 2 dòng$/ }));
    await page.waitForFunction(() => /Đã nhập 2 dòng/.test(document.querySelector("main").textContent), null, { timeout: 60_000 });

    // The market registers: one criterion, its own.
    await page.goto(`${url}/c/${cid}/units/${MARKET}/register`);
    assert.match(await page.textContent("h1"), /Chợ Đồng Phú/);
    const pledges = page.locator("input[type=checkbox][name^='pledge_']");
    assert.equal(await pledges.count(), 1);
    await page.fill("input[name=registered_on]", "15/05/2014");
    await page.check("input[name=doc_market_rules]");
    await page.fill("input[name=docdate_market_rules]", "10/05/2014");
    const response = await submit(page, page.getByRole("button", { name: "Gửi bản đăng ký" }));
    assert.equal(response.status(), 200);

    // A fire in the market: 6.1 c is not met, so the market is not.
    await page.goto(`${url}/c/${cid}/units/${MARKET}/facts/incidents`);
    const form = page.locator("form.card:has(h3:text-matches('^Thêm'))");
    await form.locator("[name=kind]").selectOption("fire_explosion");
    await form.locator("[name=occurred_on]").fill("12/07/2014");
    await form.locator("[name=in_territory][value='1']").check();
    await form.locator("[name=by_own_people][value='0']").check();
    await form.locator("[name=force_majeure][value='0']").check();
    await form.locator("[name=note]").fill("Cháy một sạp hàng");
    assert.equal((await submit(page, form.getByRole("button", { name: "Thêm" }))).status(), 200);
    assert.match(await page.textContent("main table"), /Cháy, nổ/i);

    await page.goto(`${url}/c/${cid}/units/${MARKET}`);
    const verdict = await currentVerdict(page);
    assert.match(verdict, /Kết quả đánh giá:\s*Chưa đạt chuẩn/);
    assert.match(verdict, /6\.1\. Chợ có nội quy[^]*?Tiêu chí bổ sung của tỉnh \(ví dụ\)\s*Không đạt/);
    assert.match(verdict, /6\.1a\) Có nội quy chợ và phương án phòng cháy, chữa cháy\s*Đạt/);
    assert.match(verdict, /6\.1c\) Không để xảy ra tội phạm, cháy, nổ trong chợ\s*Không đạt\s*Xảy ra 1 vụ trên địa bàn: cháy, nổ ngày 12\/07\/2014: Cháy một sạp hàng/);
    await screenshot(page, "ruleset-market-verdict");
  } finally {
    await page.context().close();
  }
});

test("a newer version leaves the campaigns on the texts they started with", { timeout: 120_000 }, async () => {
  assert.ok(cid, "the campaign was launched");
  const changed = readFileSync(EXAMPLE, "utf8").replace("at_least_percent: 90 }", "at_least_percent: 95 }");
  const file = join(mkdtempSync(join(tmpdir(), "antt-cho-")), "vinh-long-2013-cho.yaml");
  writeFileSync(file, changed);
  assert.match(antt("rulesets", "add", file), /Đã lưu bộ tiêu chí vinh-long-2013-cho phiên bản 2/);
  const page = await as("tinh");
  try {
    await page.goto(`${url}/campaigns/${cid}`);
    assert.match(await page.textContent("[data-testid=ruleset-text]"), /vinh-long-2013-cho phiên bản 1,/);
    await page.goto(`${url}/campaigns/new`);
    assert.match(await page.textContent("select[name=ruleset] option[value='vinh-long-2013-cho']"), /phiên bản 2/);
    // The demo's campaign: the built-in text, and no markets to import.
    await page.goto(`${url}/campaigns`);
    await submit(page, page.locator("tr", { hasText: "710/QĐ-UBND" }).locator("a").first());
    const demo = page.url().match(/\/campaigns\/([^/?]+)$/)[1];
    assert.match(await page.textContent("[data-testid=ruleset-text]"), /vinh-long-2013 phiên bản 1,/);
    await page.goto(`${url}/c/${demo}/units/29578/import`);
    assert.doesNotMatch(await page.textContent("main"), /chợ/i);
    assert.match(await page.textContent("main"), /Danh sách khu dân cư/);
  } finally {
    await page.context().close();
  }
});
