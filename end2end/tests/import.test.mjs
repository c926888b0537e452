// Issue 15's pages: an admin who cannot run the CLI uploads mongoexport files on /admin/import.
// A file named after no collection is refused with a message; a dry run shows the summary and
// the skipped record and writes nothing; "Import these files for real" loads them, and the
// imported users appear on the Users page. Then a whole export with credentials signed by the
// old system: the issuer page offers to re-issue the ones strict verifiers refuse, and after it
// the new credentials verify and the old ones say they were superseded.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { bin } from "../support/server.mjs";
import { signIn } from "../support/provider.mjs";
import { startStack } from "../support/stack.mjs";
import { openPage, waitForHydration, screenshotPath, artifacts } from "../support/browser.mjs";

let stack;
let server;
let browser;

before(async () => {
  stack = await startStack();
  ({ server, browser } = stack);
});

after(() => stack?.stop());

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
  assert.match(await page.textContent('[data-testid="import-status"]'), /Dry run finished: nothing was written; 1 record skipped/);
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
  assert.match(await page.textContent('[data-testid="import-status"]'), /Import finished with 1 record skipped \(listed below\); the rest passed every check/);
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

const sql = (query) => execFileSync("psql", [server.env.DATABASE_URL, "-tAc", query], { encoding: "utf8" }).trim();
// Built by `cargo test` (scripts/test.sh runs it before the browser tests).
const fixtures = path.join(path.dirname(bin), "examples", "mongo_fixtures");

test("a whole export → old-shape credentials re-issued from the issuer page → new ones verify, old ones superseded", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "be-e2e-export-"));
  execFileSync(fixtures, [dir, "6", "2", "8"], { stdio: "pipe" });
  const { page, errors } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
  await signIn(page, server.baseURL, "admin", "/admin/import");
  await page.waitForSelector('[data-testid="import-form"]');
  await waitForHydration(page);
  await page.uncheck("#import-dry-run");
  await page.setInputFiles("#import-files", readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => path.join(dir, f)));
  await Promise.all([page.waitForURL(/\/admin\/import\/[0-9a-f-]{36}$/), page.click('[data-testid="import-submit"]')]);
  await waitForStatus(page, "succeeded");
  await shot(page, "07-whole-export");

  const issuer = sql("select issuer_id from credentials where credential_is_old_shape(credential) group by 1 order by count(*) desc limit 1");
  const pending = Number(sql(`select count(*) from credentials where issuer_id = '${issuer}' and credential_is_old_shape(credential)`));
  assert.ok(pending > 0, "the export has credentials in the old shape");
  await page.goto(`${server.baseURL}/admin/issuers/${issuer}`);
  await waitForHydration(page);
  await page.waitForSelector('[data-testid="reissue-pending"]');
  assert.match(await page.textContent('[data-testid="reissue-pending"]'), new RegExp(`^${pending} imported credential`));
  await page.locator('[data-testid="reissue"]').scrollIntoViewIfNeeded();
  await shot(page, "08-reissue-offered");
  await page.click('[data-testid="reissue-start"]');
  await page.waitForSelector('[data-testid="reissue-status"][data-status="succeeded"]', { timeout: 60_000 });
  assert.match(await page.textContent('[data-testid="reissue-status"]'), new RegExp(`${pending} re-issued`));
  assert.equal(await page.locator('[data-testid="reissue-start"]').count(), 0, "nothing left to re-issue");
  await shot(page, "09-reissued");

  const [old, successor] = sql(`select id, superseded_by from credentials where issuer_id = '${issuer}' and superseded_by is not null limit 1`).split("|");
  const download = await page.request.get(`${server.baseURL}/credentials/${successor}.json`);
  assert.equal(download.status(), 200);
  const file = path.join(artifacts, "import-reissued.json");
  writeFileSync(file, await download.body());
  const report = execFileSync(bin, ["credential", "verify", file], { encoding: "utf8" });
  assert.doesNotMatch(report, /FAIL/, report);
  await page.goto(`${server.baseURL}/credentials/${old}`);
  await waitForHydration(page);
  assert.match(await page.textContent('[data-testid="superseded-notice"]'), /This credential was replaced/);
  assert.doesNotMatch(await page.textContent("main"), /An administrator can re-issue it/, "no advice to do what was done");
  await shot(page, "10-old-superseded");
  await Promise.all([page.waitForURL(`${server.baseURL}/credentials/${successor}`), page.click('[data-testid="superseded-by"]')]);
  await waitForHydration(page);
  await page.waitForSelector('[data-testid="credential-page"]:not([data-state="revoked"])');
  await shot(page, "11-successor");
  // The fixtures' images live on the old system's host, which this machine cannot reach.
  assert.deepEqual(errors.filter((e) => !e.includes("https://old-badges.example.org/")), []);
});
