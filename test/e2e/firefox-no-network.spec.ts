import { expect, test } from "@playwright/test";
import { clickToolbarButton, closePopup, openFirefoxPanel } from "../../dev/firefox.js";
import { SCENARIOS } from "../../src/demo/scenarios.js";
import { startDemo } from "../../src/demo/server.js";
import { launchFirefox, openPage } from "./firefox-harness.js";
import { byExtension, RECORD_REQUESTS, recordedRequests } from "./firefox-requests.js";

/**
 * no-network.spec.ts in Firefox ESR: with the panel, the popup and the options page open, and a
 * scenario's traffic, the extension makes no network request of its own. Firefox has no NetLog;
 * every channel of the browser is recorded in its parent process from before the extension is
 * installed, with the principal that started it (see firefox-requests.ts).
 */
test("the extension makes no network request of its own in Firefox: panel, popup and options open, with traffic", async () => {
  test.setTimeout(60_000);
  const scenario = SCENARIOS[0];
  if (scenario === undefined) throw new Error("no demo scenario");
  const server = await startDemo();
  const ff = await launchFirefox({
    extensionDir: "dist/firefox-demo",
    headless: true,
    httpsProxy: server.httpsProxy,
    beforeInstall: RECORD_REQUESTS,
  });
  const pageOrigin = new URL(server.pageUrl).origin;
  try {
    const page = await openPage(ff, server.pageUrl);
    const panel = await openFirefoxPanel(ff, server.pageUrl);
    const options = await ff.browser.newPage();
    await ff.goto(options, `${ff.origin}/src/options/index.html`);
    await options.waitForSelector("[data-testid=options-default-host]");
    await clickToolbarButton(ff, server.pageUrl);
    await closePopup(ff);

    // A scenario's traffic, seen by the panel, the background and the popup.
    await page.bringToFront();
    await page.click(scenario.button);
    await page.waitForFunction(
      (done) => document.querySelector("#status")?.textContent?.includes(done),
      { timeout: 30_000 },
      `done: ${scenario.id}`,
    );
    await expect.poll(() => panel.count("[data-testid=request-row]")).toBeGreaterThan(0);
    const again = await clickToolbarButton(ff, server.pageUrl);
    await expect
      .poll(() => again.count("[data-testid=popup-host][data-host='api.casola.ai']"))
      .toBe(1);
    // Time for anything the extension might send on a timer (the panel polls twice a second).
    await new Promise((r) => setTimeout(r, 3000));
    const requests = await recordedRequests(ff);

    const api = /^https:\/\/api\.(casola|cuadra)\.ai\//;
    // The page's calls were recorded, with the page as who started them.
    expect(requests.some((r) => r.triggering === pageOrigin && api.test(r.url))).toBe(true);
    expect(
      byExtension(ff, requests),
      "requests the extension's pages or background started",
    ).toEqual([]);
    // Whatever a web page started is the demo page's own traffic. Left aside: Firefox's own
    // requests (the system principal: the page's navigation, its services); an extension's
    // page or background cannot start one without its own principal.
    const elsewhere = requests.filter(
      (r) =>
        r.triggering !== "system" &&
        (r.triggering !== pageOrigin || !(r.url.startsWith(pageOrigin) || api.test(r.url))),
    );
    expect(elsewhere.map((r) => `${r.url} (from ${r.triggering})`)).toEqual([]);

    // And the record would have shown one: a request from the options page is the extension's.
    const control = `${pageOrigin}/favicon.ico?from-the-extension`;
    await options.evaluate(async (url: string) => {
      await fetch(url);
    }, control);
    const after = byExtension(ff, await recordedRequests(ff));
    expect(after.map((r) => [r.url, r.triggering])).toEqual([[control, ff.origin]]);
  } finally {
    await ff.close();
    await server.close();
  }
});
