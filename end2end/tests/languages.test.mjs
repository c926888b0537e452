// Languages in a real browser: Chromium set to Dutch gets Dutch pages that hydrate without
// errors (the browser renders the same texts as the server), signed out and as an admin;
// the footer's switcher changes the language and returns to the same page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { signIn } from "../support/provider.mjs";
import { startStack } from "../support/stack.mjs";
import { openPage, waitForHydration, screenshotPath } from "../support/browser.mjs";
import { demoAchievement } from "../support/data.mjs";

let stack;
let server;
let browser;

before(async () => {
  stack = await startStack();
  ({ server, browser } = stack);
  await demoAchievement(server);
});

after(() => stack?.stop());

const shot = (page, name) => page.screenshot({ path: screenshotPath(`lang-${name}`), fullPage: true });
const htmlLang = (page) => page.getAttribute("html", "lang");

test("a Dutch browser gets Dutch pages, signed out and as admin; the switcher goes back to English on the same page", async () => {
  const { page, errors } = await openPage(browser, {
    locale: "nl-NL",
    viewport: { width: 1280, height: 900 },
    allowStatusFor: ["/me/badges"],
  });

  await page.goto(`${server.baseURL}/sign-in`);
  await waitForHydration(page);
  assert.equal(await htmlLang(page), "nl");
  assert.equal(await page.textContent("h1"), "Aanmelden");
  assert.match(await page.textContent('[data-testid="sign-in-page"]'), /Stuur me een aanmeldlink/);
  await shot(page, "sign-in");

  await page.goto(`${server.baseURL}/me/badges`);
  await waitForHydration(page);
  assert.match(await page.textContent('[data-testid="sign-in-required"]'), /Meld je aan om deze pagina te zien/);
  await shot(page, "signed-out");

  await signIn(page, server.baseURL, "admin", "/admin");
  await page.waitForSelector('[data-testid="admin-dashboard"]');
  await waitForHydration(page);
  assert.equal(await htmlLang(page), "nl");
  const nav = await page.textContent("nav.admin-nav");
  assert.match(nav, /Uitgevers/);
  assert.match(nav, /Toekenningen/);
  await shot(page, "admin");

  await page.goto(`${server.baseURL}/admin/issuers/new`);
  await waitForHydration(page);
  assert.match(await page.textContent("body"), /Naam/);
  await shot(page, "admin-new-issuer");

  // The switcher: a plain form, back to this page, in English, and it stays English.
  await page.click('[data-testid="lang-en"]');
  await page.waitForFunction(() => document.documentElement.lang === "en");
  await waitForHydration(page);
  assert.equal(new URL(page.url()).pathname, "/admin/issuers/new");
  await page.goto(`${server.baseURL}/admin`);
  await waitForHydration(page);
  assert.match(await page.textContent("nav.admin-nav"), /Issuers/);
  await shot(page, "admin-english");

  assert.deepEqual(errors, [], "no console errors, no hydration mismatches");
});
