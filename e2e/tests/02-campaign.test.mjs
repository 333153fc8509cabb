// The whole workflow in the browser, through the pages only: the commune registers a residential
// area that has entered nothing yet (Ấp Rạch Sậy, 29578-ap13 in the demo), records its facts and
// self-scores it; the inspector scores it and judges it; the province confirms it and issues a
// recognition decision; the dashboard follows, other communes stay out of reach and the decision
// locks the area's facts.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { browser, signIn, screenshot, url, submit, dashboardNumbers, acceptConfirms, currentVerdict } from "./helpers.mjs";

const AREA = "29578-ap13";
const AREA_NAME = "Ấp Rạch Sậy (minh họa)";
const DECISION = "15/QĐ-UBND";

let b;
// Learnt on the way: the campaign's id and the dashboard's numbers before anything was entered.
let cid;
let before857;

before(async () => {
  b = await browser();
});

after(async () => {
  await b?.close();
});

async function as(username, viewport) {
  const page = await signIn(b, username, viewport);
  page.setDefaultTimeout(20_000);
  page.setDefaultNavigationTimeout(30_000);
  acceptConfirms(page);
  return page;
}

const main = (page) => page.locator("main");

test("the province notes the district's dashboard, with its charts drawn", { timeout: 120_000 }, async () => {
  const page = await as("tinh");
  try {
    // The campaign's heading on the work list leads to its dashboard.
    await Promise.all([page.waitForURL(/\/c\/[^/]+\/dashboard/), page.click("section.work h2 a")]);
    cid = page.url().match(/\/c\/([^/]+)\/dashboard/)[1];
    await Promise.all([page.waitForURL(/dashboard\?unit=857$/), page.click("#by-child a:text-is('Huyện Long Hồ')")]);
    assert.match(await page.textContent("h1"), /Tổng quan: Huyện Long Hồ/);
    await page.waitForSelector("canvas[data-chart][data-drawn='1']");
    assert.equal(await page.locator("canvas[data-chart]").count(), 2);
    // Chart.js drew something: neither canvas is blank.
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll("canvas[data-chart]")).every(
        (c) => c.width > 0 && c.getContext("2d").getImageData(0, 0, c.width, c.height).data.some((v) => v !== 0),
      ),
    );
    before857 = await dashboardNumbers(page);
    assert.ok(before857.total.units > 0 && before857.total.registered < before857.total.units, JSON.stringify(before857.total));
    // Three undecided in the commune: an area not inspected yet, the new area that has entered
    // nothing, and so the commune itself.
    assert.equal(before857.children["Xã Đồng Phú"].incomplete, 3, JSON.stringify(before857.children["Xã Đồng Phú"]));
    await screenshot(page, "dashboard");
  } finally {
    await page.context().close();
  }
});

test("a. the commune registers the area it finds on its work list and prints the two copies", { timeout: 120_000 }, async () => {
  const page = await as("xa");
  try {
    assert.match(await page.textContent("h1"), /Việc cần làm/);
    const due = page.locator("h3[id^='due-'] + ul.worklist li");
    await due.first().waitFor();
    assert.match(await due.filter({ hasText: AREA_NAME }).textContent(), /quá hạn/);
    await screenshot(page, "home-worklist");

    // The unit tree shows the area under the commune too.
    await Promise.all([page.waitForURL(`${url}/units`), page.click("nav a[href='/units']")]);
    assert.match(await page.textContent("ul.tree"), /Ấp Rạch Sậy/);
    await screenshot(page, "unit-tree");
    await page.goBack();

    await Promise.all([page.waitForURL(new RegExp(`/units/${AREA}/register$`)), due.filter({ hasText: AREA_NAME }).locator("a").click()]);
    assert.match(await page.textContent("h1"), /Ấp Rạch Sậy/);
    assert.match(await main(page).textContent(), /Chưa đăng ký/);
    // Every criterion is pledged by default; the date and the dossier are filled in.
    const pledges = page.locator("input[type=checkbox][name^='pledge_']");
    assert.equal(await pledges.count(), 5);
    for (const c of await pledges.all()) assert.equal(await c.isChecked(), true);
    await page.fill("input[name='note_1.4']", "Phấn đấu giảm trộm cắp tài sản");
    await page.fill("input[name=registered_on]", "15/05/2013");
    await page.check("input[name=doc_party_resolution]");
    await page.fill("input[name=docnum_party_resolution]", "07-NQ/CB");
    await page.fill("input[name=docdate_party_resolution]", "10/05/2013");
    await page.check("input[name=doc_self_management_model]");
    await page.fill("input[name=docdate_self_management_model]", "15/03/2013");
    await screenshot(page, "registration-form");
    const response = await submit(page, page.getByRole("button", { name: "Gửi bản đăng ký" }));
    assert.equal(response.status(), 200);
    const receipt = (await page.textContent("main section.card strong")).trim();
    assert.match(receipt, /^PV28-2013-\d+$/);
    assert.match(await main(page).textContent(), /Số tiếp nhận:/);
    assert.match(await main(page).textContent(), /15\/05\/2013/);
    assert.match(await main(page).textContent(), /Phấn đấu giảm trộm cắp tài sản/);

    await Promise.all([page.waitForURL(/\/register\/print$/), page.click("a:text('In bản đăng ký (2 bản)')")]);
    const copies = page.locator("article.doc");
    assert.equal(await copies.count(), 2);
    for (const copy of await copies.all()) {
      const text = await copy.textContent();
      assert.ok(text.includes(receipt), `the copy shows the receipt number ${receipt}`);
      assert.match(text, /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
      assert.match(text, /RẠCH SẬY/);
      assert.match(text, /đăng ký đúng hạn \(hạn 22\/05\/2013\)/);
    }
    await screenshot(page, "registration-print");
  } finally {
    await page.context().close();
  }
});

/// Adds a record on a fact page through its "Thêm" form; returns the response.
async function addRecord(page, fields) {
  const form = page.locator("form.card:has(h3:text-matches('^Thêm'))");
  for (const [name, value] of Object.entries(fields)) {
    const input = form.locator(`[name='${name}']`);
    const tag = await input.first().evaluate((e) => `${e.tagName}:${e.type}`);
    if (tag.startsWith("SELECT")) await input.selectOption(value);
    else if (tag === "INPUT:radio") await form.locator(`[name='${name}'][value='${value}']`).check();
    else await input.fill(value);
  }
  return submit(page, form.getByRole("button", { name: "Thêm" }));
}

async function factTab(page, name) {
  await submit(page, page.locator("nav.tabs.secondary a", { hasText: name }));
  assert.match(await page.textContent("main h2"), new RegExp(name));
}

test("b. the commune enters the area's facts, is told about a bad number, and self-scores it", { timeout: 180_000 }, async () => {
  const page = await as("xa");
  try {
    await page.goto(`${url}/c/${cid}/units/${AREA}`);
    await submit(page, page.locator("nav.tabs a", { hasText: "Dữ liệu" }));

    // Signed > total: the Vietnamese message next to the field, the typed values kept, 422.
    await factTab(page, "Ký cam kết");
    let response = await addRecord(page, { group_code: "households", signed: "181", total: "180" });
    assert.equal(response.status(), 422);
    const signed = page.locator("form.card input[name=signed]");
    assert.equal(await signed.getAttribute("aria-invalid"), "true");
    assert.equal(await page.textContent("#err-signed"), "Số đã ký (181) không được lớn hơn tổng số (180).");
    // The message sits in the field's own label.
    assert.equal(await page.locator("label:has(input[name=signed]) .field-error").count(), 1);
    assert.equal(await signed.inputValue(), "181");
    assert.equal(await page.inputValue("form.card input[name=total]"), "180");
    assert.equal(await page.inputValue("form.card select[name=group_code]"), "households");
    await screenshot(page, "facts-error");
    response = await addRecord(page, { signed: "180", total: "180" });
    assert.equal(response.status(), 200);
    assert.match(await page.textContent("main table"), /Hộ gia đình\s*180\s*180\s*100%/);

    // The documents of the dossier came with the registration.
    await factTab(page, "Tài liệu, văn bản");
    const documents = await page.textContent("main table");
    assert.match(documents, /07-NQ\/CB/);
    assert.match(documents, /15\/03\/2013/);

    // A minor crime, reported at once.
    await factTab(page, "Vụ việc");
    response = await addRecord(page, {
      kind: "crime",
      occurred_on: "12/07/2013",
      severity: "it_nghiem_trong",
      in_territory: "1",
      by_own_people: "0",
      force_majeure: "0",
      reported_promptly: "1",
      note: "Trộm cắp xe máy, phát hiện và báo Công an xã ngay",
    });
    assert.equal(response.status(), 200);
    const incidents = await page.textContent("main table");
    assert.match(incidents, /Tội phạm/);
    assert.match(incidents, /12\/07\/2013/);
    assert.match(incidents, /ít nghiêm trọng/);
    await screenshot(page, "facts-incidents");

    // No discipline this year: the list is declared complete.
    await factTab(page, "Kỷ luật");
    assert.match(await page.textContent("main h2"), /Chưa nhập/);
    await submit(page, page.getByRole("button", { name: "Không có (xác nhận danh sách đầy đủ)" }));
    assert.doesNotMatch(await page.textContent("main h2"), /Chưa nhập/);

    await factTab(page, "Danh hiệu thi đua");
    response = await addRecord(page, { force_code: "grassroots_security", scale: "task_rating", level: "hoan_thanh_tot" });
    assert.equal(response.status(), 200);
    assert.match(await page.textContent("main table"), /Hoàn thành tốt nhiệm vụ/);

    // No condition applies to a residential area; last year's counts are asked for.
    await submit(page, page.locator("nav.tabs.secondary a", { hasText: "Điều kiện" }));
    assert.match(await main(page).textContent(), /Không có điều kiện nào ảnh hưởng đến tiêu chí của loại đơn vị này/);
    await submit(page, page.locator("nav.tabs.secondary a", { hasText: "Số liệu năm trước" }));
    const previous = { crime: "2", traffic_accident: "1", labour_accident: "0", fire_explosion: "0", social_evil: "0", other_violation: "0" };
    for (const [name, value] of Object.entries(previous)) await page.fill(`form.card input[name=${name}]`, value);
    response = await submit(page, page.getByRole("button", { name: "Lưu" }));
    assert.equal(response.status(), 200);
    // Saved, the unit page shows the result; the form shows the counts again.
    assert.equal(page.url(), `${url}/c/${cid}/units/${AREA}`);
    await page.goBack();
    await page.reload();
    for (const [name, value] of Object.entries(previous)) assert.equal(await page.inputValue(`input[name=${name}]`), value);

    // Everything is entered: the verdict is decided but for the inspector's judgement.
    await submit(page, page.locator("nav.tabs a", { hasText: "Kết quả đánh giá" }));
    const verdict = await currentVerdict(page);
    assert.match(verdict, /180\/180 hộ gia đình/);
    assert.match(verdict, /Chưa có đánh giá của đoàn kiểm tra/);
    assert.equal(await page.locator("#verdict .badge.bad").count(), 0);

    // Self-scores for every item.
    await submit(page, page.locator("nav.tabs a", { hasText: "Tự chấm điểm" }));
    const scores = { "1.1": "20", "1.2": "19", "1.3": "20", "1.4": "18,5", "1.5": "19" };
    for (const [item, points] of Object.entries(scores)) await page.fill(`input[name='points_${item}']`, points);
    await page.fill("input[name='note_1.4']", "Còn 01 vụ trộm cắp");
    await screenshot(page, "self-score");
    response = await submit(page, page.getByRole("button", { name: "Lưu bảng tự chấm điểm" }));
    assert.equal(response.status(), 200);
    // Saved, the unit page shows the scores.
    assert.equal(page.url(), `${url}/c/${cid}/units/${AREA}#scores`);
    const table = page.locator("#scores table");
    assert.match(await table.locator("tr", { hasText: "1.4." }).textContent(), /18,5/);
    assert.match(await table.locator("tr", { hasText: "Tổng" }).textContent(), /96,5/);
    await page.goBack();
    await page.reload();
    for (const [item, points] of Object.entries(scores)) assert.equal(await page.inputValue(`input[name='points_${item}']`), points);
  } finally {
    await page.context().close();
  }
});

test("c. the inspector finds the area, scores it beside the self-scores and judges it", { timeout: 120_000 }, async () => {
  const page = await as("kiemtra");
  try {
    // Search without diacritics in the unit tree.
    await Promise.all([page.waitForURL(`${url}/units`), page.click("nav a[href='/units']")]);
    await page.fill("input[name=q]", "rach say");
    const hit = page.locator("#results a", { hasText: AREA_NAME });
    await hit.waitFor();
    assert.match(await page.textContent("#results"), /Tìm thấy 1 đơn vị/);
    await submit(page, hit);
    await submit(page, page.locator("main section.card a[href^='/c/']").first());
    assert.equal(page.url(), `${url}/c/${cid}/units/${AREA}`);
    await submit(page, page.locator("nav.tabs a", { hasText: "Chấm điểm kiểm tra" }));
    assert.match(await page.textContent("main h2"), /Chấm điểm kiểm tra/);

    // The self-scores are shown beside the inputs.
    const row = (item) => page.locator("table.scores tbody tr", { hasText: `${item}.` }).first();
    assert.match(await row("1.4").locator("td").nth(2).textContent(), /18,5/);
    assert.match(await row("1.4").locator("td").nth(2).textContent(), /Còn 01 vụ trộm cắp/);
    await page.fill("input[name=inspected_on]", "15/10/2013");
    const reviewed = { "1.1": "20", "1.2": "19", "1.3": "20", "1.4": "17", "1.5": "19" };
    for (const [item, points] of Object.entries(reviewed)) await page.fill(`input[name='points_${item}']`, points);
    await page.fill("input[name='note_1.4']", "Hồ sơ phòng ngừa trộm cắp chưa đầy đủ");
    await page.check("input[name='judge_1.2_a'][value=met]");
    const response = await submit(page, page.getByRole("button", { name: "Lưu kết quả kiểm tra" }));
    assert.equal(response.status(), 200);
    assert.equal(page.url(), `${url}/c/${cid}/units/${AREA}/inspect`);

    // Saved: the one item scored differently is highlighted, with the difference.
    assert.match(await page.textContent("p.notice"), /Có 1 mục đoàn kiểm tra chấm khác điểm tự chấm/);
    const differing = page.locator("table.scores tbody tr.diff");
    assert.equal(await differing.count(), 1);
    assert.match(await differing.textContent(), /^\s*1\.4\./);
    assert.match(await differing.locator(".diff-value").textContent(), /1,5/);
    const background = await differing.evaluate((tr) => getComputedStyle(tr).backgroundColor);
    const plain = await row("1.1").evaluate((tr) => getComputedStyle(tr).backgroundColor);
    assert.notEqual(background, plain);
    assert.equal(await page.inputValue("input[name='points_1.4']"), "17");
    assert.equal(await page.isChecked("input[name='judge_1.2_a'][value=met]"), true);
    await screenshot(page, "inspection-scoring");

    // The unit page now has both columns and the judgement.
    await submit(page, page.locator("nav.tabs a", { hasText: "Kết quả đánh giá" }));
    assert.match(await page.textContent("#scores table tr.diff"), /18,5\s*17/);
    assert.match(await page.textContent("#scores"), /Đạt/);
  } finally {
    await page.context().close();
  }
});

test("d. the province confirms the area, the commune issues its decision and the dashboard follows", { timeout: 180_000 }, async () => {
  let page = await as("tinh");
  try {
    await page.goto(`${url}/c/${cid}/dashboard?unit=857`);
    await submit(page, page.locator("#by-child a", { hasText: "Xã Đồng Phú" }));
    assert.match(await page.textContent("h1"), /Tổng quan: Xã Đồng Phú/);
    await submit(page, page.locator("main a.button", { hasText: "Xét duyệt" }));
    assert.match(await page.textContent("h1"), /Xét duyệt: Xã Đồng Phú/);

    const article = page.locator(`article#u-${AREA}`);
    const proposed = article.locator("[data-proposed]");
    assert.equal(await proposed.getAttribute("data-proposed"), "recognised");
    assert.equal((await proposed.textContent()).trim(), "Đạt chuẩn");
    // Classified from the inspector's scores: 95/100.
    assert.match(await article.textContent(), /Xuất sắc \(95\/100 điểm\)/);

    // The verdict page gives the reasons.
    await submit(page, article.locator("h2 a"));
    const verdict = await currentVerdict(page);
    assert.match(verdict, /Kết quả đánh giá: Đạt chuẩn/);
    assert.match(verdict, /180\/180 hộ gia đình ký cam kết/);
    assert.match(verdict, /07-NQ\/CB/);
    assert.equal(await page.locator("#verdict .badge.bad, #verdict .badge.warn").count(), 0);
    await screenshot(page, "unit-verdict");
    await page.goBack();

    await article.locator("select[name=outcome]").selectOption("recognised");
    await submit(page, article.getByRole("button", { name: "Xác nhận" }));
    assert.match(await page.locator(`article#u-${AREA} p.confirmed`).textContent(), /Đã xác nhận: Đạt chuẩn/);
    await screenshot(page, "review");

    // The ruleset gives residential areas to the commune's chairman: the province has nothing
    // to decide here, the commune does it on the same page.
    assert.equal(await page.locator("#decision form input[name=units]").count(), 0);
    assert.match(await page.textContent("#decision"), /Chưa có đơn vị nào thuộc thẩm quyền công nhận của cấp bạn/);
    const reviewUrl = page.url().replace(/#.*$/, "");
    await page.context().close();
    page = await as("xa");
    await page.goto(reviewUrl);

    // The decision: only the area is a candidate.
    const form = page.locator("#decision form");
    const candidates = form.locator("input[name=units]");
    assert.equal(await candidates.count(), 1);
    assert.equal(await candidates.first().getAttribute("value"), AREA);
    await candidates.first().check();
    await form.locator("input[name=number]").fill(DECISION);
    await form.locator("input[name=decided_on]").fill("20/12/2013");
    await form.locator("input[name=signer]").fill("Nguyễn Văn Hai (minh họa)");
    const response = await submit(page, form.getByRole("button", { name: "Ban hành quyết định" }));
    assert.equal(response.status(), 200);
    assert.match(page.url(), new RegExp(`/c/${cid}/decisions/[^/#?]+$`));
    const decision = await main(page).textContent();
    assert.ok(decision.includes(DECISION), decision);
    assert.match(decision, /20\/12\/2013/);
    assert.match(decision, /Nguyễn Văn Hai \(minh họa\)/);
    assert.ok(decision.includes(AREA_NAME));
    assert.match(decision, /Chủ tịch Ủy ban nhân dân xã Đồng Phú/);
    await screenshot(page, "decision");
    await page.context().close();
    page = await as("tinh");

    // The dashboard: one more area registered, self-scored, inspected and recognised; with it the
    // commune reaches 10 of 13 areas and is recognised too, so two fewer units lack data.
    await page.goto(`${url}/c/${cid}/dashboard?unit=857`);
    const now = await dashboardNumbers(page);
    const delta = (a, b) => Object.fromEntries(Object.keys(a).map((k) => [k, b[k] - a[k]]));
    assert.deepEqual(delta(before857.types["khu dân cư"], now.types["khu dân cư"]), {
      units: 0, registered: 1, onTime: 1, late: 0, selfScored: 1, inspected: 1, recognised: 1, notRecognised: 0, incomplete: -1,
    });
    assert.deepEqual(delta(before857.types["xã, phường, thị trấn"], now.types["xã, phường, thị trấn"]), {
      units: 0, registered: 0, onTime: 0, late: 0, selfScored: 0, inspected: 0, recognised: 1, notRecognised: 0, incomplete: -1,
    });
    assert.deepEqual(delta(before857.total, now.total), {
      units: 0, registered: 1, onTime: 1, late: 0, selfScored: 1, inspected: 1, recognised: 2, notRecognised: 0, incomplete: -2,
    });
    assert.equal(now.children["Xã Đồng Phú"].recognised - before857.children["Xã Đồng Phú"].recognised, 2);
    assert.equal(await page.textContent("#n-registered"), String(before857.total.registered + 1));
    assert.equal(await page.textContent("#n-recognised"), String(before857.total.recognised + 2));
    await page.waitForSelector("canvas[data-chart][data-drawn='1']");
    await screenshot(page, "dashboard-after");

    // The audit log has every step on the area, by whom.
    await page.goto(`${url}/audit`);
    await page.fill("input[name=unit]", AREA);
    await submit(page, page.getByRole("button", { name: "Lọc" }));
    const log = await page.textContent("#audit");
    for (const who of ["xa", "kiemtra", "tinh"]) assert.match(log, new RegExp(`\\b${who}\\b`));
    for (const what of ["Gửi", "Chấm điểm", "Đánh giá của đoàn kiểm tra", "Xác nhận kết quả", "Khóa dữ liệu"]) assert.ok(log.includes(what), what);
    await screenshot(page, "audit-log");
  } finally {
    await page.context().close();
  }
});

test("e. the commune cannot reach another commune's unit, on the pages or through the API", { timeout: 60_000 }, async () => {
  const page = await as("xa");
  try {
    const other = `${url}/c/${cid}/units/29584-ap01`;
    const response = await page.goto(other);
    assert.equal(response.status(), 404);
    assert.match(await page.textContent("h1"), /Không thực hiện được \(404\)/);
    assert.equal(await page.textContent("p.error"), "Không tìm thấy trang hoặc dữ liệu bạn cần.");
    assert.doesNotMatch(await page.content(), /29584-ap01|Hòa Ninh/);
    await screenshot(page, "not-found");

    // The API takes no session cookie…
    const api = `${url}/api/v1/campaigns/${cid}/units`;
    const cookieOnly = await page.request.get(`${api}/29584-ap01/verdict`);
    assert.equal(cookieOnly.status(), 401);
    assert.match((await cookieOnly.json()).error, /\p{L}/u);
    // …and with xa's own token another commune's unit does not exist, while its own does.
    const issued = await page.request.post(`${url}/api/v1/tokens`, { data: { username: "xa", password: "antt-demo-2013", name: "kiểm thử e2e" } });
    assert.equal(issued.status(), 201);
    const headers = { Authorization: `Bearer ${(await issued.json()).token}` };
    const outside = await page.request.get(`${api}/29584-ap01/verdict`, { headers });
    assert.equal(outside.status(), 404);
    assert.ok((await outside.json()).error.length > 0);
    const own = await page.request.get(`${api}/${AREA}/verdict`, { headers });
    assert.equal(own.status(), 200);
    assert.equal((await own.json()).outcome, "recognised");
  } finally {
    await page.context().close();
  }
});

test("f. after the decision the area's facts are locked", { timeout: 60_000 }, async () => {
  const page = await as("xa");
  try {
    await page.goto(`${url}/c/${cid}/units/${AREA}/facts/commitments`);
    // The page says why nothing can be changed and offers no way to change it.
    assert.ok((await page.textContent("p.notice")).includes(`quyết định công nhận số ${DECISION}`));
    assert.equal(await page.locator("main table a", { hasText: "Sửa" }).count(), 0);
    assert.equal(await page.locator("main input[name=signed]").count(), 0);
    await screenshot(page, "locked");
    // A write sent anyway is refused with the lock message, and nothing changes.
    const csrf = await page.getAttribute("body", "data-csrf");
    const response = await page.request.post(`${url}/c/${cid}/units/${AREA}/facts/incidents`, {
      form: { _csrf: csrf, kind: "crime", occurred_on: "01/09/2013", severity: "", in_territory: "1", by_own_people: "0", force_majeure: "0", reported_promptly: "1", note: "thử sau khi khóa" },
      headers: { "Sec-Fetch-Site": "same-origin" },
    });
    assert.equal(response.status(), 409);
    assert.ok((await response.text()).includes(`khóa bởi quyết định công nhận ${DECISION}`));
    await page.goto(`${url}/c/${cid}/units/${AREA}/facts/commitments`);
    assert.match(await page.textContent("main table"), /Hộ gia đình\s*180\s*180\s*100%/);
  } finally {
    await page.context().close();
  }
});

test("the unit page fits a phone", { timeout: 60_000 }, async () => {
  const page = await as("xa", { width: 390, height: 844 });
  try {
    await page.goto(`${url}/c/${cid}/units/${AREA}`);
    assert.match(await currentVerdict(page), /Kết quả đánh giá: Đạt chuẩn/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    await screenshot(page, "unit-mobile");
  } finally {
    await page.context().close();
  }
});
