import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, expect, type Page, test } from "@playwright/test";
import { type ChromiumWithExtension, launchChromium, waitFor } from "../../dev/chromium.js";
import { type DemoServer, startDemo } from "../../src/demo/server.js";

/** The few extension APIs the tests call inside the service worker. */
declare const chrome: {
  storage: { session: { get(key: string): Promise<Record<string, unknown>> } };
};

/**
 * Every API request the background can see is recorded, from the first one after a start or a
 * wake-up. dist/chrome-demo holds the demo page's site, DevTools stays closed: webRequest alone.
 *
 * A start is counted from the moment the worker has run (its first write of the state): a request
 * the page sends before the browser has started the worker's script at all is never reported to
 * any extension (measured: docs/decisions.md, "The first request after a start").
 */
const EXTENSION = "dist/chrome-demo";
const STATE_KEY = "ratelens.background";
const RUNS = 10;
const URL = "https://api.casola.ai/v1/models";

test.describe.configure({ mode: "serial" });

let server: DemoServer;
test.beforeAll(async () => {
  server = await startDemo();
});
test.afterAll(async () => {
  await server.close();
});

/** How many observations the background has stored, or -1 before its first write. */
async function stored(context: BrowserContext): Promise<number> {
  const worker = await waitFor(
    () => context.serviceWorkers().find((w) => w.url().startsWith("chrome-extension://")),
    "the extension's service worker",
  );
  return worker.evaluate(async (key) => {
    const state = (await chrome.storage.session.get(key))[key] as
      | { observations?: unknown[] }
      | undefined;
    return state === undefined ? -1 : (state.observations ?? []).length;
  }, STATE_KEY);
}

function send(page: Page, key: string): Promise<number> {
  return page.evaluate(
    async ({ url, key }) => {
      const res = await fetch(url, { headers: { Authorization: `Bearer ${key}` } });
      await res.text();
      return res.status;
    },
    { url: URL, key },
  );
}

function launch(userDataDir: string): Promise<ChromiumWithExtension> {
  return launchChromium({
    extensionDir: EXTENSION,
    headless: true,
    devtools: false,
    userDataDir,
    hostResolverRules: server.hostResolverRules,
    spkiFingerprint: server.spkiFingerprint,
  });
}

test(`the first request after each of ${RUNS} browser starts is recorded`, async () => {
  test.setTimeout(150_000);
  const profiles: string[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      // Even runs install the extension in a new profile; odd ones start that profile again.
      if (run % 2 === 0) profiles.push(mkdtempSync(join(tmpdir(), "ratelens-start-")));
      const browser = await launch(profiles.at(-1) as string);
      try {
        const { context } = browser;
        await expect.poll(() => stored(context), { intervals: [50] }).toBe(0);
        const page = context.pages()[0] ?? (await context.newPage());
        await page.goto(server.pageUrl);
        expect(await send(page, `e2e-start-${run}`)).toBe(200);
        await expect
          .poll(() => stored(context), { message: `start ${run}`, timeout: 5000, intervals: [50] })
          .toBe(1);
      } finally {
        await browser.close();
      }
    }
  } finally {
    for (const dir of profiles) rmSync(dir, { recursive: true, force: true });
  }
});

test(`a request that wakes the stopped worker is recorded, ${RUNS} times over`, async () => {
  test.setTimeout(120_000);
  const profile = mkdtempSync(join(tmpdir(), "ratelens-wake-"));
  const browser = await launch(profile);
  // Once the worker has been stopped, Playwright's own connection no longer reaches it (seen with
  // 1.65): everything goes through the second CDP connection.
  const cdpBrowser = await chromium.connectOverCDP(`http://127.0.0.1:${browser.cdpPort}`);
  try {
    const context = cdpBrowser.contexts()[0];
    const page = context?.pages()[0];
    if (context === undefined || page === undefined) throw new Error("no page over CDP");
    await page.goto(server.pageUrl);
    await expect.poll(() => stored(context), { intervals: [50] }).toBe(0);
    const cdp = await cdpBrowser.newBrowserCDPSession();
    const workers = async () =>
      (await cdp.send("Target.getTargets")).targetInfos.filter(
        (t) => t.type === "service_worker" && t.url.startsWith("chrome-extension://"),
      );
    for (let run = 0; run < RUNS; run++) {
      const before = await stored(context);
      // Stop the worker as Chromium does when it idles, and wait until it is gone.
      await expect
        .poll(
          async () => {
            for (const t of await workers())
              await cdp.send("Target.closeTarget", { targetId: t.targetId }).catch(() => {});
            return (await workers()).length;
          },
          { intervals: [100] },
        )
        .toBe(0);
      expect(await send(page, `e2e-wake-${run}`)).toBe(200);
      await expect
        .poll(() => stored(context), { message: `wake-up ${run}`, timeout: 5000, intervals: [50] })
        .toBe(before + 1);
    }
  } finally {
    await cdpBrowser.close().catch(() => {});
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
