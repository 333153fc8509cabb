// The second factor in the browser: a user enrols an authenticator app (the test computes the
// TOTP code from the secret the page shows, as the app would), gets recovery codes once, then
// signs in with password and code, or with a recovery code; the province's admin removes the
// second factor (audited) and the user signs in with the password alone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { browser, password, screenshot, signIn, submit, url } from "./helpers.mjs";

/// RFC 4648 base32 → bytes.
function base32(text) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.replace(/[\s=-]/g, "").toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

/// The six-digit TOTP code (RFC 6238: HMAC-SHA1, 30-second steps) of `step`.
function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const digest = createHmac("sha1", base32(secret)).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  const binary = (digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(binary).padStart(6, "0");
}

const stepNow = () => Math.floor(Date.now() / 1000 / 30);

async function passwordStep(page, username) {
  await page.goto(`${url}/login`);
  await page.fill("input[name=username]", username);
  await page.fill("input[name=password]", password);
  await submit(page, page.locator("button[type=submit]"));
}

test("a user enrols a second factor, signs in with a code or a recovery code, and an admin removes it", { timeout: 120_000 }, async () => {
  const b = await browser();
  try {
    const user = await signIn(b, "kiemtra");
    await user.goto(`${url}/account/second-factor`);
    const secret = await user.getAttribute("#totp-secret", "data-secret");
    assert.match(await user.textContent("#totp-uri"), new RegExp(`^otpauth://totp/ANTT:kiemtra\\?secret=${secret}&`));
    await screenshot(user, "second-factor-enrol");
    // A wrong code first: refused, nothing turned on.
    const wrong = String((Number(totp(secret, stepNow())) + 1) % 1_000_000).padStart(6, "0");
    await user.fill("input[name=code]", wrong);
    const refused = await submit(user, user.locator("button", { hasText: "Bật xác thực hai bước" }));
    assert.equal(refused.status(), 422);
    const enrolledAt = stepNow();
    await user.fill("input[name=code]", totp(secret, enrolledAt));
    await submit(user, user.locator("button", { hasText: "Bật xác thực hai bước" }));
    const codes = (await user.locator("#recovery-codes code").allTextContents()).map((c) => c.trim());
    assert.equal(codes.length, 10);
    await screenshot(user, "second-factor-recovery-codes");

    // Password, then the code of the next step (the enrolment took this one).
    const context = await b.newContext({ locale: "vi-VN" });
    const again = await context.newPage();
    await passwordStep(again, "kiemtra");
    assert.equal(new URL(again.url()).pathname, "/login/code");
    const notYet = await again.goto(`${url}/`);
    assert.equal(new URL(notYet.url()).pathname, "/login", "no session before the code");
    await passwordStep(again, "kiemtra");
    await again.fill("input[name=code]", totp(secret, enrolledAt + 1));
    await submit(again, again.locator("button[type=submit]"));
    assert.equal(new URL(again.url()).pathname, "/");
    await context.close();

    // A recovery code works once.
    for (const expected of ["/", "/login/code"]) {
      const c = await b.newContext({ locale: "vi-VN" });
      const p = await c.newPage();
      await passwordStep(p, "kiemtra");
      await p.fill("input[name=code]", codes[0].toUpperCase());
      await submit(p, p.locator("button[type=submit]"));
      assert.equal(new URL(p.url()).pathname, expected);
      await c.close();
    }

    // The province's admin removes it from the user's page; the audit log shows it.
    const admin = await signIn(b, "tinh");
    await admin.goto(`${url}/users?unit=86`);
    await submit(admin, admin.locator("a", { hasText: /^kiemtra$/ }));
    assert.match(await admin.textContent("main"), /Xác thực hai bước: đã bật/);
    await submit(admin, admin.locator("button", { hasText: "Gỡ xác thực hai bước" }));
    assert.match(await admin.textContent("main"), /Đã gỡ xác thực hai bước/);
    await admin.goto(`${url}/audit`);
    assert.match(await admin.textContent("main"), /Gỡ xác thực hai bước/);
    await signIn(b, "kiemtra");
  } finally {
    await b.close();
  }
});
