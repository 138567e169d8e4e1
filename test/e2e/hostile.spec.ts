import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Frame, Route } from "@playwright/test";
import { expect, test } from "./fixtures.js";

/**
 * Hostile responses through the real panel in Chromium: markup and script in bodies and headers,
 * `javascript:` URLs, bidi overrides and other control characters, huge strings, deep JSON,
 * invalid UTF-8. Every payload that ran would set `__ratelensPwned` in its window or the top one,
 * and every one that loaded anything would ask the sink server below. Neither may happen.
 */

const rows = "[data-testid=request-row]";

let sink: Server;
let sinkHits: string[] = [];
let sinkUrl = "";

test.beforeAll(async () => {
  sink = createServer((req, res) => {
    sinkHits.push(req.url ?? "");
    res.end("");
  });
  await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
  sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => sink.close(() => resolve()));
});

// The demo page is shared with the files after this one (a worker fixture): hand it back with
// the real mock behind the API hosts. Left in place, the route answered the next file's
// scenario with this file's hostile 429, and its careful client stopped after one request.
test.afterEach(async ({ demo }) => {
  await demo.page.unroute("https://api.casola.ai/**");
});

/** Markup and script that marks the window it runs in, and loads from the sink. */
function payload(tag: string): string {
  const mark = "window.__ratelensPwned=1;try{top.__ratelensPwned=1}catch(e){}";
  return [
    `<script>${mark}</script>`,
    `<img src="${sinkUrl}/img-${tag}" onerror="${mark}">`,
    `<svg onload="${mark}"></svg>`,
    `<iframe src="javascript:${mark}"></iframe>`,
    `<a href="javascript:${mark}">click</a>`,
    `<link rel=stylesheet href="${sinkUrl}/css-${tag}">`,
    `<style>@import url(${sinkUrl}/import-${tag});</style>`,
    `javascript:${mark}`,
  ].join("");
}

function nested(depth: number): string {
  return `${"[".repeat(depth)}${"]".repeat(depth)}`;
}

interface Hostile {
  path: string;
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

function corpus(): Hostile[] {
  const bidi =
    "\u202Eevil\u202C\u2066x\u2069\u200F\u0000\u0007\u001b[31mred\u001b]0;title\u0007\u009b2J";
  return [
    {
      path: "/v1/jobs?q=<script>x</script>&next=javascript:alert(1)",
      status: 500,
      headers: { "Content-Type": "text/html" },
      body: `<!doctype html><html><body>${payload("html")}</body></html>`,
    },
    {
      path: "/v1/jobs",
      status: 429,
      headers: {
        "Content-Type": "application/json",
        "Retry-After": `<img src="${sinkUrl}/retry-after">`,
        "X-RateLimit-Remaining": "<svg onload=alert(1)>",
        "X-Evil": payload("header"),
        Link: `<javascript:alert(1)>; rel="next"`,
      },
      body: JSON.stringify({
        error: { code: payload("code"), message: payload("message"), details: [payload("d")] },
      }),
    },
    {
      path: "/v1/models",
      status: 400,
      headers: { "Content-Type": "application/json", "X-Bidi": "\u202Eevil" },
      body: JSON.stringify({ error: { code: bidi, message: `${bidi}${payload("bidi")}` } }),
    },
    {
      path: "/v1/usage",
      status: 503,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        error: { code: "x".repeat(100_000), message: "y".repeat(2_000_000) },
      }),
    },
    {
      path: "/v1/chat",
      status: 422,
      headers: { "Content-Type": "application/json" },
      body: `{"error":{"code":"deep","message":"m","details":${nested(20_000)}}}`,
    },
    {
      path: "/v1/accounts",
      status: 500,
      headers: { "Content-Type": "application/json; charset=utf-8" },
      body: Buffer.concat([
        Buffer.from('{"error":{"code":"bad_utf8","message":"'),
        Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0xed, 0xa0, 0x80]),
        Buffer.from(`${payload("utf8")}"}}`),
      ]),
    },
  ];
}

async function pwned(frame: Frame): Promise<unknown> {
  return frame.evaluate(() => (globalThis as { __ratelensPwned?: unknown }).__ratelensPwned);
}

test("hostile content in bodies, headers and URLs is shown as text: nothing runs, nothing loads", async ({
  demo,
}) => {
  test.setTimeout(120_000);
  const { page, panel, devtools } = demo;
  sinkHits = [];
  const hostile = corpus();
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
  expect(sinkHits).toEqual([]);
});
