import { expect, test } from "@playwright/test";
import {
  addHostsOnOptionsPage,
  clickToolbarButton,
  closePopup,
  type FirefoxWithExtension,
  openFirefoxPanel,
} from "../../dev/firefox.js";
import { startDemo } from "../../src/demo/server.js";
import { launchFirefox, openPage, openToolbox } from "./firefox-harness.js";
import { KEY, METERS_API, MODELS_URL, runOpenAiTokens, SCENARIO } from "./meters.js";
import { fetchWithKey } from "./page-fetch.js";

/**
 * Several budgets on one host, in Firefox: the OpenAI-shaped host's tokens run out while its
 * requests remain (test/e2e/meters.ts has the steps). The demo build holds the host, as a user
 * who added it on the options page and clicked Allow.
 */

/** The badge on Ratelens's toolbar button for the selected tab, as Firefox draws it. */
function toolbarBadge(ff: FirefoxWithExtension): Promise<string> {
  return ff.chrome<string>(`(async () => {
    const id = ${JSON.stringify(ff.actionWidgetId)};
    // Pinned, as a user who watches the badge has it (Firefox keeps it in the extensions menu).
    CustomizableUI.addWidgetToArea(id, CustomizableUI.AREA_NAVBAR);
    const node = CustomizableUI.getWidget(id).forWindow(window).node;
    return node.querySelector(".webextension-browser-action")?.getAttribute("badge") ?? "";
  })()`);
}

test("tokens spent, requests left: both meters in panel (rows and chart) and popup, the badge on the binding one, a 2xx ends its !", async () => {
  test.setTimeout(120_000);
  const server = await startDemo({ api: METERS_API });
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
    await expect.poll(() => toolbarBadge(ff)).toBe("");

    await runOpenAiTokens({
      clickScenario: () => page.click(SCENARIO.button),
      loggedStatuses: () =>
        page.$$eval("#log li", (items) =>
          items.map((li) => (li as HTMLElement).dataset.status ?? ""),
        ),
      pageStatus: async () => (await page.$eval("#status", (e) => e.textContent)) ?? "",
      badge: () => toolbarBadge(ff),
      listModels: async () =>
        (await page.evaluate(fetchWithKey, { url: MODELS_URL, key: KEY })).status,
      async budgetView() {
        await panel.click("[data-testid=tab-budget]");
        return panel;
      },
      async openPopup() {
        const popup = await clickToolbarButton(ff, server.pageUrl);
        return { ...popup, close: () => closePopup(ff) };
      },
    });
  } finally {
    await ff.close();
    await server.close();
  }
});
