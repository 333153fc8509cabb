// Import of a spreadsheet from a unit's page, in the browser: the unit head of the demo's
// residential area downloads the template, uploads a household list with mistakes, reads the
// dry run's problems by row and column (nothing written), uploads the corrected file, confirms,
// and follows the progress until the import is done; the area's commitment list then holds it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { browser, signIn, screenshot, url, submit } from "./helpers.mjs";

const AREA = "29578-ap01";

let b;

before(async () => {
  b = await browser();
});

after(async () => {
  await b?.close();
});

const file = (name, text) => ({ name, mimeType: "text/csv", buffer: Buffer.from(text, "utf8") });

test("a unit head imports the household list after a dry run", { timeout: 120_000 }, async () => {
  const page = await signIn(b, "ap");
  page.setDefaultTimeout(20_000);
  try {
    const href = await page.locator("a[href^='/c/']").first().getAttribute("href");
    const cid = href.match(/^\/c\/([^/?]+)/)[1];
    await page.goto(`${url}/c/${cid}/units/${AREA}`);
    await submit(page, page.locator("nav.tabs a:text-is('Nhập từ tệp')"));
    await submit(page, page.locator("#kinds a:text-is('Danh sách hộ gia đình ký cam kết')"));

    // The template downloads as an Excel file named after the kind.
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#templates a:text-is('Excel (.xlsx)')")]);
    assert.equal(download.suggestedFilename(), "mau-nhap-households.xlsx");

    // A file with two mistakes: an impossible date and a yes/no column with something else.
    await page.setInputFiles("input[type=file]", file("ho-gia-dinh.csv", "Chủ hộ,Đã ký cam kết,Ngày ký\nNguyễn Văn An,có,31/02/2013\nTrần Thị Bé,chưa rõ,\nLê Văn Cường,có,03/05/2013\n"));
    const refused = await submit(page, page.locator("button:text-is('Kiểm tra tệp')"));
    assert.equal(refused.status(), 422);
    const problems = await page.locator("#problems tbody tr").evaluateAll((rows) => rows.map((r) => Array.from(r.cells, (c) => c.textContent.trim())));
    assert.equal(problems.length, 2, JSON.stringify(problems));
    assert.deepEqual(problems.map((p) => p.slice(0, 2)), [["2", "C (Ngày ký)"], ["3", "B (Đã ký cam kết)"]]);
    assert.match(await page.textContent("#dry-run"), /Không ghi dòng nào/);
    await screenshot(page, "import-dry-run");

    // Corrected, it is ready; confirmed, the import runs and its page follows it to the end.
    await page.setInputFiles("input[type=file]", file("ho-gia-dinh.csv", "Chủ hộ,Đã ký cam kết,Ngày ký\nNguyễn Văn An,có,28/02/2013\nTrần Thị Bé,không,\nLê Văn Cường,có,03/05/2013\n"));
    const checked = await submit(page, page.locator("button:text-is('Kiểm tra tệp')"));
    assert.equal(checked.status(), 200);
    assert.match(await page.textContent("#dry-run"), /Tệp không có lỗi: 3 dòng sẵn sàng để nhập/);
    await submit(page, page.locator("button:text-is('Nhập 3 dòng')"));
    assert.match(page.url(), /\/imports\/[^/]+$/);
    await page.waitForSelector("#progress :text('Đã nhập 3 dòng.')");
    await screenshot(page, "import-done");

    // The area's commitments now count the list: 2 of 3 households signed.
    await page.goto(`${url}/c/${cid}/units/${AREA}/facts/commitments`);
    const rows = await page.locator("main table tbody tr").evaluateAll((trs) => trs.map((tr) => Array.from(tr.cells, (c) => c.textContent.trim())));
    const households = rows.find((r) => r[0] === "Hộ gia đình");
    assert.deepEqual(households?.slice(0, 4), ["Hộ gia đình", "2", "3", "66,7%"], JSON.stringify(rows));
  } finally {
    await page.context().close();
  }
});
