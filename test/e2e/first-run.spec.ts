import {
  badgeOf,
  call,
  clickToolbarButton,
  extensionWorker,
  storedObservations,
  tabIdOf,
  tabShowing,
} from "./extension.js";
import { expect, test } from "./fixtures.js";

/**
 * A new user's first run, in the plain build (dist/chrome): the extension holds the API hosts and
 * nothing else, so webRequest does not report the demo page's calls (Chromium wants the page's
 * site too). Whatever the badge and popup show must come from the open panel.
 */
test.describe.configure({ mode: "serial" });

test("with the panel open and the page's site not granted, badge and popup show the header's remaining figure", async ({
  demo,
}) => {
  const { page } = demo;
  await call(page, "https://api.casola.ai/v1/models", "e2e-first-run");
  const reply = await call(page, "https://api.casola.ai/v1/models", "e2e-first-run");
  expect(reply.status).toBe(200);
  expect(reply.remaining).toMatch(/^\d+$/);

  const worker = await extensionWorker(demo);
  const tabId = await tabIdOf(worker, demo.server.pageUrl);
  await expect.poll(() => badgeOf(worker, tabId)).toBe(reply.remaining);
  // webRequest saw none of it: each request was counted once, from the panel's report. Storage
  // follows the state within 250 ms (docs/decisions.md, "At most one write every 250 ms").
  const casola = async () =>
    (await storedObservations(worker))
      .filter((o) => o.url.startsWith("https://api.casola.ai/"))
      .map((o) => [o.tabId, o.via]);
  await expect.poll(casola).toEqual([
    [tabId, "panel"],
    [tabId, "panel"],
  ]);

  const toolbar = await clickToolbarButton(demo, page);
  const popup = toolbar.page;
  const card = popup.locator("[data-testid=popup-host][data-host='api.casola.ai']");
  await expect(card.locator("[data-testid=popup-remaining]")).toHaveText(reply.remaining ?? "");
  await expect(card.locator("[data-testid=popup-limit]")).toHaveText(reply.limit ?? "");
  // The tab's calls are counted: nothing to offer.
  await expect(popup.locator("[data-testid=popup-site-offer]")).toHaveCount(0);
  await toolbar.close();
});

test("on a tab without API calls the popup offers to watch its site, by name; the click alone lets the badge follow the page", async ({
  demo,
}) => {
  const fresh = await demo.browser.context.newPage();
  await fresh.goto(`${demo.server.pageUrl}?first-run`);
  const toolbar = await clickToolbarButton(demo, fresh);
  const popup = toolbar.page;
  const offer = popup.locator("[data-testid=popup-site-offer]");
  // The demo page is http://127.0.0.1:PORT; a host permission covers the host on every port.
  await expect(offer).toHaveAttribute("data-site", "127.0.0.1");
  await expect(offer).toContainText("127.0.0.1 on every port");
  await expect(offer.getByRole("button", { name: "Watch 127.0.0.1" })).toBeVisible();
  await toolbar.close();

  // The toolbar click granted activeTab on this tab: webRequest now reports its page's calls.
  const reply = await call(fresh, "https://api.casola.ai/v1/models", "e2e-active-tab");
  const worker = await extensionWorker(demo);
  const tabId = await tabShowing(worker, fresh.url());
  expect(tabId).toBeGreaterThan(0);
  await expect.poll(() => badgeOf(worker, tabId)).toBe(reply.remaining);
  // Stored within 250 ms of the badge (docs/decisions.md, "At most one write every 250 ms").
  const seen = async () =>
    (await storedObservations(worker))
      .filter((o) => o.tabId === tabId)
      .map((o) => o.via)
      .filter((via) => via !== "panel");
  await expect.poll(seen).toHaveLength(1);
  await fresh.close();
});
