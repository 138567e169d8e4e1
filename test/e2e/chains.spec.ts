import type { Frame, Page } from "@playwright/test";
import { addHostsOnOptionsPage } from "../../dev/chromium.js";
import { runOpenAiSdk, SCENARIO } from "./chains.js";
import { clickToolbarButton } from "./extension.js";
import { test } from "./fixtures.js";

/**
 * A retry chain and its cost, in Chromium (test/e2e/chains.ts has the steps). The demo build holds
 * the OpenAI-shaped host, as a user who added it on the options page and clicked Allow.
 */
test.use({ extensionDir: "dist/chrome-demo" });

function reader(root: Page | Frame) {
  return {
    texts: (selector: string) => root.locator(selector).allTextContents(),
    attributes: (selector: string, name: string) =>
      root.locator(selector).evaluateAll((all, n) => all.map((e) => e.getAttribute(n)), name),
    count: (selector: string) => root.locator(selector).count(),
  };
}

test("the SDK's retry loop is one chain with its cost and caller; the popup has the cost per host", async ({
  demo,
}) => {
  test.setTimeout(90_000);
  const { page, panel } = demo;
  await addHostsOnOptionsPage(demo.browser, demo.devtools.extensionId, SCENARIO.userHosts ?? []);
  await page.bringToFront();
  await runOpenAiSdk({
    clickScenario: () => page.click(SCENARIO.button),
    pageStatus: async () => (await page.textContent("#status")) ?? "",
    async findingsView() {
      await demo.devtools.show();
      await panel.click("[data-testid=tab-findings]");
      return reader(panel);
    },
    async openPopup() {
      const popup = await clickToolbarButton(demo, page);
      return { ...reader(popup.page), close: () => popup.close() };
    },
    caller: /^Called from: openaiSdk client\.js:\d+:\d+$/,
  });
});
