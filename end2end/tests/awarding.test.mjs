// Issue 12's journey, as an awarder: one award from the achievement page; a 200-row CSV with
// three bad rows shows those rows' errors; the fixed file is confirmed and its progress bar
// reaches 100 % across a reload; an award is found by part of its e-mail, revoked with a
// reason, and the issuer's status-list credential then has its bit set.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import { signIn } from "../support/provider.mjs";
import { startStack } from "../support/stack.mjs";
import { openPage, waitForHydration, screenshotPath, artifacts } from "../support/browser.mjs";
import { demoAchievement } from "../support/data.mjs";

let stack;
let server;
let browser;

before(async () => {
  stack = await startStack();
  ({ server, browser } = stack);
});

after(() => stack?.stop());

const shot = (page, name) => page.screenshot({ path: screenshotPath(`awarding-${name}`), fullPage: true });

function csv(rows) {
  return "name,email,narrative\n" + rows.map((r) => r.map((c) => (/[",;\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(",")).join("\n") + "\n";
}

test("single award, bulk CSV with errors then progress, search, revoke, status list bit", async () => {
  const achievement = await demoAchievement(server);
  const { context, page, errors } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
  await signIn(page, server.baseURL, "awarder", `/admin/achievements/${achievement}`);
  await waitForHydration(page);

  // One award.
  await page.fill('input[name="form[name]"]', "Ada Single");
  await page.fill('input[name="form[email]"]', "ada.single@example.org");
  await page.click('[data-testid="award-submit"]');
  await page.waitForSelector('[data-testid="awarded"]');
  await shot(page, "single");

  // 200 rows, three of them bad: line 12 has no e-mail address, line 51 a malformed one,
  // line 120 repeats line 119's person (the same e-mail in another case, with spaces).
  const rows = [];
  for (let i = 1; i <= 200; i++) rows.push([`Earner ${i}`, `earner.${i}@bulk.example.org`, `Row ${i}`]);
  rows[10][1] = "";
  rows[49][1] = "earner.50.at.bulk.example.org";
  rows[118] = ["Earner 119 again", "  EARNER.118@bulk.example.org ", "duplicate"];
  const bad = `${artifacts}/bulk-bad.csv`;
  await writeFile(bad, csv(rows));
  await page.goto(`${server.baseURL}/admin/achievements/${achievement}/bulk`);
  await waitForHydration(page);
  await page.setInputFiles("#bulk-file", bad);
  await Promise.all([page.waitForURL(/\/bulk\?check=/), page.click('[data-testid="bulk-form"] button[type="submit"]')]);
  await page.waitForSelector('[data-testid="bulk-errors"]');
  const problemRows = await page.$$eval('[data-testid="bulk-errors"] tr[data-row]', (trs) => trs.map((t) => Number(t.dataset.row)));
  assert.deepEqual([...new Set(problemRows)].sort((a, b) => a - b), [12, 51, 120]);
  assert.match(await page.textContent('[data-testid="bulk-errors"]'), /nothing was awarded/);
  await shot(page, "bulk-errors");

  // Fixed file: 200 good rows.
  rows[10][1] = "earner.11@bulk.example.org";
  rows[49][1] = "earner.50@bulk.example.org";
  rows[118] = ["Earner 119", "earner.119@bulk.example.org", "Row 119"];
  const good = `${artifacts}/bulk-good.csv`;
  await writeFile(good, csv(rows));
  await page.setInputFiles("#bulk-file", good);
  await Promise.all([page.waitForURL(/\/admin\/bulk-awards\//), page.click('[data-testid="bulk-form"] button[type="submit"]')]);
  await waitForHydration(page);
  await page.waitForSelector('[data-testid="bulk-confirm"]');
  assert.match(await page.textContent('[data-testid="bulk-confirm"]'), /Award 200 badges/);
  await shot(page, "bulk-confirm");
  await page.click('[data-testid="bulk-confirm"]');
  await page.waitForSelector('[data-testid="progress"]');
  // Reload while it runs: the progress is the job's, not the page's.
  await page.reload();
  await waitForHydration(page);
  await page.waitForSelector('[data-testid="progress"]');
  const seen = [Number(await page.getAttribute('[data-testid="progress"]', "data-done"))];
  await page.waitForFunction(() => document.querySelector('[data-testid="bulk-status"]')?.dataset.status === "succeeded", null, { timeout: 60_000 });
  seen.push(Number(await page.getAttribute('[data-testid="progress"]', "data-done")));
  assert.equal(seen.at(-1), 200, `progress seen: ${seen}`);
  assert.equal(await page.getAttribute('[data-testid="progress"] progress', "value"), "200");
  assert.match(await page.textContent('[data-testid="progress"]'), /200 of 200 rows \(100 %\)/);
  await shot(page, "bulk-done");

  // The same file again awards nobody twice.
  await page.goto(`${server.baseURL}/admin/achievements/${achievement}/bulk`);
  await waitForHydration(page);
  await page.setInputFiles("#bulk-file", good);
  await Promise.all([page.waitForURL(/\/admin\/bulk-awards\//), page.click('[data-testid="bulk-form"] button[type="submit"]')]);
  await page.waitForSelector("text=200 of them were awarded from the same data before");

  // Find one award by part of its e-mail; open and revoke it.
  await page.goto(`${server.baseURL}/admin/awards`);
  await waitForHydration(page);
  await page.fill('[data-testid="award-search"]', "r.137@bulk");
  await Promise.all([page.waitForURL(/q=r\.137/), page.press('[data-testid="award-search"]', "Enter")]);
  await page.waitForSelector('[data-testid="award-table"] tbody tr');
  const found = await page.$$eval('[data-testid="award-table"] tbody tr', (trs) => trs.map((t) => t.textContent));
  assert.equal(found.length, 1, found.join("\n"));
  assert.match(found[0], /earner\.137@bulk\.example\.org/);
  await shot(page, "search");
  await Promise.all([page.waitForURL(/\/admin\/credentials\//), page.click('[data-testid="award-table"] tbody tr a')]);
  const credentialId = new URL(page.url()).pathname.split("/").pop();
  await waitForHydration(page);
  page.on("dialog", (d) => d.accept());
  await page.fill("#r-reason", "Duplicate enrolment");
  await page.click('[data-testid="revoke"]');
  await page.waitForSelector(".pill-revoked");
  await shot(page, "revoked");

  // The status list, as any verifier fetches it: the credential's bit is set.
  // (The credential is private until its earner makes it public; staff may fetch it.)
  const vc = await (await page.request.get(`${server.baseURL}/credentials/${credentialId}`, { headers: { accept: "application/ld+json" } })).json();
  const entry = [vc.credentialStatus].flat().find((s) => s.statusPurpose === "revocation");
  assert.ok(entry, JSON.stringify(vc.credentialStatus));
  const listResponse = await fetch(entry.statusListCredential);
  assert.equal(listResponse.status, 200);
  assert.match(listResponse.headers.get("cache-control"), /max-age=(\d|[1-5]\d|60)\b/);
  const list = await listResponse.json();
  assert.equal(list.credentialSubject.statusPurpose, "revocation");
  const encoded = list.credentialSubject.encodedList;
  const bits = gunzipSync(Buffer.from(encoded.slice(1), "base64url"));
  const index = Number(entry.statusListIndex);
  const bitSet = (i) => (bits[Math.floor(i / 8)] >> (7 - (i % 8))) & 1;
  assert.equal(bitSet(index), 1, "revoked credential's bit");
  // Another credential's bit stays clear.
  assert.equal(bitSet(index === 0 ? 1 : index - 1), 0);

  assert.deepEqual(errors, []);
  await context.close();
});
