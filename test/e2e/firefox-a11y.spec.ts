import { expect, test } from "@playwright/test";
import {
  clickToolbarButton,
  closePopup,
  type FirefoxWithExtension,
  openFirefoxPanel,
} from "../../dev/firefox.js";
import { startDemo } from "../../src/demo/server.js";
import { A11Y_SCENARIO, type AxeView, checkEveryView, type Theme } from "./axe.js";
import {
  frameScriptChannel,
  launchFirefox,
  openPage,
  openToolbox,
  themePrefs,
} from "./firefox-harness.js";

/**
 * The panel (every tab), the popup and the options page in Firefox, in the toolbox's light and
 * dark themes and the content's light and dark schemes: no serious or critical axe-core
 * violation (test/e2e/axe.ts has the steps). One browser per theme; the demo build holds the
 * demo's hosts, so the popup has a card for the scenario's host.
 */

/**
 * Evaluates expressions in an extension page, found among the extension's views by its Firefox
 * view type (`devtools_panel`, `popup`, `tab`). The page lives in another process and its CSP
 * forbids eval: a frame script loaded into the page's <browser> evaluates each expression in a
 * sandbox over the page's window, with the page's own principal, and returns its value as text.
 * A new document gets a new sandbox (and so loads axe again). It presses Tab and Shift+Tab
 * through the focus manager, as a key press moves the focus.
 */
const FRAME_SCRIPT = `let sandbox, sandboxDocument;
addMessageListener("ratelens-axe", async ({ data }) => {
  const reply = (answer) => sendAsyncMessage("ratelens-axe-result", { id: data.id, ...answer });
  try {
    if (sandboxDocument !== content.document) {
      sandbox = Cu.Sandbox(content, { sandboxPrototype: content, wantXrays: false, sameZoneAs: content });
      sandboxDocument = content.document;
    }
    if (data.key !== undefined) {
      // Tab and Shift+Tab as the focus manager moves them for a key press (so :focus-visible).
      const back = data.key === "Shift+Tab";
      Services.focus.moveFocus(content, null, back ? Services.focus.MOVEFOCUS_BACKWARD : Services.focus.MOVEFOCUS_FORWARD, Services.focus.FLAG_BYKEY);
      return reply({ result: "true" });
    }
    const value = await Cu.evalInSandbox(data.expression, sandbox);
    reply({ result: JSON.stringify(value) });
  } catch (error) {
    reply({ error: String(error) });
  }
});`;

function extensionPageView(ff: FirefoxWithExtension, viewType: string): AxeView {
  const find = `
    const { ExtensionParent } = ChromeUtils.importESModule("resource://gre/modules/ExtensionParent.sys.mjs");
    const browser = [...(ExtensionParent.GlobalManager.getExtension(${JSON.stringify(ff.id)})?.views ?? [])]
      .map((v) => v.viewType === ${JSON.stringify(viewType)} && v.xulBrowser)
      // A popup is preloaded in a hidden <browser> first: the shown one is the one to check.
      .find((b) => b && b.isConnected && !b.classList.contains("webextension-preload-browser"));`;
  const send = frameScriptChannel(ff, {
    find: `${find}\nif (!browser) return { error: "no ${viewType} view is showing" };`,
    script: FRAME_SCRIPT,
    channel: "ratelens-axe",
    where: `the ${viewType} page`,
  });
  return {
    evaluate: async <T>(expression: string) => {
      const result = await send({ expression });
      return (result === undefined ? undefined : JSON.parse(result as string)) as T;
    },
    // A key goes where the focus is: into the page's <browser>, as a user's click first puts it.
    async press(key) {
      await send({ key }, true);
    },
  };
}

for (const theme of ["light", "dark"] as const satisfies readonly Theme[]) {
  test(`every view has no serious or critical accessibility violation (${theme})`, async () => {
    test.setTimeout(120_000);
    const server = await startDemo();
    const ff = await launchFirefox({
      extensionDir: "dist/firefox-demo",
      headless: true,
      httpsProxy: server.httpsProxy,
      prefs: themePrefs(theme),
    });
    try {
      const page = await openPage(ff, server.pageUrl);
      await openToolbox(ff, server.pageUrl, "webconsole");
      const panel = await openFirefoxPanel(ff, server.pageUrl);
      await checkEveryView({
        theme,
        async runScenario() {
          await page.click(`#${A11Y_SCENARIO}`);
          await expect
            .poll(async () => page.$eval("#status", (e) => e.textContent), { timeout: 30_000 })
            .toBe(`done: ${A11Y_SCENARIO}`);
        },
        async panel() {
          await panel.show();
          return extensionPageView(ff, "devtools_panel");
        },
        async popup() {
          await clickToolbarButton(ff, server.pageUrl);
          return { ...extensionPageView(ff, "popup"), close: () => closePopup(ff) };
        },
        async options() {
          const options = await ff.browser.newPage();
          await ff.goto(options, `${ff.origin}/src/options/index.html`);
          return { ...extensionPageView(ff, "tab"), close: () => options.close() };
        },
      });
    } finally {
      await ff.close();
      await server.close();
    }
  });
}
