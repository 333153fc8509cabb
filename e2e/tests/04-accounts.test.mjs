// Accounts in the browser: the province's admin creates a commune user with a role on one
// commune; that user signs in with the one-time code, must choose a password first, and then
// sees only that commune; the admin disables the account and the user's open session ends.
import { test } from "node:test";
import assert from "node:assert/strict";
import { browser, signIn, screenshot, url, submit } from "./helpers.mjs";

const NEW_PASSWORD = "trâu cày ruộng sâu lúc bình minh";

test("an admin creates a commune user who chooses a password, sees only the commune and is disabled", { timeout: 120_000 }, async () => {
  const b = await browser();
  try {
    const admin = await signIn(b, "tinh");
    await submit(admin, admin.locator("header nav a", { hasText: "Người dùng" }));
    await admin.fill("input[name=username]", "xa-phuoc-hau-e2e");
    await admin.fill("input[name=full_name]", "Cán bộ xã Phước Hậu");
    await admin.selectOption("select[name=role]", "commune");
    await admin.fill("input[name=unit_id]", "29584");
    const created = await submit(admin, admin.locator("button", { hasText: "Tạo tài khoản" }));
    assert.equal(created.status(), 201);
    const code = (await admin.textContent("strong.code")).trim();
    // The code is shown on the answer to the form, not at an address: the user's page is where
    // its action forms point.
    const userPage = url + (await admin.getAttribute("form[action$='/disable']", "action")).replace(/\/disable$/, "");
    await screenshot(admin, "user-created");

    // The new user signs in with the code and lands on the password page.
    const context = await b.newContext({ locale: "vi-VN" });
    const user = await context.newPage();
    await user.goto(`${url}/login`);
    await user.fill("input[name=username]", "xa-phuoc-hau-e2e");
    await user.fill("input[name=password]", code);
    await Promise.all([user.waitForURL(`${url}/account/password`), user.click("button[type=submit]")]);
    assert.match(await user.textContent("main"), /mã dùng một lần/);
    await user.fill("input[name=current_password]", code);
    await user.fill("input[name=new_password]", NEW_PASSWORD);
    await user.fill("input[name=confirm_password]", NEW_PASSWORD);
    await submit(user, user.locator("button", { hasText: "Đổi mật khẩu" }));
    assert.match(await user.textContent("main"), /Đã đổi mật khẩu/);

    // Only its commune.
    const own = await user.goto(`${url}/units/29584`);
    assert.equal(own.status(), 200);
    const other = await user.goto(`${url}/units/29578`);
    assert.equal(other.status(), 404);

    // The admin disables the account: the open session is over.
    await admin.goto(userPage);
    await submit(admin, admin.locator("button", { hasText: "Khóa tài khoản" }));
    assert.match(await admin.textContent("main"), /Đã khóa tài khoản/);
    await user.goto(`${url}/`);
    assert.equal(new URL(user.url()).pathname, "/login");
    await context.close();
  } finally {
    await b.close();
  }
});
