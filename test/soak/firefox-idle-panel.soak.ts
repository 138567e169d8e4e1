import { expect, test } from "@playwright/test";
import { launchFirefox, openFirefoxPanel, openPage } from "../../dev/firefox.js";
import { startDemo } from "../../src/demo/server.js";

const MINUTES = Number(process.env.RATELENS_SOAK_MINUTES) || 30;
const ROWS = "[data-testid=request-row]";

/**
 * The Chromium soak's twin in Firefox ESR: the panel in a real toolbox, left idle, then the next
 * request. The Firefox panel never reads DevTools' log (docs/firefox.md), so the request must come
 * through onRequestFinished, by way of the DevTools page's recording, after the idle time.
 */
test(`Firefox: after ${MINUTES} idle minutes the panel still lists the next request within a second`, async () => {
  const server = await startDemo();
  const ff = await launchFirefox({
    extensionDir: "dist/firefox-demo",
    headless: true,
    httpsProxy: server.httpsProxy,
  });
  try {
    const page = await openPage(ff, server.pageUrl);
    const panel = await openFirefoxPanel(ff, server.pageUrl);
    const call = (path: string) =>
      page.evaluate(async (url) => {
        const res = await fetch(url, { headers: { Authorization: "Bearer soak-key" } });
        await res.text();
      }, `https://api.casola.ai${path}`);
    await call("/v1/models");
    await expect.poll(() => panel.count(ROWS)).toBe(1);

    // Idle: the page, the toolbox and the panel open, no traffic; Firefox may suspend the
    // extension's background meanwhile.
    await new Promise((r) => setTimeout(r, MINUTES * 60_000));

    const before = Date.now();
    await call("/v1/usage");
    await expect.poll(() => panel.count(ROWS), { timeout: 1000, intervals: [50] }).toBe(2);
    console.log(
      `Firefox: listed ${Date.now() - before} ms after the request was sent, after ${MINUTES} min idle`,
    );
  } finally {
    await ff.close();
    await server.close();
  }
});
