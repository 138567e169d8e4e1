import { expect, test } from "@playwright/test";
import type { Page } from "puppeteer-core";
import {
  clickToolbarButton,
  closePopup,
  type ExtensionView,
  type FirefoxWithExtension,
  openFirefoxPanel,
} from "../../dev/firefox.js";
import { type DemoServer, startDemo } from "../../src/demo/server.js";
import { launchFirefox, openPage } from "./firefox-harness.js";
import { fetchWithKey } from "./page-fetch.js";

/**
 * The first run in Firefox, as a new user has it: the plain build (dist/firefox) holds the API
 * hosts and nothing else, so Firefox's webRequest does not report the demo page's calls (it, too,
 * wants the page's site). Then: nothing lost over fresh starts and wake-ups of the background.
 */
test.describe.configure({ mode: "serial" });

let server: DemoServer;
test.beforeAll(async () => {
  // A window longer than any test here, so no reset passes between a call and the check of its
  // figures, however loaded the machine.
  server = await startDemo({ api: { rateLimit: { limit: 1000, windowMs: 3_600_000 } } });
});
test.afterAll(async () => {
  await server?.close();
});

/** A call from `page` with a key of its own; resolves to the rate-limit headers it got. */
function call(page: Page, url: string, key: string) {
  return page.evaluate(fetchWithKey, { url, key });
}

/** The text of `testId` in the popup's card for `host`. */
async function cardText(popup: ExtensionView, host: string, testId: string): Promise<string> {
  const [text] = await popup.texts(
    `[data-testid=popup-host][data-host='${host}'] [data-testid=${testId}]`,
  );
  return text ?? "";
}

/** The background's lifecycle as Firefox tracks it: "running", "suspending", "stopped", ... */
function backgroundState(ff: FirefoxWithExtension, id: string): Promise<string> {
  return ff.chrome<string>(`(async () => {
    const { ExtensionParent } = ChromeUtils.importESModule("resource://gre/modules/ExtensionParent.sys.mjs");
    return String(ExtensionParent.GlobalManager.getExtension(${JSON.stringify(id)})?.backgroundState);
  })()`);
}

const GECKO_ID = "ratelens@ratelens.dev";

/** The badge on Ratelens's toolbar button for the selected tab, as Firefox draws it. */
function toolbarBadge(ff: FirefoxWithExtension): Promise<string> {
  return ff.chrome<string>(`(async () => {
    const node = CustomizableUI.getWidget(${JSON.stringify(ff.actionWidgetId)}).forWindow(window).node;
    return node.querySelector(".webextension-browser-action")?.getAttribute("badge") ?? "";
  })()`);
}

test("with the panel open and the page's site not granted, badge and popup show the header's remaining figure", async () => {
  const ff = await launchFirefox({
    extensionDir: "dist/firefox",
    headless: true,
    httpsProxy: server.httpsProxy,
  });
  try {
    const page = await openPage(ff, server.pageUrl);
    await openFirefoxPanel(ff, server.pageUrl);
    await call(page, "https://api.casola.ai/v1/models", "ff-first-run");
    const reply = await call(page, "https://api.casola.ai/v1/models", "ff-first-run");
    expect(reply.remaining).toMatch(/^\d+$/);

    const popup = await clickToolbarButton(ff, server.pageUrl);
    await expect
      .poll(() => cardText(popup, "api.casola.ai", "popup-remaining"), { timeout: 15_000 })
      .toBe(reply.remaining);
    expect(await cardText(popup, "api.casola.ai", "popup-limit")).toBe(reply.limit);
    // Both requests, each counted once.
    expect(await cardText(popup, "api.casola.ai", "popup-burn-rate")).toBe("2 requests/min");
    // The tab's calls are counted: nothing to offer.
    expect(await popup.count("[data-testid=popup-site-offer]")).toBe(0);

    expect(await toolbarBadge(ff)).toBe(reply.remaining);
  } finally {
    await ff.close();
  }
});

test("on a tab without API calls the popup offers to watch its site, by name; after Allow the badge follows the page", async () => {
  const ff = await launchFirefox({
    extensionDir: "dist/firefox",
    headless: true,
    httpsProxy: server.httpsProxy,
    // Optional permissions granted without the prompt, as if the user clicked Allow: the prompt
    // is browser UI that automation cannot answer.
    prefs: { "extensions.webextOptionalPermissionPrompts": false },
  });
  try {
    const url = `${server.pageUrl}?first-run`;
    const page = await openPage(ff, url);
    const popup = await clickToolbarButton(ff, url);
    await expect
      .poll(() => popup.attributes("[data-testid=popup-site-offer]", "data-site"))
      .toEqual(["127.0.0.1"]);
    const [offer] = await popup.texts("[data-testid=popup-site-offer]");
    expect(offer).toContain("127.0.0.1 on every port");
    expect(await popup.texts("[data-testid=popup-site-offer] button")).toEqual(["Watch 127.0.0.1"]);

    await closePopup(ff);

    // Unlike Chromium, Firefox's activeTab (granted by that click) does not show the extension
    // the page's requests: the offer stays after the page's next call.
    await call(page, "https://api.casola.ai/v1/models", "ff-offer");
    const still = await clickToolbarButton(ff, url);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await still.count("[data-testid=popup-host]")).toBe(0);
    expect(await still.count("[data-testid=popup-site-offer]")).toBe(1);

    // Allow (the prompt is answered yes by the profile's preference): the badge follows the page.
    await still.click("[data-testid=popup-site-offer] button");
    await expect
      .poll(() => still.attributes("[data-testid=popup-site-granted]", "data-site"))
      .toEqual(["127.0.0.1"]);
    await closePopup(ff);
    const reply = await call(page, "https://api.casola.ai/v1/models", "ff-offer");
    const after = await clickToolbarButton(ff, url);
    await expect
      .poll(() => cardText(after, "api.casola.ai", "popup-remaining"))
      .toBe(reply.remaining);
    await expect.poll(() => toolbarBadge(ff)).toBe(reply.remaining);
  } finally {
    await ff.close();
  }
});

const RUNS = 10;

test(`the first request after each of ${RUNS} fresh starts is recorded`, async () => {
  test.setTimeout(240_000);
  for (let run = 0; run < RUNS; run++) {
    // A new profile, the extension installed, its background started: a new user's first minute.
    const ff = await launchFirefox({
      extensionDir: "dist/firefox-demo",
      headless: true,
      httpsProxy: server.httpsProxy,
    });
    try {
      await expect.poll(() => backgroundState(ff, GECKO_ID), { intervals: [50] }).toBe("running");
      const page = await openPage(ff, server.pageUrl);
      const reply = await call(page, "https://api.ap.casola.ai/v1/models", `ff-start-${run}`);
      expect(reply.status).toBe(200);
      const popup = await clickToolbarButton(ff, server.pageUrl);
      await expect
        .poll(() => cardText(popup, "api.ap.casola.ai", "popup-burn-rate"), {
          message: `start ${run}`,
          timeout: 5000,
        })
        .toBe("1 request/min");
      expect(await cardText(popup, "api.ap.casola.ai", "popup-remaining")).toBe(reply.remaining);
    } finally {
      await ff.close();
    }
  }
});

test(`a request that wakes the stopped background is recorded, ${RUNS} times over`, async () => {
  test.setTimeout(180_000);
  const ff = await launchFirefox({
    extensionDir: "dist/firefox-demo",
    headless: true,
    httpsProxy: server.httpsProxy,
    // Firefox suspends an idle background after 30 s; the test does not wait that long.
    prefs: { "extensions.background.idle.timeout": 1000 },
  });
  try {
    const page = await openPage(ff, server.pageUrl);
    let last = { status: 0, limit: null as string | null, remaining: null as string | null };
    for (let run = 0; run < RUNS; run++) {
      await expect
        .poll(() => backgroundState(ff, GECKO_ID), { intervals: [100], timeout: 10_000 })
        .toBe("stopped");
      last = await call(page, "https://api.eu.casola.ai/v1/models", `ff-wake-${run}`);
      expect(last.status).toBe(200);
      await expect.poll(() => backgroundState(ff, GECKO_ID), { intervals: [50] }).toBe("running");
    }
    const popup = await clickToolbarButton(ff, server.pageUrl);
    await expect
      .poll(() => cardText(popup, "api.eu.casola.ai", "popup-burn-rate"), { timeout: 5000 })
      .toBe(`${RUNS} requests/min`);
    expect(await cardText(popup, "api.eu.casola.ai", "popup-remaining")).toBe(last.remaining);
  } finally {
    await ff.close();
  }
});
