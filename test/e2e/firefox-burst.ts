import { expect } from "@playwright/test";
import type { Page } from "puppeteer-core";
import {
  type FirefoxPanel,
  type FirefoxWithExtension,
  launchFirefox,
  openFirefoxPanel,
} from "../../dev/firefox.js";
import {
  type BurstTiming,
  catchUpMs,
  expectEveryOneCounted,
  type PageCalls,
  sendBurst,
  startBurstServer,
} from "./burst.js";
import { openPage, openToolbox } from "./firefox-harness.js";
import { fetchBurst, fetchWithKey } from "./page-fetch.js";

/**
 * The Chromium burst checks of ./burst.ts in Firefox ESR (dist/firefox-demo, which holds the demo
 * page's site), shared by test/e2e/firefox-burst.spec.ts and test/soak/firefox-burst.soak.ts.
 */

const GECKO_ID = "ratelens@ratelens.dev";
const TAB_COUNT = "[data-testid=tab-requests] .tab-count";

function inPage(page: Page): PageCalls {
  return {
    burst: (arg) => page.evaluate(fetchBurst, arg),
    call: (arg) => page.evaluate(fetchWithKey, arg),
  };
}

/** The background's lifecycle as Firefox tracks it: "running", "suspending", "stopped", ... */
function backgroundState(ff: FirefoxWithExtension): Promise<string> {
  return ff.chrome<string>(`(async () => {
    const { ExtensionParent } = ChromeUtils.importESModule("resource://gre/modules/ExtensionParent.sys.mjs");
    return String(ExtensionParent.GlobalManager.getExtension(${JSON.stringify(GECKO_ID)})?.backgroundState);
  })()`);
}

/** The badge and title of Ratelens's toolbar button for the selected tab, as Firefox draws them. */
function toolbarButton(ff: FirefoxWithExtension): Promise<{ badge: string; tooltip: string }> {
  return ff.chrome(`(async () => {
    const node = CustomizableUI.getWidget(${JSON.stringify(ff.actionWidgetId)}).forWindow(window).node;
    const button = node.querySelector(".webextension-browser-action") ?? node;
    return {
      badge: button.getAttribute("badge") ?? "",
      // The tooltip is localised from the extension's title, which this attribute carries.
      tooltip: JSON.parse(button.getAttribute("data-l10n-args") ?? "{}").extensionTitle ?? "",
    };
  })()`);
}

async function withFirefox<T>(
  size: number,
  run: (ff: FirefoxWithExtension, page: Page, pageUrl: string) => Promise<T>,
): Promise<T> {
  const server = await startBurstServer(size);
  try {
    const ff = await launchFirefox({
      extensionDir: "dist/firefox-demo",
      headless: true,
      httpsProxy: server.httpsProxy,
    });
    try {
      await expect.poll(() => backgroundState(ff), { intervals: [50] }).toBe("running");
      const page = await openPage(ff, server.pageUrl);
      return await run(ff, page, server.pageUrl);
    } finally {
      await ff.close();
    }
  } finally {
    await server.close();
  }
}

/** How long into the burst the Ratelens panel is selected. */
const OPEN_DURING_BURST_MS = 300;

/**
 * Firefox, the toolbox open on the Console (as F12 opens it; the Network monitor is never shown),
 * and the Ratelens panel selected while the burst is under way: the Requests tab counts exactly
 * the calls the page got a response to, and still does a moment later. Before the DevTools page
 * recorded for the panel, the panel's own reads of Firefox's log lost 7 to 38 of 302 calls sent
 * as it opened (docs/firefox.md).
 */
export function firefoxPanelBurst(size: number): Promise<BurstTiming> {
  return withFirefox(size, async (ff, page, pageUrl) => {
    await openToolbox(ff, pageUrl, "webconsole");
    let panel: FirefoxPanel | undefined;
    const opened = new Promise((r) => setTimeout(r, OPEN_DURING_BURST_MS))
      .then(() => openFirefoxPanel(ff, pageUrl))
      .then((shown) => {
        panel = shown;
      });
    // Nothing is counted before the panel is there to count.
    const counted = async () =>
      panel === undefined ? 0 : Number((await panel.texts(TAB_COUNT))[0] ?? 0);
    const timing = await expectEveryOneCounted(
      counted,
      inPage(page),
      size,
      `ff-burst-panel-${size}`,
    );
    await opened;
    return timing;
  });
}

/**
 * Firefox, no toolbox: the background alone (webRequest). After the burst and the last call, the
 * toolbar button's badge shows the last call's remaining figure, its tooltip that figure over the
 * limit, and both still do a moment later.
 */
export function firefoxClosedBurst(size: number): Promise<BurstTiming> {
  return withFirefox(size, async (ff, page) => {
    const { burst, last, limit } = await sendBurst(inPage(page), size, `ff-burst-closed-${size}`);
    const done = Date.now();
    await expect
      .poll(async () => (await toolbarButton(ff)).badge, {
        timeout: catchUpMs(size),
        message: "the badge",
      })
      .toBe(last.remaining);
    const caughtUp = Date.now() - done;
    expect((await toolbarButton(ff)).tooltip).toContain(`${last.remaining}/${limit} left`);
    await new Promise((r) => setTimeout(r, 1000));
    const settled = await toolbarButton(ff);
    expect(settled.badge, "the badge a moment later").toBe(last.remaining);
    expect(settled.tooltip).toContain(`${last.remaining}/${limit} left`);
    return { burstMs: burst.ms, catchUpMs: caughtUp };
  });
}
