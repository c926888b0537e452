// Starts the real `badge-engine` binary on a free port against a fresh PostgreSQL database,
// and tears both down afterwards. Nothing of our stack is mocked.
import { spawn, execFileSync } from "node:child_process";
import { createServer } from "node:net";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const bin = process.env.BADGE_ENGINE_BIN ?? path.join(root, "target/debug/badge-engine");
const pgBase = process.env.E2E_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432";

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor(url, child, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early with code ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not become healthy at ${url}`);
}

/** Starts a server; returns { baseURL, stop(), logs }. `env` adds or overrides variables. */
export async function startServer(env = {}) {
  const port = await freePort();
  const dbName = `be_e2e_${randomBytes(6).toString("hex")}`;
  const fullEnv = {
    ...process.env,
    DATABASE_URL: `${pgBase}/${dbName}`,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    BIND_ADDR: `127.0.0.1:${port}`,
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    SITE_ROOT: process.env.SITE_ROOT ?? path.join(root, "target/site"),
    RUST_LOG: "info",
    ...env,
  };
  execFileSync(bin, ["migrate", "--create-database"], { env: fullEnv, stdio: "pipe" });
  const logs = [];
  const child = spawn(bin, ["serve"], { env: fullEnv, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (d) => logs.push(d.toString()));
  child.stderr.on("data", (d) => logs.push(d.toString()));
  const baseURL = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${baseURL}/healthz`, child);
  } catch (e) {
    child.kill("SIGKILL");
    throw new Error(`${e.message}\n${logs.join("")}`);
  }
  return {
    baseURL,
    logs,
    env: fullEnv,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      try {
        execFileSync("psql", [`${pgBase}/postgres`, "-qc", `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`], { stdio: "pipe" });
      } catch {
        // a leftover throwaway database is harmless
      }
    },
  };
}
