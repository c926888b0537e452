// Issue 15's page: an admin who cannot run the CLI uploads mongoexport files on /admin/import.
// A file named after no collection is refused with a message; a dry run shows live progress,
// the summary and the skipped record, and writes nothing; "Import these files for real" loads
// them, and the imported users appear on the Users page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "../support/server.mjs";
import { startProvider, mapDemoGroups, signIn } from "../support/provider.mjs";
import { launch, openPage, waitForHydration, screenshotPath } from "../support/browser.mjs";

let provider;
let server;
let browser;

before(async () => {
  provider = await startProvider();
  server = await startServer(provider.env);
  mapDemoGroups(server);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await provider?.stop();
});

const shot = (page, name) => page.screenshot({ path: screenshotPath(`import-${name}`), fullPage: true });

// mongoexport's default output: one relaxed Extended JSON document per line.
const oid = (n) => ({ $oid: n.toString(16).padStart(24, "0") });
const date = { $date: "2024-03-01T09:30:00Z" };
const users = [
  { _id: oid(1), username: "ada", email: "ada.lovelace@example.org", name: "Ada Lovelace", givenName: "Ada", familyName: "Lovelace", provider: "auth0", providerId: "auth0|1", providerRoles: ["admin"], isActive: true, createdAt: date, updatedAt: date },
  { _id: oid(2), username: "alan", email: "alan.turing@example.org", name: "Alan Turing", provider: "auth0", providerId: "auth0|2", providerRoles: ["awarder", "viewer"], isActive: true, createdAt: date, updatedAt: date },
  { _id: oid(3), name: "Nobody at all" },
  { _id: oid(4), username: "grace", email: "grace.hopper@example.org", name: "Grace Hopper", provider: "auth0", providerId: "auth0|4", providerRoles: [], isActive: false, createdAt: date, updatedAt: date },
];
const accounts = [
  { _id: oid(11), userId: oid(1), type: "oauth", provider: "auth0", providerAccountId: "auth0|1" },
];
const file = (name, docs) => ({ name, mimeType: "application/json", buffer: Buffer.from(docs.map((d) => JSON.stringify(d)).join("\n") + "\n") });

async function waitForStatus(page, status) {
  await page.waitForSelector(`[data-testid="import-status"][data-status="${status}"]`, { timeout: 60_000 });
}

test("upload mongoexport files → dry run with summary and rejects → import for real → users listed", async () => {
  const { page, errors } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
  await signIn(page, server.baseURL, "admin", "/admin/import");
  await page.waitForSelector('[data-testid="import-home"] [data-testid="import-form"]');
  await waitForHydration(page);
  assert.ok(await page.isChecked("#import-dry-run"), "a dry run is the default");
  await shot(page, "01-page");

  // A file the import does not know: nothing is kept, and the page says which file and why.
  await page.setInputFiles("#import-files", [file("users.json", users), file("people.json", users)]);
  await Promise.all([page.waitForURL(/\/admin\/import\?error=/), page.click('[data-testid="import-submit"]')]);
  const refused = await page.textContent('[data-testid="import-error"]');
  assert.match(refused, /`people\.json` is not a collection the import reads/);
  assert.match(refused, /users\.json/);
  await shot(page, "02-unknown-file");

  // A dry run of two collections.
  await page.setInputFiles("#import-files", [file("accounts.json", accounts), file("users.json", users)]);
  await Promise.all([page.waitForURL(/\/admin\/import\/[0-9a-f-]{36}$/), page.click('[data-testid="import-submit"]')]);
  await waitForHydration(page);
  await waitForStatus(page, "succeeded");
  assert.match(await page.textContent('[data-testid="import-status"]'), /Dry run finished: nothing was written/);
  const usersRow = page.locator('[data-testid="import-summary"] tr[data-table="users"] td');
  assert.equal((await usersRow.allTextContents())[2], "4", "four documents read");
  assert.equal((await usersRow.allTextContents())[3], "1", "one rejected");
  assert.match(await page.textContent('[data-testid="import-foreign-keys"]'), /no orphans/);
  const rejects = await page.textContent('[data-testid="import-rejects"]');
  assert.match(rejects, /users\.json:3/);
  assert.match(rejects, /missing required field username/);
  await shot(page, "03-dry-run");

  // The same files, for real.
  const dryRun = page.url();
  await Promise.all([page.waitForURL((u) => u.href !== dryRun && /\/admin\/import\/[0-9a-f-]{36}$/.test(u.pathname)), page.click('[data-testid="import-for-real"]')]);
  await waitForHydration(page);
  await waitForStatus(page, "succeeded");
  assert.match(await page.textContent('[data-testid="import-status"]'), /every check passed/);
  assert.equal((await usersRow.allTextContents())[4], "3", "three users inserted");
  await shot(page, "04-imported");

  // Both imports are listed; the imported people are users now.
  await page.goto(`${server.baseURL}/admin/import`);
  await waitForHydration(page);
  assert.equal(await page.locator('[data-testid="import-home"] table tbody tr').count(), 2);
  await shot(page, "05-recent");
  await page.goto(`${server.baseURL}/admin/users`);
  await waitForHydration(page);
  await page.fill("#user-search", "lovelace");
  await page.press("#user-search", "Tab");
  await page.waitForSelector("table >> text=Ada Lovelace");
  await shot(page, "06-users");
  assert.deepEqual(errors, []);
});
