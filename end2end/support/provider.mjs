// Starts the real local OpenID provider (dev/oidc-provider) on a free port for browser tests,
// and a helper that signs in through its login form like a person would.
import { spawn, execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, bin } from "./server.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Fixed in dev/oidc-provider/server.mjs. */
export const GROUPS = {
  admins: "0a1d0000-0000-4000-8000-0000000000a1",
  awarders: "0a1d0000-0000-4000-8000-0000000000a2",
};

/** Starts the provider; returns { issuer, env (OIDC_* for the app), stop() }. */
export async function startProvider() {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(root, "dev/oidc-provider/server.mjs")], {
    env: { ...process.env, OIDC_DEV_PORT: String(port), OIDC_DEV_EXIT_WITH_STDIN: "1" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const logs = [];
  child.stdout.on("data", (d) => logs.push(d.toString()));
  child.stderr.on("data", (d) => logs.push(d.toString()));
  const issuer = `http://127.0.0.1:${port}`;
  // Usually ready in under a second; a cold disk right after `npm ci` has taken much longer.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`provider exited: ${logs.join("")}`);
    try {
      const res = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      // Stop it, or its open stdin pipe keeps this test process alive after the failure.
      child.kill("SIGKILL");
      throw new Error(`provider did not start within 60 s: ${logs.join("")}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    issuer,
    env: {
      OIDC_ISSUER_URL: issuer,
      OIDC_CLIENT_ID: "badge-engine",
      OIDC_CLIENT_SECRET: "badge-engine-dev-secret",
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}

/** Maps the provider's demo groups to roles in the server's database (like scripts/run.sh). */
export function mapDemoGroups(server) {
  execFileSync(bin, ["map-claim", "--claim", GROUPS.admins, "--role", "admin"], { env: server.env, stdio: "pipe" });
  execFileSync(bin, ["map-claim", "--claim", GROUPS.awarders, "--role", "awarder"], { env: server.env, stdio: "pipe" });
}

/** Signs in through the provider's login form; ends on the app page `next`. */
export async function signIn(page, baseURL, user, next = "/") {
  // The provider's dev pages import a web font; offline that would be a console error.
  await page.context().route(/fonts\.googleapis\.com/, (route) => route.fulfill({ contentType: "text/css", body: "" }));
  await page.goto(`${baseURL}/auth/login?next=${encodeURIComponent(next)}`);
  await page.fill('input[name="login"]', user);
  await page.fill('input[name="password"]', "any password");
  await Promise.all([
    page.waitForURL((url) => url.toString().startsWith(baseURL)),
    page.click('button[type="submit"]'),
  ]);
}
