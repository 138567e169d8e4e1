import type { Frame, Page } from "@playwright/test";
import { addHostsOnOptionsPage } from "../../dev/chromium.js";
import { badgeOf, call, clickToolbarButton, extensionWorker, tabIdOf } from "./extension.js";
import { test } from "./fixtures.js";
import {
  KEY,
  METERS_API,
  MODELS_URL,
  runOpenAiTokens,
  SCENARIO,
  type SelectorReader,
} from "./meters.js";

/**
 * Several budgets on one host, in Chromium: the OpenAI-shaped host's tokens run out while its
 * requests remain (test/e2e/meters.ts has the steps). The demo build holds the host, as a user
 * who added it on the options page and clicked Allow.
 */
test.use({ extensionDir: "dist/chrome-demo", api: METERS_API });

/** Reads a page or frame of the extension by selector. */
function reader(root: Page | Frame): SelectorReader {
  return {
    texts: (selector) => root.locator(selector).allTextContents(),
    attributes: (selector, name) =>
      root.locator(selector).evaluateAll((all, n) => all.map((e) => e.getAttribute(n)), name),
  };
}

test("tokens spent, requests left: both meters in panel (rows and chart) and popup, the badge on the binding one, a 2xx ends its !", async ({
  demo,
}) => {
  test.setTimeout(90_000);
  const { page, panel } = demo;
  await addHostsOnOptionsPage(demo.browser, demo.devtools.extensionId, SCENARIO.userHosts ?? []);
  await page.bringToFront();
  const worker = await extensionWorker(demo);
  const tabId = await tabIdOf(worker, demo.server.pageUrl);

  await runOpenAiTokens({
    clickScenario: () => page.click(SCENARIO.button),
    loggedStatuses: () =>
      page.locator("#log li").evaluateAll((items) => items.map((li) => li.dataset.status ?? "")),
    pageStatus: async () => (await page.textContent("#status")) ?? "",
    badge: () => badgeOf(worker, tabId),
    listModels: async () => (await call(page, MODELS_URL, KEY)).status,
    async budgetView() {
      await demo.devtools.show();
      await panel.click("[data-testid=tab-budget]");
      return reader(panel);
    },
    async openPopup() {
      const popup = await clickToolbarButton(demo, page);
      return { ...reader(popup.page), close: () => popup.close() };
    },
  });
});
