// A commune official's day in the browser (issue 14): units created, renamed, moved and retired
// from the commune's page; the import templates imported as downloaded; errors in a banner
// that takes the focus; "Đã lưu …" after a save; the main button following the registration;
// a form sent after the session lapsed kept and saved after signing in again; text limits with
// their count; drafts kept in the browser across a dropped connection; phone layouts. Every page
// visited is audited with axe (helpers.mjs).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { browser, signIn, screenshot, url, submit, audit, phone, acceptConfirms } from "./helpers.mjs";

const COMMUNE = "29578";
const AREA = "29578-ap01";

let b;
before(async () => {
  b = await browser();
});
after(async () => {
  await b?.close();
});

async function campaignOf(page) {
  const href = await page.locator("a[href^='/c/']").first().getAttribute("href");
  return href.match(/^\/c\/([^/?#]+)/)[1];
}

const rowsOf = (page, selector) =>
  page.locator(`${selector} tbody tr`).evaluateAll((trs) => trs.map((tr) => Array.from(tr.cells, (c) => c.textContent.trim().replace(/\s+/g, " "))));

test("the commune creates, renames, moves and retires an area on its page; errors come in a focused banner", { timeout: 180_000 }, async () => {
  const page = await signIn(b, "xa");
  page.setDefaultTimeout(20_000);
  acceptConfirms(page);
  try {
    const cid = await campaignOf(page);
    await page.goto(`${url}/c/${cid}/units/${COMMUNE}`);
    const commune = await page.evaluate(() => document.querySelector("h1").firstChild.textContent.trim());
    await submit(page, page.locator("nav.tabs a:text-is('Đơn vị trực thuộc')"));
    const before = await rowsOf(page, "#kept");
    assert.ok(before.length > 3, JSON.stringify(before));

    // Nothing typed: the refusal lists each error in a banner at the top, linked to its field,
    // and the focus is on the banner.
    const refused = await submit(page, page.locator("#new-unit button[type=submit]"));
    assert.equal(refused.status(), 422);
    const banner = page.locator("#error-summary");
    assert.match(await banner.textContent(), /Chưa lưu được: có 2 lỗi cần sửa/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), "error-summary");
    const links = await banner.locator("a").evaluateAll((as) => as.map((a) => [a.getAttribute("href"), a.textContent]));
    assert.deepEqual(links.map((l) => l[0]).sort(), ["#f-name", "#f-unit_type"], JSON.stringify(links));
    await banner.locator("a[href='#f-name']").click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), "f-name");
    await screenshot(page, "units-refused");

    // The name of an existing area of the commune: the import's message.
    const existing = before[0][0];
    await page.selectOption("#f-unit_type", "residential_area");
    await page.fill("#f-name", existing.toUpperCase());
    const duplicate = await submit(page, page.locator("#new-unit button[type=submit]"));
    assert.equal(duplicate.status(), 422);
    const message = await page.textContent("#err-name");
    assert.ok(message.startsWith(`${commune} đã có “${existing}” (mã `) && message.endsWith("); không nhập lại"), message);

    // A new area: saved, said so at the top, listed.
    await page.selectOption("#f-unit_type", "residential_area");
    await page.fill("#f-name", "Ấp Thử Nghiệm Mới");
    await page.fill("#f-code", "29578-thu01");
    await submit(page, page.locator("#new-unit button[type=submit]"));
    assert.equal(await page.textContent("#flash"), "Đã lưu: đã thêm “Ấp Thử Nghiệm Mới”.");
    const added = (await rowsOf(page, "#kept")).find((r) => r[0] === "Ấp Thử Nghiệm Mới");
    assert.deepEqual(added?.slice(1, 4), ["khu dân cư", "29578-thu01", "Đang hoạt động"], JSON.stringify(added));
    await screenshot(page, "units-added");
    // The flash is shown once.
    await page.reload();
    assert.equal(await page.locator("#flash").count(), 0);

    // Renamed, then moved to another commune of the district and back by code.
    await page.goto(`${url}/c/${cid}/units/29578-thu01/edit`);
    await page.fill("#f-name", "Ấp Thử Nghiệm");
    await submit(page, page.locator("#change-unit button[type=submit]"));
    assert.equal(await page.textContent("#flash"), "Đã lưu “Ấp Thử Nghiệm”.");
    assert.equal(await page.inputValue("#f-name"), "Ấp Thử Nghiệm");
    await page.fill("#f-parent", "không có xã này");
    const wrongCommune = await submit(page, page.locator("#change-unit button[type=submit]"));
    assert.equal(wrongCommune.status(), 422);
    assert.match(await page.textContent("#err-parent"), /Không có xã, phường, thị trấn “không có xã này”/);
    // The commune's own code: it stays where it is.
    await page.fill("#f-parent", COMMUNE);
    await submit(page, page.locator("#change-unit button[type=submit]"));
    assert.match(await page.textContent("#flash"), /^Đã lưu/);

    // Retired: asked to confirm first, then listed as no longer existing since today.
    const unconfirmed = await submit(page, page.locator("#retire-unit button[type=submit]"));
    assert.equal(unconfirmed.status(), 422);
    assert.match(await page.textContent("#error-summary"), /Cần đánh dấu ô xác nhận/);
    await page.check("#f-confirm");
    await submit(page, page.locator("#retire-unit button[type=submit]"));
    assert.match(page.url(), new RegExp(`/units/${COMMUNE}/children$`));
    assert.equal(await page.textContent("#flash"), "Đã lưu: “Ấp Thử Nghiệm” thôi tồn tại từ hôm nay.");
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10).split("-").reverse().join("/");
    const retired = (await rowsOf(page, "#kept")).find((r) => r[0] === "Ấp Thử Nghiệm");
    assert.equal(retired?.[3], `Thôi từ ${today}`);
  } finally {
    await page.context().close();
  }
});

test("a unit head may not change their own unit", { timeout: 60_000 }, async () => {
  const page = await signIn(b, "ap");
  page.setDefaultTimeout(20_000);
  try {
    const cid = await campaignOf(page);
    await page.goto(`${url}/c/${cid}/units/${AREA}`);
    assert.equal(await page.locator("nav.tabs a:text-is('Sửa đơn vị')").count(), 0);
    const refused = await page.goto(`${url}/c/${cid}/units/${AREA}/edit`);
    assert.equal(refused.status(), 403);
    // The area has registered: its main button shows the registration instead of offering it.
    await page.goto(`${url}/c/${cid}/units/${AREA}`);
    const registered = /Đã gửi|Đã đăng ký|Đúng hạn|Quá hạn/.test(await page.textContent("#registration"));
    const main = await page.locator(".actions a.button").first().textContent();
    assert.equal(main, registered ? "Xem bản đăng ký" : "Đăng ký phấn đấu");
  } finally {
    await page.context().close();
  }
});

const csv = (name, text) => ({ name, mimeType: "text/csv", buffer: Buffer.from(text, "utf8") });

test("import templates import as downloaded: sample rows skipped, the commune's own name or code accepted", { timeout: 180_000 }, async () => {
  const page = await signIn(b, "xa");
  page.setDefaultTimeout(20_000);
  try {
    const cid = await campaignOf(page);
    await page.goto(`${url}/c/${cid}/units/${COMMUNE}/import/residential_area`);

    // The Excel template as downloaded: its example row is skipped, so nothing is imported
    // (and the example "Ấp Hòa Quới" never is).
    const [xlsx] = await Promise.all([page.waitForEvent("download"), page.click("#templates a:text-is('Excel (.xlsx)')")]);
    await page.setInputFiles("input[type=file]", await xlsx.path());
    const onlySample = await submit(page, page.locator("button:text-is('Kiểm tra tệp')"));
    assert.equal(onlySample.status(), 422);
    assert.match(await page.textContent("main"), /Tệp chỉ có dòng mẫu/);
    assert.doesNotMatch(await page.textContent("main"), /không có đơn vị/);

    // The CSV template as downloaded, its example row left in, with two areas added: one with
    // the commune's code, one with its name in the commune column.
    const [template] = await Promise.all([page.waitForEvent("download"), page.click("#templates a:text-is('CSV (UTF-8)')")]);
    const downloaded = readFileSync(await template.path(), "utf8");
    assert.match(downloaded, /Dòng mẫu/);
    assert.match(downloaded, /Xã Đồng Phú,mẫu/);
    const filled = `${downloaded.trimEnd()}\nẤp Tân Thạnh,,${COMMUNE},\nẤp Tân Phước,,Xã Đồng Phú,\n`;
    await page.setInputFiles("input[type=file]", csv("khu-dan-cu.csv", filled));
    const checked = await submit(page, page.locator("button:text-is('Kiểm tra tệp')"));
    assert.equal(checked.status(), 200, await page.textContent("main"));
    assert.match(await page.textContent("#dry-run"), /Tệp không có lỗi: 2 dòng sẵn sàng để nhập/);
    assert.match(await page.textContent("#dry-run"), /bỏ qua dòng mẫu: dòng 2/);
    await submit(page, page.locator("button:text-is('Nhập 2 dòng')"));
    await page.waitForSelector("#progress :text('Đã nhập 2 dòng.')");
    await screenshot(page, "import-template-done");

    await page.goto(`${url}/c/${cid}/units/${COMMUNE}/children`);
    const names = (await rowsOf(page, "#kept")).map((r) => r[0]);
    assert.ok(names.includes("Ấp Tân Thạnh") && names.includes("Ấp Tân Phước"), JSON.stringify(names));
    assert.ok(!names.includes("Ấp Hòa Quới"), JSON.stringify(names));
  } finally {
    await page.context().close();
  }
});

test("a form sent after the session lapsed is kept and saved after signing in again", { timeout: 120_000 }, async () => {
  const page = await signIn(b, "xa");
  page.setDefaultTimeout(20_000);
  try {
    const cid = await campaignOf(page);
    await page.goto(`${url}/c/${cid}/units/${COMMUNE}/children`);
    await page.selectOption("#f-unit_type", "residential_area");
    await page.fill("#f-name", "Ấp Sau Phiên Hết Hạn");
    // The session lapses while the official types.
    execFileSync("sqlite3", [process.env.ANTT_DATABASE, "UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000Z'"]);
    await submit(page, page.locator("#new-unit button[type=submit]"));
    assert.match(page.url(), /\/login\?form=kept$/);
    assert.match(await page.textContent("#kept-form"), /vẫn được giữ lại/);
    await page.fill("input[name=username]", "xa");
    await page.fill("input[name=password]", "antt-demo-2013");
    await submit(page, page.locator("button[type=submit]"));
    assert.match(page.url(), /\/resume$/);
    assert.match(await page.textContent("#kept-values"), /Ấp Sau Phiên Hết Hạn/);
    await screenshot(page, "resume");
    await submit(page, page.locator("#resend button[type=submit]"));
    assert.equal(await page.textContent("#flash"), "Đã lưu: đã thêm “Ấp Sau Phiên Hết Hạn”.");
    // Kept once: the resume page is gone.
    await page.goto(`${url}/resume`);
    assert.equal(new URL(page.url()).pathname, "/");
  } finally {
    await page.context().close();
  }
});

test("text limits show their count; a draft survives a dropped connection", { timeout: 120_000 }, async () => {
  const page = await signIn(b, "xa");
  page.setDefaultTimeout(20_000);
  try {
    const cid = await campaignOf(page);
    await page.goto(`${url}/c/${cid}/units/${COMMUNE}/children`);
    assert.equal(await page.getAttribute("#f-name", "maxlength"), "200");
    assert.equal(await page.textContent("#f-name-count"), "0/200 ký tự");
    await page.selectOption("#f-unit_type", "residential_area");
    await page.fill("#f-name", "Ấp Mất Mạng");
    assert.equal(await page.textContent("#f-name-count"), "11/200 ký tự");

    // The connection drops as the form is sent: nothing reaches the server, the draft stays.
    await page.context().setOffline(true);
    await page.locator("#new-unit button[type=submit]").click().catch(() => {});
    await page.waitForTimeout(500);
    await page.context().setOffline(false);
    await page.goto(`${url}/c/${cid}/units/${COMMUNE}/children`);
    assert.equal(await page.inputValue("#f-name"), "");
    assert.match(await page.textContent(".draft-note"), /Có bản nháp chưa gửi/);
    await page.click(".draft-note button:text-is('Khôi phục bản nháp')");
    assert.equal(await page.inputValue("#f-name"), "Ấp Mất Mạng");
    assert.equal(await page.inputValue("#f-unit_type"), "residential_area");
    await submit(page, page.locator("#new-unit button[type=submit]"));
    assert.equal(await page.textContent("#flash"), "Đã lưu: đã thêm “Ấp Mất Mạng”.");
    // Saved, the draft is gone.
    await page.goto(`${url}/c/${cid}/units/${COMMUNE}/children`);
    assert.equal(await page.locator(".draft-note").count(), 0);
  } finally {
    await page.context().close();
  }
});

test("on a phone the inspector's and the area head's pages read well", { timeout: 120_000 }, async () => {
  for (const username of ["kiemtra", "ap"]) {
    const page = await signIn(b, username, phone);
    page.setDefaultTimeout(20_000);
    try {
      const cid = await campaignOf(page);
      const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
      // The header scrolls away and is small; the breadcrumb is one line.
      await page.goto(`${url}/c/${cid}/units/${AREA}`);
      const header = await page.evaluate(() => {
        const h = document.querySelector("header.top");
        return { position: getComputedStyle(h).position, height: h.getBoundingClientRect().height };
      });
      assert.equal(header.position, "static");
      assert.ok(header.height < 110, JSON.stringify(header));
      const crumb = await page.evaluate(() => document.querySelector(".breadcrumb").getBoundingClientRect().height);
      assert.ok(crumb < 40, `breadcrumb ${crumb}px`);
      assert.ok(await fits(), "the unit page is wider than the phone");
      await screenshot(page, `phone-unit-${username}`);
      if (username === "kiemtra") {
        // The inspection table as cards: no header row, each item a block with its labels.
        await page.goto(`${url}/c/${cid}/units/${AREA}/inspect`);
        const table = await page.evaluate(() => {
          const t = document.querySelector("table.scores");
          const cell = t.querySelector("tbody tr td[data-label='Ghi chú']");
          return { head: getComputedStyle(t.querySelector("thead")).display, cell: getComputedStyle(cell).display, width: cell.getBoundingClientRect().width };
        });
        assert.deepEqual([table.head, table.cell], ["none", "block"]);
        assert.ok(table.width > 250, `notes ${table.width}px wide`);
        assert.ok(await fits(), "the inspection page is wider than the phone");
        await screenshot(page, "phone-inspect");
        // The district's dashboard: a bar chart tall enough to read, links that wrap.
        await page.goto(`${url}/c/${cid}/dashboard`);
        const chart = await page.evaluate(() => document.querySelector("canvas[data-chart]")?.getBoundingClientRect().height ?? 0);
        assert.ok(chart > 200, `chart ${chart}px high`);
        assert.ok(await fits(), "the dashboard is wider than the phone");
        await screenshot(page, "phone-dashboard");
      }
      await audit(page);
    } finally {
      await page.context().close();
    }
  }
});
