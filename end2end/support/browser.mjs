// Launches Debian's Chromium through playwright-core (no browser download) and records every
// console error and uncaught page error: a hydration mismatch shows up only there.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const artifacts = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../artifacts");
mkdirSync(artifacts, { recursive: true });

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-quic",
      "--disable-sync",
    ],
  });
}

/** A fresh context + page whose console errors and page errors are collected in `errors`. */
export async function openPage(browser, options = {}) {
  const { allowStatusFor, ...contextOptions } = options;
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  const errors = [];
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    // Chromium logs the page's own non-2xx status as a console error; a test that expects that
    // status lists the URL in `allowStatusFor` instead of ignoring console errors wholesale.
    const url = msg.location()?.url ?? "";
    if (msg.text().startsWith("Failed to load resource") && (options.allowStatusFor ?? []).some((u) => url.endsWith(u))) return;
    errors.push(`console: ${msg.text()} (${url})`);
  });
  page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
  return { context, page, errors };
}

/** Resolves once the WASM bundle has hydrated the page (the layout flips data-hydrated). */
export async function waitForHydration(page) {
  await page.waitForSelector('.page[data-hydrated="true"]', { timeout: 30_000 });
}

export function screenshotPath(name) {
  return path.join(artifacts, `${name}.png`);
}
