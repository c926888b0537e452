// Issue 14's journey: an admin registers a client app on /admin/client-apps, gives it a role,
// copies the id and secret shown once; the curl-only example script then gets a token,
// creates an achievement, awards it and downloads the baked badge, which the CLI verifies.
// The API docs page renders from files the binary serves itself.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bin } from "../support/server.mjs";
import { signIn } from "../support/provider.mjs";
import { startStack } from "../support/stack.mjs";
import { openPage, waitForHydration, screenshotPath, artifacts } from "../support/browser.mjs";
import { demoAchievement, DEMO } from "../support/data.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
let stack;
let server;
let browser;

before(async () => {
  stack = await startStack();
  ({ server, browser } = stack);
  await demoAchievement(server);
});

after(() => stack?.stop());

const shot = (page, name) => page.screenshot({ path: screenshotPath(`api-${name}`), fullPage: true });

test("client app registered in the UI → curl script awards → baked badge verifies; docs page renders", async () => {
  const { page, errors } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
  await signIn(page, server.baseURL, "admin", "/admin/client-apps");
  await page.waitForSelector('[data-testid="admin-client-apps"]');
  await waitForHydration(page);
  await page.waitForSelector('[data-testid="no-client-apps"]');
  await shot(page, "01-empty");

  await page.fill("#app-name", "Campus LMS");
  await page.fill("#app-description", "Awards course badges when a course is passed");
  await page.click('[data-testid="admin-client-apps"] details.panel button[type="submit"]');
  await page.waitForSelector('[data-testid="new-client-secret"]');
  const clientId = (await page.textContent('[data-testid="client-id"]')).trim();
  const secret = (await page.textContent('[data-testid="client-secret"]')).trim();
  assert.match(secret, /^bec_/);
  await page.waitForSelector('[data-testid="client-app"]');
  await shot(page, "02-registered");

  // A role that may read, create achievements and award, on every issuer.
  const app = page.locator('[data-testid="client-app"]').first();
  await app.locator("details summary").click();
  await app.locator('input[name="form[name]"]').fill("awarder");
  for (const p of ["view_admin", "manage_achievements", "award"]) await app.locator(`input[name="form[${p}]"]`).check();
  await app.locator('button:has-text("Add role")').click();
  await page.waitForSelector('[data-testid="client-role"]');
  assert.match(await page.textContent('[data-testid="client-role"]'), /view_admin, manage_achievements, award|award, manage_achievements, view_admin/);
  await shot(page, "03-role");

  // The secret is shown once: after a reload only its prefix is on the page.
  await page.reload();
  await page.waitForSelector('[data-testid="client-app"]');
  assert.ok(!(await page.content()).includes(secret), "the secret must not be shown again");

  const png = path.join(artifacts, "api-badge.png");
  const out = execFileSync("bash", [path.join(root, "docs/api-example.sh"), png], {
    env: { ...process.env, BADGE_ENGINE_URL: server.baseURL, CLIENT_ID: clientId, CLIENT_SECRET: secret, ISSUER_ID: DEMO.issuer },
    encoding: "utf8",
  });
  assert.match(out, /baked badge in/);
  const report = execFileSync(bin, ["credential", "verify", png], { encoding: "utf8" });
  assert.doesNotMatch(report, /FAIL/);

  // The admin page shows the token was used.
  await page.reload();
  await page.waitForSelector('[data-testid="client-app"]');
  assert.doesNotMatch(await page.textContent('[data-testid="client-app"]'), /Last token\s*never/);

  // The API docs, rendered by Swagger UI from files the binary serves.
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(`${server.baseURL}/api/docs/`);
  await page.waitForSelector(".swagger-ui .opblock", { timeout: 20_000 });
  await shot(page, "04-docs");
  assert.ok(requests.every((u) => u.startsWith(server.baseURL)), `only own files: ${requests.filter((u) => !u.startsWith(server.baseURL))}`);
  assert.deepEqual(errors, []);
});

test("a wallet registers, the earner consents, and the wallet reads the earner's badges (OB 3.0 API)", async () => {
  const { createHash, randomBytes } = await import("node:crypto");
  const base = server.baseURL;
  // An award for the earner, through the REST API of a CLI-registered client app.
  execFileSync("psql", [server.env.DATABASE_URL, "-qAtc", "insert into users (username, email) values ('wallet-test-owner', 'owner@badge-engine.test')"]);
  const [clientId, secret] = execFileSync(bin, ["client-app", "create", "awarding", "--owner", "wallet-test-owner", "--permissions", "award,view_admin"], { env: server.env, encoding: "utf8" }).trim().split(" ");
  const tok = await (await fetch(`${base}/oauth/token`, { method: "POST", headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=client_credentials" })).json();
  const award = await fetch(`${base}/api/v1/awards`, { method: "POST", headers: { authorization: `Bearer ${tok.access_token}`, "content-type": "application/json" },
    body: JSON.stringify({ achievement_id: DEMO.achievement, recipient_name: "Grace Earner", recipient_email: "earner@badge-engine.test", notify: false }) });
  assert.equal(award.status, 201);

  // The wallet finds the endpoints and registers itself.
  const discovery = await (await fetch(`${base}/ims/ob/v3p0/discovery`)).json();
  const scheme = discovery.components.securitySchemes.OAuth2ACG;
  // The wallet's redirect target: a real listener (route handlers do not see redirects).
  const { createServer } = await import("node:http");
  const walletSite = createServer((req, res) => { res.writeHead(200, { "content-type": "text/html" }); res.end("<p>wallet</p>"); });
  await new Promise((r) => walletSite.listen(0, "127.0.0.1", r));
  const callback = `http://127.0.0.1:${walletSite.address().port}/wallet/callback`;
  const reg = await fetch(scheme["x-imssf-registrationUrl"], { method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_name: "Demo Wallet", client_uri: "https://wallet.example/", redirect_uris: [callback],
      grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], token_endpoint_auth_method: "client_secret_basic",
      scope: Object.keys(scheme.flows.authorizationCode.scopes).join(" ") }) });
  assert.equal(reg.status, 201);
  const wallet = await reg.json();

  // PKCE, then the earner signs in and sees the consent page.
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const authorize = new URL(scheme.flows.authorizationCode.authorizationUrl);
  for (const [k, v] of Object.entries({ response_type: "code", client_id: wallet.client_id, redirect_uri: callback, scope: wallet.scope,
    state: "xyz", code_challenge: challenge, code_challenge_method: "S256" })) authorize.searchParams.set(k, v);
  const { page, errors } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
  await signIn(page, base, "earner", authorize.pathname + authorize.search);
  await page.waitForSelector('[data-testid="consent"]');
  assert.match(await page.textContent("h1"), /Demo Wallet/);
  await shot(page, "05-consent");
  await Promise.all([page.waitForURL((u) => u.toString().startsWith(callback)), page.click('button[value="allow"]')]);
  const answer = new URL(page.url());
  assert.equal(answer.searchParams.get("state"), "xyz");
  const code = answer.searchParams.get("code");
  assert.ok(code);

  const basic = `Basic ${Buffer.from(`${wallet.client_id}:${wallet.client_secret}`).toString("base64")}`;
  const form = { authorization: basic, "content-type": "application/x-www-form-urlencoded" };
  const tokens = await (await fetch(scheme.flows.authorizationCode.tokenUrl, { method: "POST", headers: form,
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: callback, code_verifier: verifier }) })).json();
  assert.ok(tokens.access_token, JSON.stringify(tokens));
  // The code works once.
  const again = await fetch(scheme.flows.authorizationCode.tokenUrl, { method: "POST", headers: form,
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: callback, code_verifier: verifier }) });
  assert.equal((await again.json()).error, "invalid_grant");

  const api = `${discovery.servers[0].url}`;
  const bearer = { authorization: `Bearer ${tokens.access_token}` };
  const creds = await fetch(`${api}/credentials?limit=10&offset=0`, { headers: bearer });
  assert.equal(creds.status, 200);
  assert.equal(creds.headers.get("x-total-count"), "1");
  const list = await creds.json();
  assert.equal(list.credential.length, 1);
  assert.ok(list.credential[0].proof, "the earner's signed credential");
  const profile = await (await fetch(`${api}/profile`, { headers: bearer })).json();
  assert.equal(profile.email, "earner@badge-engine.test");
  const put = await fetch(`${api}/profile`, { method: "PUT", headers: { ...bearer, "content-type": "application/json" }, body: JSON.stringify({ name: "Grace B. Earner" }) });
  assert.equal((await put.json()).name, "Grace B. Earner");
  const elsewhere = { "@context": ["https://www.w3.org/ns/credentials/v2"], id: "urn:uuid:8b1f2c3a-0000-4000-8000-000000000001",
    type: ["VerifiableCredential", "OpenBadgeCredential"], issuer: { id: "https://other.example/issuer" }, credentialSubject: {} };
  const up = await fetch(`${api}/credentials`, { method: "POST", headers: { ...bearer, "content-type": "application/json" }, body: JSON.stringify(elsewhere) });
  assert.equal(up.status, 201);
  assert.equal((await fetch(`${api}/credentials`, { headers: bearer })).headers.get("x-total-count"), "2");
  // Refresh tokens rotate.
  const refreshed = await (await fetch(scheme.flows.authorizationCode.refreshUrl, { method: "POST", headers: form,
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: tokens.refresh_token }) })).json();
  assert.ok(refreshed.access_token && refreshed.refresh_token !== tokens.refresh_token);
  const reused = await fetch(scheme.flows.authorizationCode.refreshUrl, { method: "POST", headers: form,
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: tokens.refresh_token }) });
  assert.equal((await reused.json()).error, "invalid_grant");

  // The admin sees the wallet and the one earner it reaches.
  const admin = await openPage(browser, { viewport: { width: 1280, height: 900 } });
  await signIn(admin.page, base, "admin", "/admin/wallets");
  await admin.page.waitForSelector('[data-testid="wallet"]');
  await waitForHydration(admin.page);
  const row = admin.page.locator('[data-testid="wallet"]', { hasText: "Demo Wallet" });
  assert.equal((await row.locator('[data-testid="wallet-earners"]').textContent()).trim(), "1");
  await shot(admin.page, "06-admin-wallets");
  assert.deepEqual(admin.errors, []);

  // The earner finds it under Connected apps and disconnects it: its tokens stop working at once.
  await page.goto(`${base}/me/badges`);
  await page.waitForSelector('[data-testid="connected-app"]');
  await waitForHydration(page);
  assert.match(await page.textContent('[data-testid="connected-apps"]'), /Demo Wallet[\s\S]*See your badges/);
  await shot(page, "07-connected-apps");
  await page.click('[data-testid="connected-app"] button:has-text("Disconnect")');
  await page.waitForSelector('[data-testid="no-connected-apps"]');
  await shot(page, "08-disconnected");
  const after = await fetch(`${api}/credentials`, { headers: { authorization: `Bearer ${refreshed.access_token}` } });
  assert.equal(after.status, 401);
  const lapsed = await fetch(scheme.flows.authorizationCode.refreshUrl, { method: "POST", headers: form,
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshed.refresh_token }) });
  assert.equal((await lapsed.json()).error, "invalid_grant");
  walletSite.close();
  assert.deepEqual(errors, []);
});
