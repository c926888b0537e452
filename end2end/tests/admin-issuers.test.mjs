// Issue 11's journey: an admin creates an issuer with a logo, gives a user the issuer's
// awarder role, builds an achievement through the whole wizard (with an alignment and a
// rubric), checks the preview against the public page and archives it; the awarder then sees
// only that issuer.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { signIn } from "../support/provider.mjs";
import { startStack } from "../support/stack.mjs";
import { openPage, waitForHydration, screenshotPath, artifacts } from "../support/browser.mjs";
import { demoAchievement, writePng } from "../support/data.mjs";

let stack;
let server;
let browser;

before(async () => {
  stack = await startStack();
  ({ server, browser } = stack);
  await demoAchievement(server); // a second issuer the awarder must not see
});

after(() => stack?.stop());

const shot = (page, name) => page.screenshot({ path: screenshotPath(`issuers-${name}`), fullPage: true });

test("issuer with logo → awarder role → achievement wizard → preview → archive; the awarder sees only their issuer", async () => {
  // The future awarder signs in once, so there is an account to grant the role to.
  const awarder = await openPage(browser, { viewport: { width: 1280, height: 900 }, allowStatusFor: ["/admin"] });
  await signIn(awarder.page, server.baseURL, "earner", "/");

  // The refused alignment URL is a 422 from the server function, which Chromium logs.
  const { context, page, errors } = await openPage(browser, {
    viewport: { width: 1280, height: 900 },
    allowStatusFor: ["/api/admin_save_achievement_step"],
  });
  await signIn(page, server.baseURL, "admin", "/admin/issuers/new");
  await waitForHydration(page);
  await shot(page, "new");

  // Create the issuer, with a logo uploaded through the page.
  await page.fill('input[name="form[name]"]', "Faculty of Science");
  await page.fill('textarea[name="form[description]"]', "Teaching and research in the natural sciences.");
  await page.fill('input[name="form[url]"]', "https://science.example.org/");
  await page.fill('input[name="form[email]"]', "badges@science.example.org");
  await page.setInputFiles('[data-testid="image-file"]', writePng(`${artifacts}/logo.png`));
  await page.waitForFunction(() => document.querySelector('input[name="form[image]"]')?.value.includes("/images/"));
  const logo = await page.inputValue('input[name="form[image]"]');
  assert.match(logo, /\/images\/[0-9a-f]{64}\.png$/);
  await Promise.all([
    page.waitForURL(/\/admin\/issuers\/[0-9a-f-]{36}\?created=1/),
    page.click('[data-testid="admin-issuer-new"] [data-testid="issuer-form"] button[type="submit"]'),
  ]);
  const issuerId = new URL(page.url()).pathname.split("/").pop();
  await page.waitForSelector('[data-testid="issuer-did"]');
  assert.match(await page.textContent('[data-testid="issuer-did"]'), /^did:key:z6Mk/);
  await waitForHydration(page);
  await shot(page, "created");
  // The logo is served, with long cache headers.
  const img = await fetch(logo);
  assert.equal(img.status, 200);
  assert.equal(img.headers.get("content-type"), "image/png");
  assert.match(img.headers.get("cache-control"), /immutable/);

  // Give Grace the awarder role on this issuer.
  await page.fill("#staff-search", "grace");
  await Promise.all([page.waitForURL(/staff_q=grace/), page.press("#staff-search", "Enter")]);
  await page.waitForSelector('[data-testid="grant-role"]');
  await waitForHydration(page);
  await page.click('[data-testid="grant-role"]');
  await page.waitForSelector('[data-testid="issuer-staff"] li[data-staff="Grace Earner"] .pill-role-awarder');
  await shot(page, "staff");

  // The wizard: basics.
  await page.goto(`${server.baseURL}/admin/issuers/${issuerId}/achievements/new`);
  await waitForHydration(page);
  await page.fill('input[name="form[name]"]', "Data Modelling Practitioner");
  await page.fill('textarea[name="form[description]"]', "Designs relational schemas for real projects.");
  await page.selectOption('select[name="form[achievement_type]"]', "Competency");
  await page.fill('input[name="form[tags]"]', "data, sql");
  await page.fill('input[name="form[human_code]"]', "DM-101");
  await Promise.all([
    page.waitForURL(/step=criteria/),
    page.click('[data-testid="step-basics"] button[type="submit"]'),
  ]);
  const achievementId = new URL(page.url()).pathname.split("/")[3];
  await waitForHydration(page);

  // Criteria, in Markdown; raw HTML in it is not rendered.
  await page.fill('textarea[name="form[criteria_narrative]"]', "Earners **design** a schema and:\n\n- normalise it\n- index it\n\n<script>alert(1)</script>");
  await shot(page, "wizard-criteria");
  await Promise.all([page.waitForURL(/step=extras/), page.click('[data-testid="step-criteria"] button[type="submit"]')]);
  await waitForHydration(page);

  // Extras: a bad alignment URL is refused next to its field …
  await page.fill("#al-0-name", "Relational data modelling");
  await page.fill("#al-0-url", "not a url");
  await page.fill("#al-0-framework", "e-CF");
  await page.fill("#al-0-code", "B.1");
  await page.fill("#rd-0-name", "Mastery");
  await page.fill("#rd-0-levels", "Novice\nCompetent\nExpert");
  await page.fill("#rd-0-required", "Competent");
  await page.click('[data-testid="step-extras"] button[type="submit"]');
  await page.waitForSelector('[data-testid="alignments"] .field-error, .error-summary');
  assert.match(await page.textContent("main"), /URL/i);
  await shot(page, "wizard-extras-error");
  // … and accepted once fixed.
  await page.fill("#al-0-url", "https://ecf.example.org/b1");
  await Promise.all([page.waitForURL(/step=preview/), page.click('[data-testid="step-extras"] button[type="submit"]')]);
  await waitForHydration(page);
  await page.waitForSelector('[data-testid="badge-preview"]');
  await shot(page, "wizard-preview");
  const previewHtml = await page.innerHTML('[data-testid="badge-preview"]');
  assert.doesNotMatch(previewHtml, /<script>alert/);
  const part = async (p, sel) => (await p.$$eval(`${sel}`, (els) => els.map((e) => e.textContent.trim()))).join("|");
  const parts = [".badge-name", ".badge-description", ".prose", ".alignments", ".results"];
  const preview = {};
  for (const sel of parts) preview[sel] = await part(page, `[data-testid="badge-preview"] ${sel}`);
  assert.match(preview[".prose"], /design/);
  assert.match(preview[".alignments"], /Relational data modelling/);
  assert.match(preview[".results"], /Competent/);

  await Promise.all([page.waitForURL(/published=1/), page.click('[data-testid="publish"]')]);

  // The public page shows the same badge.
  const pub = await openPage(browser, { viewport: { width: 1280, height: 900 } });
  await pub.page.goto(`${server.baseURL}/achievements/${achievementId}`);
  await pub.page.waitForSelector('[data-testid="achievement-page"]');
  for (const sel of parts) assert.equal(await part(pub.page, `[data-testid="achievement-page"] ${sel}`), preview[sel], sel);
  await pub.page.screenshot({ path: screenshotPath("issuers-public-achievement"), fullPage: true });
  // Machines get the Achievement at the same URL.
  const ld = await fetch(`${server.baseURL}/achievements/${achievementId}`, { headers: { accept: "application/ld+json" } });
  assert.equal(ld.status, 200);
  const doc = await ld.json();
  assert.ok(doc.type.includes("Achievement"));
  assert.equal(doc.alignment[0].targetUrl, "https://ecf.example.org/b1");

  // Archive it.
  await page.goto(`${server.baseURL}/admin/achievements/${achievementId}`);
  await waitForHydration(page);
  await page.click('[data-testid="achievement-archive"]');
  await page.waitForSelector('[data-testid="achievement-restore"]');
  await shot(page, "archived");

  // The awarder (a new session) sees only their issuer.
  await awarder.context.close();
  const awarderAgain = await openPage(browser, { viewport: { width: 1280, height: 900 } });
  Object.assign(awarder, awarderAgain);
  await signIn(awarder.page, server.baseURL, "earner", "/admin/issuers");
  await awarder.page.waitForSelector('[data-testid="admin-issuers"]');
  const names = await awarder.page.$$eval('[data-testid="admin-issuers"] tbody tr a.issuer-name, [data-testid="admin-issuers"] tbody tr a', (as) => [...new Set(as.map((a) => a.textContent.trim()))]);
  assert.ok(names.includes("Faculty of Science"), names.join(", "));
  assert.ok(!names.includes("Badge Engine Demo Issuer"), names.join(", "));
  await awarder.page.screenshot({ path: screenshotPath("issuers-awarder-view"), fullPage: true });

  for (const s of [{ errors }, pub, awarder]) assert.deepEqual(s.errors, []);
  await pub.context.close();
  await awarder.context.close();
  await context.close();
});
