import { describe, expect, it } from "vitest";
import { analyzeEntries } from "../../../test/support/analyze.js";
import { entry, T0 } from "../../../test/support/har.js";
import type { HarEntry } from "../types.js";

const SHOP = "https://shop.example.test/api/cart";
const CASOLA = "https://api.casola.ai/v1/jobs";

function at(seconds: number, fields: Parameters<typeof entry>[0], extra: object = {}): HarEntry {
  return { ...entry({ startedDateTime: T0 + seconds * 1000, ...fields }), ...extra } as HarEntry;
}

const rules = (entries: HarEntry[]) =>
  analyzeEntries(entries).findings.map(({ rule, entries }) => ({ rule, entries }));

describe("what is a retry", () => {
  it("still finds a fetch loop without backoff on any host", () => {
    const loop = [0, 0.2, 0.4, 0.6].map((s) =>
      at(s, { url: SHOP, status: 503 }, { _resourceType: "fetch", pageref: "page_1" }),
    );
    expect(rules(loop)).toEqual([
      { rule: "no-backoff", entries: [0, 1, 2] },
      { rule: "no-backoff", entries: [1, 2, 3] },
    ]);
  });

  it("still finds a loop whose recorder did not say who sent it (Polly.JS, a proxy)", () => {
    const loop = [0, 0.2, 0.4].map((s) => at(s, { url: SHOP, status: 503 }));
    expect(rules(loop)).toEqual([{ rule: "no-backoff", entries: [0, 1, 2] }]);
  });

  it("does not take the browser's own loads for retries, even within one page", () => {
    const images = [0, 0.2, 0.4].map((s) =>
      at(s, { url: "https://shop.example.test/a.png", status: 503 }, { _resourceType: "image" }),
    );
    expect(rules(images)).toEqual([]);
    const viaHeader = [0, 0.2, 0.4].map((s) =>
      at(s, {
        url: "https://shop.example.test/a.png",
        status: 503,
        requestHeaders: { "Sec-Fetch-Dest": "image" },
      }),
    );
    expect(rules(viaHeader)).toEqual([]);
  });

  it("does not link a page's fetch to the one the previous page load made", () => {
    const [first, second] = ["page_1", "page_2"].map((page, i) =>
      at(i * 2, { url: SHOP, status: 404 }, { _resourceType: "fetch", pageref: page }),
    );
    expect(analyzeEntries([first as HarEntry, second as HarEntry]).retries).toBe(0);
    // Without pagerefs (a proxy's recording), a reload of the page the fetch names as Referer.
    const requestHeaders = { Referer: "https://shop.example.test/cart" };
    const reload = at(1, { url: "https://shop.example.test/" }, { _resourceType: "document" });
    const again = at(2, { url: SHOP, status: 404, requestHeaders }, { _resourceType: "fetch" });
    const before = at(0, { url: SHOP, status: 404, requestHeaders }, { _resourceType: "fetch" });
    expect(analyzeEntries([before, reload, again]).retries).toBe(0);
  });

  it("ends a chain at a navigation told by Sec-Fetch-Dest: document, not only _resourceType", () => {
    const fetch = {
      "Sec-Fetch-Dest": "empty",
      "Sec-Fetch-Mode": "cors",
      Referer: "https://shop.example.test/",
    };
    const navigate = { "Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate" };
    const loads = [0, 3, 6].flatMap((s) => [
      at(s, { url: "https://shop.example.test/", requestHeaders: navigate }),
      at(s + 0.5, { url: SHOP, status: 404, requestHeaders: fetch }),
    ]);
    expect(rules(loads)).toEqual([]);
    expect(analyzeEntries(loads).retries).toBe(0);
    // The same fetches without the navigations between them are retries of each other.
    expect(rules(loads.filter((_, i) => i % 2 === 1))).toEqual([
      { rule: "retry-non-retryable", entries: [0, 1] },
      { rule: "retry-non-retryable", entries: [1, 2] },
    ]);
    // One page (Safari's single pageref): the navigation within it still ends the chain.
    const onePage = loads.map((e) => ({ ...e, pageref: "page_0" }) as HarEntry);
    expect(rules(onePage)).toEqual([]);
  });

  it("still links requests to an API host across page loads", () => {
    const quota = '{"error":{"code":"quota_exceeded","message":"Plan usage limit reached"}}';
    const calls = ["page_1", "page_2"].map((page, i) =>
      at(
        i * 2,
        { url: CASOLA, method: "POST", status: 429, body: quota },
        { _resourceType: "fetch", pageref: page },
      ),
    );
    expect(rules(calls)).toEqual([{ rule: "retry-non-retryable", entries: [0, 1] }]);
  });

  it("takes a request re-sent after a 401 with the same credentials for a retry", () => {
    const body = '{"error":{"code":"unauthorized","message":"Invalid API key"}}';
    const same = [0, 1].map((s) =>
      at(s, { url: CASOLA, status: 401, body, requestHeaders: { Authorization: "Bearer a" } }),
    );
    expect(rules(same)).toEqual([{ rule: "retry-non-retryable", entries: [0, 1] }]);
  });

  it("takes one re-sent with new credentials after a 401 or 403 for a new request", () => {
    const body = '{"error":{"code":"forbidden","message":"No access"}}';
    for (const [before, after] of [
      [{ Authorization: "Bearer a" }, { Authorization: "Bearer b" }],
      [{ Cookie: "sid=1" }, { Cookie: "sid=2" }],
      [{}, { "X-API-Key": "k" }],
      [{}, { "api-key": "k" }],
    ] as const) {
      const corrected = [
        at(0, { url: CASOLA, status: 403, body, requestHeaders: before }),
        at(1, { url: CASOLA, status: 403, body, requestHeaders: after }),
      ];
      expect(rules(corrected), JSON.stringify(after)).toEqual([]);
    }
  });

  it("takes a success after a 401 or 403 for the correction when the HAR shows no credentials", () => {
    // Chrome's default "Export HAR (sanitized)": no Cookie, Set-Cookie or Authorization, cookies [].
    for (const [failure, success] of [
      [401, 201],
      [403, 200],
      [401, 302],
    ] as const) {
      const code = failure === 401 ? "unauthorized" : "forbidden";
      const body = JSON.stringify({ error: { code, message: "Invalid API key" } });
      const sanitized = [
        at(0, { url: CASOLA, method: "POST", status: failure, body, postData: "{}" }),
        at(1, { url: CASOLA, method: "POST", status: success, postData: "{}" }),
      ];
      expect(rules(sanitized), `${failure} then ${success}`).toEqual([]);
      expect(analyzeEntries(sanitized).retries).toBe(0);
    }
  });

  it("still flags the same request failing again after a 401 in a sanitized HAR", () => {
    const body = '{"error":{"code":"unauthorized","message":"Invalid API key"}}';
    const again = [0, 1, 2].map((s) => at(s, { url: CASOLA, status: 401, body }));
    expect(rules(again)).toEqual([
      { rule: "retry-non-retryable", entries: [0, 1] },
      { rule: "retry-non-retryable", entries: [1, 2] },
    ]);
    // On any host: a sanitized page's fetch 403 then 403.
    const shop = [0, 1].map((s) =>
      at(s, { url: SHOP, status: 403 }, { _resourceType: "fetch", pageref: "page_1" }),
    );
    expect(rules(shop)).toEqual([{ rule: "retry-non-retryable", entries: [0, 1] }]);
  });

  it("still flags a success after a 401 when the same credentials are shown on both", () => {
    const body = '{"error":{"code":"unauthorized","message":"Invalid API key"}}';
    const cases: [string, object, object][] = [
      ["Authorization", { requestHeaders: { Authorization: "Bearer fixture-a" } }, {}],
      ["Cookie", { requestHeaders: { Cookie: "sid=fixture-1" } }, {}],
      ["an API key", { requestHeaders: { "X-API-Key": "fixture-k" } }, {}],
      ["the cookies array", {}, { cookies: [{ name: "sid", value: "fixture-1" }] }],
    ];
    for (const [what, fields, request] of cases) {
      const withCookies = (e: HarEntry) =>
        ({ ...e, request: { ...e.request, ...request } }) as HarEntry;
      const same = [
        withCookies(at(0, { url: CASOLA, status: 401, body, ...fields })),
        withCookies(at(1, { url: CASOLA, status: 200, ...fields })),
      ];
      expect(rules(same), what).toEqual([{ rule: "retry-non-retryable", entries: [0, 1] }]);
    }
  });

  it("does not excuse a success after another error in a sanitized HAR", () => {
    const body = '{"error":{"code":"quota_exceeded","message":"Plan usage limit reached"}}';
    const calls = [at(0, { url: CASOLA, status: 429, body }), at(2, { url: CASOLA, status: 200 })];
    expect(rules(calls)).toEqual([{ rule: "retry-non-retryable", entries: [0, 1] }]);
  });

  it("still takes a request re-sent with new credentials after another error for a retry", () => {
    const body = '{"error":{"code":"quota_exceeded","message":"Plan usage limit reached"}}';
    const calls = [
      at(0, { url: CASOLA, status: 429, body, requestHeaders: { Cookie: "a=1" } }),
      at(2, { url: CASOLA, status: 429, body, requestHeaders: { Cookie: "a=2" } }),
    ];
    expect(rules(calls)).toEqual([{ rule: "retry-non-retryable", entries: [0, 1] }]);
  });
});

describe("whose page load ends a chain", () => {
  const PARTNER = "https://partner.example.test/v1/orders";
  const python = { "User-Agent": "python-requests/2.32" };
  const browserNav = (url: string) => ({
    "Sec-Fetch-Dest": "document",
    "Sec-Fetch-Mode": "navigate",
    "User-Agent": "Mozilla/5.0",
    Referer: url,
  });
  /** A 503 loop of `client`'s requests every 0.2 s, with `between` sent 0.1 s after each. */
  function loop(client: Record<string, string>, between: (i: number) => HarEntry | undefined) {
    return [0, 1, 2, 3].flatMap((i) => {
      const failure = at(i * 0.2, { url: PARTNER, status: 503, requestHeaders: client });
      const other = between(i);
      return other === undefined ? [failure] : [failure, other];
    });
  }
  const noBackoff = (entries: HarEntry[]) =>
    rules(entries).filter((f) => f.rule === "no-backoff").length;

  it("does not split a non-browser client's loop at another tab's navigations (a proxy, no pageref)", () => {
    const alone = loop(python, () => undefined);
    expect(noBackoff(alone)).toBe(2);
    const otherTab = loop(python, (i) =>
      at(i * 0.2 + 0.1, {
        url: `https://news.other.test/${i}`,
        requestHeaders: browserNav("https://news.other.test/"),
      }),
    );
    expect(noBackoff(otherTab)).toBe(2);
    // Even a navigation to the same origin: a request of unknown kind names no page.
    const sameOrigin = loop(python, (i) =>
      at(i * 0.2 + 0.1, {
        url: "https://partner.example.test/",
        requestHeaders: browserNav("https://partner.example.test/"),
      }),
    );
    expect(noBackoff(sameOrigin)).toBe(2);
  });

  it("does not split a page's fetch loop at another origin's navigations (another tab)", () => {
    const fetch = {
      "Sec-Fetch-Dest": "empty",
      "Sec-Fetch-Site": "same-site",
      Referer: "https://shop.example.test/checkout",
    };
    const otherTab = loop(fetch, (i) =>
      at(i * 0.2 + 0.1, {
        url: `https://news.other.test/${i}`,
        requestHeaders: browserNav("https://news.other.test/"),
      }),
    );
    expect(noBackoff(otherTab)).toBe(2);
  });

  it("splits a page's fetch loop when its own page (Referer, Origin or same-origin) loads again", () => {
    const reload = (i: number) =>
      at(i * 0.2 + 0.1, {
        url: "https://shop.example.test/checkout",
        requestHeaders: browserNav("https://shop.example.test/"),
      });
    const pages: Record<string, string>[] = [
      { Referer: "https://shop.example.test/checkout" },
      { Origin: "https://shop.example.test" },
      { "Sec-Fetch-Site": "same-origin" },
    ];
    for (const page of pages) {
      const fetch = { "Sec-Fetch-Dest": "empty", ...page };
      const url = "Sec-Fetch-Site" in page ? "https://shop.example.test/api/orders" : PARTNER;
      const entries = [0, 1, 2, 3].flatMap((i) => [
        at(i * 0.2, { url, status: 503, requestHeaders: fetch }),
        reload(i),
      ]);
      expect(noBackoff(entries), JSON.stringify(page)).toBe(0);
      expect(analyzeEntries(entries).retries).toBe(0);
    }
  });

  it("keeps a fetch that names no page in its chain, whatever navigates", () => {
    const fetch = { "Sec-Fetch-Dest": "empty", "Sec-Fetch-Site": "cross-site" };
    const entries = loop(fetch, (i) =>
      at(i * 0.2 + 0.1, {
        url: "https://partner.example.test/",
        requestHeaders: browserNav("https://partner.example.test/"),
      }),
    );
    expect(noBackoff(entries)).toBe(2);
  });

  it("with pagerefs, ends a chain only at a navigation of the same page", () => {
    const fetch = (page: string) => ({ _resourceType: "fetch", pageref: page });
    const doc = (page: string) => ({ _resourceType: "document", pageref: page });
    const failing = (s: number) => at(s, { url: SHOP, status: 503 }, fetch("page_1"));
    // Another page (another tab's pageref) navigating does not end page_1's loop.
    const otherTab = [0, 1, 2, 3].flatMap((i) => [
      failing(i * 0.2),
      at(i * 0.2 + 0.1, { url: "https://shop.example.test/" }, doc(`page_${i + 2}`)),
    ]);
    expect(noBackoff(otherTab)).toBe(2);
    // page_1 navigating within itself (Safari keeps one page) does.
    const itself = [0, 1, 2, 3].flatMap((i) => [
      failing(i * 0.2),
      at(i * 0.2 + 0.1, { url: "https://other.example.test/" }, doc("page_1")),
    ]);
    expect(noBackoff(itself)).toBe(0);
  });
});
