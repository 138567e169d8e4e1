import { test } from "@playwright/test";
import {
  addHostsOnOptionsPage,
  clickToolbarButton,
  closePopup,
  openFirefoxPanel,
} from "../../dev/firefox.js";
import { startDemo } from "../../src/demo/server.js";
import { runOpenAiSdk, SCENARIO } from "./chains.js";
import { launchFirefox, openPage, openToolbox } from "./firefox-harness.js";

/**
 * A retry chain and its cost, in Firefox (test/e2e/chains.ts has the steps). Firefox gives
 * extensions no calling line, so the chain names none. The demo build holds the OpenAI-shaped
 * host, as a user who added it on the options page and clicked Allow.
 */
test("the SDK's retry loop is one chain with its cost; the popup has the cost per host", async () => {
  test.setTimeout(120_000);
  const server = await startDemo();
  const ff = await launchFirefox({
    extensionDir: "dist/firefox-demo",
    headless: true,
    httpsProxy: server.httpsProxy,
  });
  try {
    const page = await openPage(ff, server.pageUrl);
    await addHostsOnOptionsPage(ff, SCENARIO.userHosts ?? []);
    await openToolbox(ff, server.pageUrl, "webconsole");
    const panel = await openFirefoxPanel(ff, server.pageUrl);
    await runOpenAiSdk({
      clickScenario: () => page.click(SCENARIO.button),
      pageStatus: async () => (await page.$eval("#status", (e) => e.textContent)) ?? "",
      async findingsView() {
        await panel.click("[data-testid=tab-findings]");
        return panel;
      },
      async openPopup() {
        const popup = await clickToolbarButton(ff, server.pageUrl);
        return { ...popup, close: () => closePopup(ff) };
      },
      caller: undefined,
    });
  } finally {
    await ff.close();
    await server.close();
  }
});
