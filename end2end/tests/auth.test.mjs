// Signing in through the real local OpenID provider: admins reach the admin pages, earners get
// 403 for pages and server functions, and signing out kills the old cookie.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { signIn } from "../support/provider.mjs";
import { startStack } from "../support/stack.mjs";
import { openPage, waitForHydration, screenshotPath } from "../support/browser.mjs";

let stack;
let server;
let browser;

before(async () => {
  stack = await startStack();
  ({ server, browser } = stack);
});

after(() => stack?.stop());

test("an admin signs in and reaches every admin page; a SCIM token is shown once", async () => {
  const { context, page, errors } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
  await signIn(page, server.baseURL, "admin", "/admin");
  assert.equal(new URL(page.url()).pathname, "/admin");
  await page.waitForSelector('[data-testid="admin-dashboard"]');
  await waitForHydration(page);
  assert.match(await page.textContent('[data-testid="nav-user"]'), /Ada Admin/);
  assert.equal(await page.isVisible('[data-testid="nav-admin"]'), true);

  for (const [path, testid] of [
    ["/admin/users", "admin-users"],
    ["/admin/roles", "admin-roles"],
    ["/admin/scim-tokens", "admin-scim-tokens"],
  ]) {
    const response = await page.goto(server.baseURL + path);
    assert.equal(response.status(), 200, path);
    await page.waitForSelector(`[data-testid="${testid}"]`);
  }
  await waitForHydration(page);
  await page.fill("#token-name", "entra-test");
  await page.click('[data-testid="admin-scim-tokens"] form.stacked button[type="submit"]');
  const shown = await page.waitForSelector('[data-testid="new-scim-token"] code');
  assert.match(await shown.textContent(), /\S{20,}/);
  await page.screenshot({ path: screenshotPath("admin-scim-tokens"), fullPage: true });

  await page.goto(server.baseURL + "/admin/users");
  await page.waitForSelector('tr[data-username="admin@badge-engine.test"]');
  assert.match(await page.textContent('tr[data-username="admin@badge-engine.test"]'), /this session/);
  await page.screenshot({ path: screenshotPath("admin-users"), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test("an earner gets 403 for admin pages and for admin server functions", async () => {
  const { context, page, errors } = await openPage(browser, { allowStatusFor: ["/admin", "/api/admin_list_users"] });
  await signIn(page, server.baseURL, "earner", "/");
  await waitForHydration(page);
  assert.match(await page.textContent('[data-testid="nav-user"]'), /Grace Earner/);
  assert.equal(await page.isVisible('[data-testid="nav-admin"]'), false, "no admin link for earners");

  const response = await page.goto(server.baseURL + "/admin");
  assert.equal(response.status(), 403);
  await page.waitForSelector('[data-testid="forbidden"]');
  await waitForHydration(page);
  await page.screenshot({ path: screenshotPath("admin-forbidden") });

  // Calling the server function directly, with the earner's cookie, from the app's own page.
  const status = await page.evaluate(async () => {
    const r = await fetch("/api/admin_list_users", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "search=",
    });
    return r.status;
  });
  assert.equal(status, 403);
  assert.deepEqual(errors, []);
  await context.close();
});

test("signing out ends the session: the old cookie no longer works", async () => {
  const { context, page, errors } = await openPage(browser);
  await signIn(page, server.baseURL, "admin", "/admin");
  await page.waitForSelector('[data-testid="admin-dashboard"]');
  await waitForHydration(page);
  const oldCookies = await context.cookies(server.baseURL);
  assert.ok(oldCookies.some((c) => c.name === "badge_engine_session" && c.httpOnly && c.sameSite === "Lax"));

  await Promise.all([
    page.waitForURL((url) => url.toString() === `${server.baseURL}/`),
    page.click('[data-testid="sign-out"]'),
  ]);
  await waitForHydration(page);
  await page.waitForSelector('[data-testid="sign-in"]');

  // A fresh browser presenting the old cookie is a visitor.
  const { context: thief, page: thiefPage, errors: thiefErrors } = await openPage(browser, { allowStatusFor: ["/admin"] });
  await thief.addCookies(oldCookies);
  const response = await thiefPage.goto(server.baseURL + "/admin");
  assert.equal(response.status(), 401);
  await thiefPage.waitForSelector('[data-testid="sign-in-required"]');
  assert.deepEqual(errors, []);
  assert.deepEqual(thiefErrors, []);
  await thief.close();
  await context.close();
});
