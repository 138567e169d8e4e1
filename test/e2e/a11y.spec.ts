import { expect, type Frame, type Page, test } from "@playwright/test";
import { clickToolbarButton, launchChromium, openPanelOn } from "../../dev/chromium.js";
import { startDemo } from "../../src/demo/server.js";
import { A11Y_SCENARIO, type AxeView, checkEveryView, type Theme } from "./axe.js";

/**
 * The panel (every tab), the popup and the options page in Chromium, in DevTools' light and dark
 * themes and the system's light and dark schemes: no serious or critical axe-core violation
 * (test/e2e/axe.ts has the steps). One browser per theme; the demo build holds the demo's hosts,
 * so the popup has a card for the scenario's host.
 */

/** A page or frame, with keys pressed on `keyboard` (the page, or the DevTools window of a frame). */
function view(root: Page | Frame, keyboard: Page): AxeView {
  return {
    evaluate: (expression) => root.evaluate(expression),
    press: (key) => keyboard.keyboard.press(key),
  };
}

for (const theme of ["light", "dark"] as const satisfies readonly Theme[]) {
  test(`every view has no serious or critical accessibility violation (${theme})`, async () => {
    test.setTimeout(90_000);
    const server = await startDemo();
    const browser = await launchChromium({
      extensionDir: "dist/chrome-demo",
      headless: true,
      actionClicks: true,
      hostResolverRules: server.hostResolverRules,
      spkiFingerprint: server.spkiFingerprint,
      devtoolsTheme: theme,
    });
    const { page, devtools } = await openPanelOn(browser, server.pageUrl);
    try {
      await checkEveryView({
        theme,
        async runScenario() {
          await page.bringToFront();
          await page.click(`#${A11Y_SCENARIO}`);
          await expect(page.locator("#status")).toHaveText(`done: ${A11Y_SCENARIO}`, {
            timeout: 30_000,
          });
        },
        async panel() {
          await devtools.show();
          return view(devtools.panel, devtools.devtools);
        },
        async popup() {
          const popup = await clickToolbarButton(browser, devtools.extensionId, page);
          await popup.page.emulateMedia({ colorScheme: theme });
          return { ...view(popup.page, popup.page), close: () => popup.close() };
        },
        async options() {
          const options = await browser.context.newPage();
          await options.goto(`chrome-extension://${devtools.extensionId}/src/options/index.html`);
          // After the navigation: the move into the extension's process drops an earlier one.
          await options.emulateMedia({ colorScheme: theme });
          return { ...view(options, options), close: () => options.close() };
        },
      });
    } finally {
      await devtools.close();
      await browser.close();
      await server.close();
    }
  });
}
