import type { Frame, Route } from "@playwright/test";
import { expect, test } from "./fixtures.js";
import { hostileCorpus, type Sink, startSink } from "./hostile-corpus.js";

/**
 * Hostile responses through the real panel in Chromium: markup and script in bodies and headers,
 * `javascript:` URLs, bidi overrides and other control characters, huge strings, deep JSON,
 * invalid UTF-8. Every payload that ran would set `__ratelensPwned` in its window or the top one,
 * and every one that loaded anything would ask the sink server below. Neither may happen.
 */

const rows = "[data-testid=request-row]";

let sink: Sink;

test.beforeAll(async () => {
  sink = await startSink();
});

test.afterAll(async () => {
  await sink.close();
});

// The demo page is shared with the files after this one (a worker fixture): hand it back with
// the real mock behind the API hosts. Left in place, the route answered the next file's
// scenario with this file's hostile 429, and its careful client stopped after one request.
test.afterEach(async ({ demo }) => {
  await demo.page.unroute("https://api.casola.ai/**");
});

async function pwned(frame: Frame): Promise<unknown> {
  return frame.evaluate(() => (globalThis as { __ratelensPwned?: unknown }).__ratelensPwned);
}

test("hostile content in bodies, headers and URLs is shown as text: nothing runs, nothing loads", async ({
  demo,
}) => {
  test.setTimeout(120_000);
  const { page, panel, devtools } = demo;
  sink.hits.length = 0;
  const hostile = hostileCorpus(sink.url);
  await page.route("https://api.casola.ai/**", async (route: Route) => {
    const url = new URL(route.request().url());
    const item = hostile.find((h) => h.path.split("?")[0] === url.pathname);
    if (item === undefined) return route.continue();
    await route.fulfill({
      status: item.status,
      headers: { "Access-Control-Allow-Origin": "*", ...item.headers },
      body: item.body,
    });
  });
  await devtools.show();
  await panel.getByRole("button", { name: /^clear$/i }).click();
  await page.evaluate(
    async (paths) => {
      for (const path of paths) {
        const res = await fetch(`https://api.casola.ai${path}`);
        await res.arrayBuffer();
      }
    },
    hostile.map((h) => h.path),
  );
  await expect(panel.locator(rows)).toHaveCount(hostile.length, { timeout: 30_000 });

  // Every request's detail, then every view.
  for (let i = 0; i < hostile.length; i++) {
    await panel.locator(rows).nth(i).click();
    await expect(panel.locator("[data-testid=detail]")).toBeVisible();
  }
  await expect(panel.locator("[data-testid=detail]")).toContainText("bad_utf8");
  await panel.locator(rows).first().click();
  await expect(panel.locator("[data-testid=detail]")).toContainText("<script>");
  for (const view of ["findings", "budget", "requests"]) {
    await panel.click(`[data-testid=tab-${view}]`);
  }
  // The list's text filter on the markup itself finds the requests that carry it.
  await panel.getByRole("searchbox").fill("<script>");
  await expect(panel.locator(rows).first()).toBeVisible();
  await panel.getByRole("searchbox").fill("");

  // Give any load or handler a moment to fire.
  await page.waitForTimeout(1500);
  expect(await pwned(panel)).toBeUndefined();
  expect(await pwned(page.mainFrame())).toBeUndefined();
  expect(
    await panel.evaluate(() => ({
      inlineScripts: document.querySelectorAll("script:not([src])").length,
      images: document.querySelectorAll("img, svg [onload], iframe, link[href^='http']").length,
    })),
  ).toEqual({ inlineScripts: 0, images: 0 });
  expect(sink.hits).toEqual([]);
});
