// The stack a browser journey runs against: the dev OpenID provider, the app signed in through
// it (the provider's demo groups mapped to roles), and Chromium — started together, stopped
// together, and nothing left running when one of them fails to start.
import { startServer } from "./server.mjs";
import { startProvider, mapDemoGroups } from "./provider.mjs";
import { launch } from "./browser.mjs";

/** Starts provider, server (with extra `env`) and browser; `stop()` ends all three. */
export async function startStack(env = {}) {
  const started = {};
  const stop = async () => {
    await started.browser?.close();
    await started.server?.stop();
    await started.provider?.stop();
  };
  try {
    started.provider = await startProvider();
    started.server = await startServer({ ...started.provider.env, ...env });
    mapDemoGroups(started.server);
    started.browser = await launch();
  } catch (err) {
    await stop();
    throw err;
  }
  return { ...started, stop };
}
