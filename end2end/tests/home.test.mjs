import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "../support/server.mjs";
import { launch, openPage, waitForHydration, screenshotPath } from "../support/browser.mjs";

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("home page renders styled on the server and hydrates in the browser", async () => {
  const { context, page, errors } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
  const response = await page.goto(server.baseURL + "/");
  assert.equal(response.status(), 200);
  assert.match(await page.title(), /Badge Engine/);
  // Server-rendered content is there before any script runs.
  assert.match(await page.textContent("h1"), /Recognise what people achieve/);
  // The stylesheet really applied (the header has the card background, not the default).
  const headerBg = await page.$eval(".site-header", (el) => getComputedStyle(el).backgroundColor);
  assert.equal(headerBg, "rgb(255, 255, 255)");

  await waitForHydration(page);
  // The preview reacts to typing only when the WASM is running.
  await page.fill("#preview-name", "Ada Lovelace");
  await page.waitForFunction(
    () => document.querySelector('[data-testid="preview-earner"]')?.textContent === "Ada Lovelace",
  );
  await page.screenshot({ path: screenshotPath("home-desktop"), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test("on a phone the menu opens with the toggle after hydration", async () => {
  const { context, page, errors } = await openPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true });
  await page.goto(server.baseURL + "/");
  await waitForHydration(page);
  assert.equal(await page.isVisible("#site-nav"), false);
  await page.click(".menu-toggle");
  await page.waitForSelector("#site-nav.open");
  assert.equal(await page.getAttribute(".menu-toggle", "aria-expanded"), "true");
  assert.equal(await page.isVisible("#site-nav"), true);
  await page.screenshot({ path: screenshotPath("home-phone-menu"), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test("unknown paths get the 404 page with status 404", async () => {
  const { context, page, errors } = await openPage(browser, { allowStatusFor: ["/no/such/page"] });
  const response = await page.goto(server.baseURL + "/no/such/page");
  assert.equal(response.status(), 404);
  assert.match(await page.textContent("h1"), /could not find that page/);
  await waitForHydration(page);
  await page.screenshot({ path: screenshotPath("not-found") });
  assert.deepEqual(errors, []);
  await context.close();
});

test("health and readiness probes answer", async () => {
  const live = await fetch(server.baseURL + "/healthz");
  assert.equal(live.status, 200);
  const ready = await fetch(server.baseURL + "/readyz");
  assert.equal(ready.status, 200);
  const body = await ready.json();
  assert.equal(body.status, "ready");
  assert.equal(body.database.status, "ok");
  assert.equal(body.redis.status, "ok");
  assert.equal(body.migrations.pending, 0);
  assert.ok(body.migrations.version > 0);
  assert.ok(live.headers.get("x-request-id"), "every response carries a request id");
});
