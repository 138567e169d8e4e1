import { test } from "@playwright/test";
import { type FirefoxWithExtension, openFirefoxPanel } from "../../dev/firefox.js";
import { startDemo } from "../../src/demo/server.js";
import {
  frameScriptChannel,
  launchFirefox,
  openPage,
  openToolbox,
  ratelensPanelBrowser,
} from "./firefox-harness.js";
import { runTimeline, SCENARIO } from "./timeline.js";

/**
 * The Timeline in Firefox, through the real DevTools panel (test/e2e/timeline.ts has the steps).
 * The panel's page lives in the extension's process; the harness's probe reads it and clicks its
 * HTML elements. The timeline's marks are SVG and its keys are keys: a frame script of this file
 * sends the panel a click and a key press as DOM events.
 */

/** Answers `{selector, event: "click" | key}` in the panel's page: a click, or focus and a keydown. */
const ACT_SCRIPT = `addMessageListener("ratelens-timeline-act", ({ data }) => {
  const reply = (answer) => sendAsyncMessage("ratelens-timeline-act-result", { id: data.id, ...answer });
  try {
    const target = content.document.querySelectorAll(data.selector)[data.index ?? 0];
    if (!target) throw new Error("no element for " + data.selector);
    if (data.event === "click") {
      target.dispatchEvent(new content.MouseEvent("click", { bubbles: true, cancelable: true, button: 0 }));
    } else {
      target.focus();
      target.dispatchEvent(new content.KeyboardEvent("keydown", { key: data.event, bubbles: true, cancelable: true }));
    }
    reply({ result: true });
  } catch (error) {
    reply({ error: String(error) });
  }
});`;

/** Sends the panel on the tab at `tabUrl` a click on, or a key press at, the element `selector`. */
async function act(
  ff: FirefoxWithExtension,
  tabUrl: string,
  message: { selector: string; index?: number; event: string },
): Promise<void> {
  const send = frameScriptChannel(ff, {
    find: ratelensPanelBrowser(tabUrl),
    script: ACT_SCRIPT,
    channel: "ratelens-timeline-act",
    where: "the Ratelens panel",
  });
  await send(message);
}

test("a chain that ignores Retry-After on the Timeline: its window shaded, a click selects the request, keys zoom and pan", async () => {
  test.setTimeout(120_000);
  const server = await startDemo();
  const ff = await launchFirefox({
    extensionDir: "dist/firefox",
    headless: true,
    httpsProxy: server.httpsProxy,
  });
  try {
    const page = await openPage(ff, server.pageUrl);
    await openToolbox(ff, server.pageUrl, "webconsole");
    const panel = await openFirefoxPanel(ff, server.pageUrl);
    await runTimeline({
      clickScenario: () => page.click(SCENARIO.button),
      pageStatus: async () => (await page.$eval("#status", (e) => e.textContent)) ?? "",
      async timelineView() {
        await panel.click("[data-testid=tab-timeline]");
        return {
          ...panel,
          click: (selector, index) => act(ff, server.pageUrl, { selector, index, event: "click" }),
          press: (selector, key) => act(ff, server.pageUrl, { selector, event: key }),
        };
      },
    });
  } finally {
    await ff.close();
    await server.close();
  }
});
