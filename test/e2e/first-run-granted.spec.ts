import { call, clickToolbarButton, extensionWorker, storedObservations } from "./extension.js";
import { expect, test } from "./fixtures.js";

/**
 * The demo build (dist/chrome-demo) holds the demo page's site, so webRequest reports the page's
 * calls while the open panel reports them too: each must count once.
 */
test.use({ extensionDir: "dist/chrome-demo" });

test("a request both webRequest and the open panel saw is counted once", async ({ demo }) => {
  const { page } = demo;
  // A host no other test here calls, so its count is this test's alone.
  const url = "https://api.eu.casola.ai/v1/models";
  const sent = 5;
  for (let i = 0; i < sent; i++) {
    expect((await call(page, url, "e2e-once")).status).toBe(200);
  }
  const worker = await extensionWorker(demo);
  const eu = async () =>
    (await storedObservations(worker))
      .filter((o) => o.url === url)
      .map((o) => o.via)
      .sort();
  // Each seen by both; a copy from either side would add a "panel" or "webRequest" record.
  await expect.poll(eu).toEqual(Array(sent).fill("both"));

  const toolbar = await clickToolbarButton(demo, page);
  const popup = toolbar.page;
  const card = popup.locator("[data-testid=popup-host][data-host='api.eu.casola.ai']");
  await expect(card.locator("[data-testid=popup-burn-rate]")).toHaveText(`${sent} requests/min`);
  await toolbar.close();
  // Still once each after the panel has had time to report again.
  await page.waitForTimeout(1500);
  expect(await eu()).toEqual(Array(sent).fill("both"));
});
