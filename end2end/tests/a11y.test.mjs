// Accessibility sweep (issue 13): every route of the app — public, earner and admin, each as
// the right user — is loaded in Chromium and checked with axe-core for WCAG 2.x A/AA rules;
// any serious or critical violation fails. The route list is read from app/src/lib.rs, so a
// new page without a visit here fails too. Keyboard basics are checked on the way: the first
// Tab reaches the skip link, and it is visible when focused.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { signIn } from "../support/provider.mjs";
import { startStack } from "../support/stack.mjs";
import { startSmtpSink, linkIn } from "../support/smtp.mjs";
import { openPage, waitForHydration, screenshotPath, artifacts } from "../support/browser.mjs";
import { DEMO, demoAchievement } from "../support/data.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let stack;
let smtp;
let server;
let browser;

before(async () => {
  smtp = await startSmtpSink();
  stack = await startStack(smtp.env);
  ({ server, browser } = stack);
  await demoAchievement(server);
});

after(async () => {
  await stack?.stop();
  await smtp?.stop();
});

/** Runs axe in the page; returns serious and critical violations as readable lines. */
async function audit(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } }),
  );
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}

function routesOfApp() {
  const src = readFileSync(path.join(root, "app/src/lib.rs"), "utf8");
  const routes = [...src.matchAll(/path!\("([^"]+)"\)/g)].map((m) => m[1]);
  if (/StaticSegment\(""\)/.test(src)) routes.unshift("/");
  return routes;
}

test("every route passes axe-core with no serious or critical violation", async () => {
  // Data for every page: an award the earner accepts and makes public, a bulk award, a
  // second claim link that stays open.
  const admin = await openPage(browser, { viewport: { width: 1280, height: 900 }, bypassCSP: true });
  await signIn(admin.page, server.baseURL, "admin", `/admin/achievements/${DEMO.achievement}`);
  await waitForHydration(admin.page);
  const award = async (name, email) => {
    await admin.page.fill('input[name="form[name]"]', name);
    await admin.page.fill('input[name="form[email]"]', email);
    await admin.page.click('[data-testid="award-submit"]');
    await admin.page.waitForFunction((n) => document.querySelector('[data-testid="awarded"]')?.textContent.includes(n), name);
    return new URL(await admin.page.getAttribute('[data-testid="awarded"] a', "href")).pathname.split("/").pop();
  };
  const credential = await award("Grace Earner", "earner@badge-engine.test");
  await award("Open Claim", "open.claim@example.org");
  const claimLink = linkIn(await smtp.waitFor("earner@badge-engine.test"), "/claim/");
  const openClaim = new URL(linkIn(await smtp.waitFor("open.claim@example.org"), "/claim/")).pathname;

  const earner = await openPage(browser, { viewport: { width: 1280, height: 900 }, bypassCSP: true });
  await signIn(earner.page, server.baseURL, "earner", new URL(claimLink).pathname);
  await waitForHydration(earner.page);
  await earner.page.click('[data-testid="accept"]');
  await earner.page.waitForURL(/\/me\/badges/);
  await waitForHydration(earner.page);
  await earner.page.check('[data-testid="make-public"]');
  await earner.page.click('[data-testid="save-visibility"]');
  await earner.page.waitForSelector("text=Public: anyone with the link can see it.");

  const csv = `${artifacts}/a11y-bulk.csv`;
  writeFileSync(csv, "name,email\nBulk One,bulk.one@example.org\n");
  await admin.page.goto(`${server.baseURL}/admin/achievements/${DEMO.achievement}/bulk`);
  await waitForHydration(admin.page);
  await admin.page.setInputFiles("#bulk-file", csv);
  await Promise.all([admin.page.waitForURL(/\/admin\/bulk-awards\//), admin.page.click('[data-testid="bulk-form"] button[type="submit"]')]);
  const bulk = new URL(admin.page.url()).pathname.split("/").pop();

  // A dry-run import with one skipped record, so its page shows the summary and the rejects.
  await admin.page.goto(`${server.baseURL}/admin/import`);
  await waitForHydration(admin.page);
  const users = '{"_id":{"$oid":"000000000000000000000001"},"username":"ada","email":"ada@example.org"}\n{"_id":{"$oid":"000000000000000000000002"}}\n';
  await admin.page.setInputFiles("#import-files", { name: "users.json", mimeType: "application/json", buffer: Buffer.from(users) });
  await Promise.all([admin.page.waitForURL(/\/admin\/import\/[0-9a-f-]{36}$/), admin.page.click('[data-testid="import-submit"]')]);
  await admin.page.waitForSelector('[data-testid="import-status"][data-status="succeeded"]', { timeout: 60_000 });
  const importJob = new URL(admin.page.url()).pathname;

  // A confirmation link for a second address of the earner.
  await earner.page.goto(`${server.baseURL}/me/badges`);
  await waitForHydration(earner.page);
  await earner.page.fill('input[name="email"]', "grace.private@example.org");
  await earner.page.click("text=Send a confirmation link");
  const confirm = new URL(linkIn(await smtp.waitFor("grace.private@example.org"), "/me/addresses/confirm/")).pathname;

  const anon = await openPage(browser, { viewport: { width: 1280, height: 900 }, bypassCSP: true, allowStatusFor: ["/no-such-page"] });
  const visits = {
    "/": [anon, "/"],
    "/credentials/:id": [anon, `/credentials/${credential}`],
    "/issuers/:id": [anon, `/issuers/${DEMO.issuer}`],
    "/achievements/:id": [anon, `/achievements/${DEMO.achievement}`],
    "/verify": [anon, "/verify"],
    "/me/badges": [earner, "/me/badges"],
    "/me/addresses/confirm/:token": [earner, confirm],
    "/claim/:token": [anon, openClaim],
    "/sign-in": [anon, "/sign-in"],
    "/admin": [admin, "/admin"],
    "/admin/users": [admin, "/admin/users"],
    "/admin/roles": [admin, "/admin/roles"],
    "/admin/scim-tokens": [admin, "/admin/scim-tokens"],
    "/admin/client-apps": [admin, "/admin/client-apps"],
    "/admin/wallets": [admin, "/admin/wallets"],
    "/admin/issuers": [admin, "/admin/issuers"],
    "/admin/issuers/new": [admin, "/admin/issuers/new"],
    "/admin/issuers/:id": [admin, `/admin/issuers/${DEMO.issuer}?staff_q=grace`],
    "/admin/issuers/:id/achievements": [admin, `/admin/issuers/${DEMO.issuer}/achievements`],
    "/admin/issuers/:id/achievements/new": [admin, `/admin/issuers/${DEMO.issuer}/achievements/new`],
    "/admin/achievements/:id": [admin, `/admin/achievements/${DEMO.achievement}`],
    "/admin/achievements/:id/edit": [admin, `/admin/achievements/${DEMO.achievement}/edit?step=basics`],
    "/admin/achievements/:id/bulk": [admin, `/admin/achievements/${DEMO.achievement}/bulk`],
    "/admin/bulk-awards/:id": [admin, `/admin/bulk-awards/${bulk}`],
    "/admin/awards": [admin, "/admin/awards"],
    "/admin/credentials/:id": [admin, `/admin/credentials/${credential}`],
    "/admin/jobs": [admin, "/admin/jobs"],
    "/admin/audit": [admin, "/admin/audit"],
    "/admin/outbox": [admin, "/admin/outbox"],
    "/admin/import": [admin, "/admin/import"],
    "/admin/import/:id": [admin, importJob],
  };
  const extra = [
    [anon, "/no-such-page"],
    [admin, "/admin/import?error=%60people.json%60%20is%20not%20a%20collection%20the%20import%20reads"],
    [admin, `/admin/achievements/${DEMO.achievement}/edit?step=criteria`],
    [admin, `/admin/achievements/${DEMO.achievement}/edit?step=extras`],
    [admin, `/admin/achievements/${DEMO.achievement}/edit?step=preview`],
  ];
  const missing = routesOfApp().filter((r) => !(r in visits));
  assert.deepEqual(missing, [], "routes without an accessibility check");

  const failures = [];
  for (const [who, url] of [...Object.values(visits), ...extra]) {
    await who.page.goto(server.baseURL + url);
    await waitForHydration(who.page);
    const found = await audit(who.page);
    if (found.length) failures.push(`${url}\n  ${found.join("\n  ")}`);
  }
  assert.deepEqual(failures, []);

  // Keyboard: the first Tab lands on the skip link, which is then on screen.
  await anon.page.goto(server.baseURL + "/");
  await waitForHydration(anon.page);
  await anon.page.keyboard.press("Tab");
  assert.equal(await anon.page.evaluate(() => document.activeElement?.className), "skip-link");
  const box = await anon.page.locator(".skip-link").boundingBox();
  assert.ok(box && box.x >= 0 && box.y >= 0, "the focused skip link is visible");
  await anon.page.screenshot({ path: screenshotPath("a11y-skip-link") });

  for (const s of [admin, earner, anon]) {
    assert.deepEqual(s.errors, []);
    await s.context.close();
  }
});
