import { test } from "node:test";
import assert from "node:assert/strict";
import { browser, signIn, screenshot, url } from "./helpers.mjs";

test("a wrong password is refused in Vietnamese and the user name is kept", async () => {
  const b = await browser();
  try {
    const page = await b.newPage();
    await page.goto(`${url}/login`);
    await page.fill("input[name=username]", "tinh");
    await page.fill("input[name=password]", "sai-mat-khau");
    await page.click("button[type=submit]");
    await page.waitForSelector(".error");
    assert.match(await page.textContent(".error"), /Tên đăng nhập hoặc mật khẩu không đúng/);
    assert.equal(await page.inputValue("input[name=username]"), "tinh");
    await screenshot(page, "login-error");
  } finally {
    await b.close();
  }
});

test("the province account signs in and sees its work list", async () => {
  const b = await browser();
  try {
    const page = await signIn(b, "tinh");
    assert.match(await page.textContent("h1"), /Việc cần làm/);
    await screenshot(page, "home");
  } finally {
    await b.close();
  }
});
