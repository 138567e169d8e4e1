import { describe, expect, it } from "vitest";
import { analyzeEntries } from "../../../test/support/analyze.js";
import { entry, T0 } from "../../../test/support/har.js";
import { isCredentialHeader } from "../har/credentials.js";
import type { HarEntry } from "../types.js";
import { FLOW_RESTART_MS } from "./retry-tracker.js";

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

describe("a corrected request: changed credentials after a 4xx", () => {
  it("tells credential headers by name, and not their false friends", () => {
    for (const name of [
      "Authorization",
      "Proxy-Authorization",
      "Cookie",
      "X-API-Key",
      "x-goog-api-key",
      "X-Custom-Auth",
      "x-auth-ticket",
      "X-Session-Id",
      "x-csrf-token",
      "X-XSRF-TOKEN",
      "x-hub-signature-256",
      "x-amz-security-token",
      "x-client-secret",
    ]) {
      expect(isCredentialHeader(name), name).toBe(true);
    }
    for (const name of [
      "keep-alive",
      "x-request-id",
      ":authority",
      "Idempotency-Key",
      "Sec-WebSocket-Key",
      "x-stainless-retry-count",
      "traceparent",
      "content-type",
      "x-ratelimit-remaining-tokens",
    ]) {
      expect(isCredentialHeader(name), name).toBe(false);
    }
  });

  const post = (seconds: number, status: number, requestHeaders: Record<string, string>) =>
    at(
      seconds,
      { url: SHOP, method: "POST", postData: "{}", status, requestHeaders },
      { _resourceType: "fetch", pageref: "page_1" },
    );
  const cookie = { Cookie: "sid=fixture-1" };

  it("takes an added or changed credential header after a 401, 400, 404 or 422 for a new request", () => {
    for (const status of [401, 400, 404, 422]) {
      for (const [before, after] of [
        [cookie, { ...cookie, "X-Custom-Auth": "t" }],
        [
          { ...cookie, "X-CSRF-Token": "a" },
          { ...cookie, "X-CSRF-Token": "b" },
        ],
        [cookie, { Cookie: "sid=fixture-2" }],
      ] as const) {
        const calls = [post(0, status, before), post(1, status, after)];
        expect(rules(calls), `${status} ${JSON.stringify(after)}`).toEqual([]);
        expect(analyzeEntries(calls).retries).toBe(0);
      }
    }
  });

  it("near miss: the same credentials, or only other headers changed, is a retry", () => {
    for (const [before, after] of [
      [cookie, cookie],
      [
        { ...cookie, "X-Custom-Auth": "t", "X-Request-Id": "1" },
        { ...cookie, "X-Custom-Auth": "t", "X-Request-Id": "2" },
      ],
      [
        { ...cookie, "Keep-Alive": "timeout=5" },
        { ...cookie, "Keep-Alive": "timeout=9" },
      ],
      [cookie, { ...cookie, "Idempotency-Key": "k-2" }],
    ] as const) {
      const calls = [post(0, 400, before), post(1, 400, after)];
      expect(rules(calls), JSON.stringify(after)).toEqual([
        { rule: "retry-non-retryable", entries: [0, 1] },
      ]);
    }
  });

  it("near miss: after a 408 or 429, new credentials do not make the repeat a new request", () => {
    for (const status of [408, 429]) {
      const calls = [post(0, status, cookie), post(1, status, { ...cookie, "X-Auth": "t" })];
      expect(analyzeEntries(calls).retries, String(status)).toBe(1);
    }
  });

  it("near miss: after a 400 whose body says retry later, a changed API key is still a retry", () => {
    // Google's error model: RESOURCE_EXHAUSTED is a rate limit whatever the HTTP status.
    const body = JSON.stringify({
      error: { code: 400, message: "Quota exceeded", status: "RESOURCE_EXHAUSTED" },
    });
    const url = "https://maps.example.test/v1/geocode";
    const calls = [
      at(0, { url, status: 400, body, requestHeaders: { "X-Goog-Api-Key": "k-1" } }),
      at(1, { url, status: 400, body, requestHeaders: { "X-Goog-Api-Key": "k-2" } }),
    ];
    expect(analyzeEntries(calls).entries[0]?.error).toMatchObject({ retryable: true });
    expect(analyzeEntries(calls).retries).toBe(1);
    // The same key rotation after a 400 that refused the request itself is a correction.
    const refused = body.replace("RESOURCE_EXHAUSTED", "INVALID_ARGUMENT");
    const corrected = calls.map((e) => ({
      ...e,
      response: { ...e.response, content: { ...e.response.content, text: refused } },
    }));
    expect(analyzeEntries(corrected).retries).toBe(0);
  });
});

describe("a flow run again: what led up to the repeat is what led up to the failure", () => {
  const page = { _resourceType: "fetch", pageref: "page_1" };
  const LEAD = "https://shop.example.test/api/session";
  const PROBE = "https://shop.example.test/.well-known/probe";
  const lead = (s: number) => at(s, { url: LEAD, method: "POST", postData: "{}" }, page);
  const probe = (s: number, status = 404, headers: Record<string, string> = {}) =>
    at(s, { url: PROBE, status, headers }, page);
  const pause = FLOW_RESTART_MS / 1000;

  it("starts a new chain when the same request leads up to it after a person's pause", () => {
    const runs = [lead(0), probe(0.2), lead(pause + 1), probe(pause + 1.2)];
    expect(rules(runs)).toEqual([]);
    expect(analyzeEntries(runs).retries).toBe(0);
    // On an API host too: the rule reads the sequence, not the host.
    const api = [
      at(0, { url: LEAD }),
      at(0.2, { url: CASOLA, status: 404 }),
      at(pause + 1, { url: LEAD }),
      at(pause + 1.2, { url: CASOLA, status: 404 }),
    ];
    expect(analyzeEntries(api).retries).toBe(0);
  });

  it("takes the lead-in of the chain's first attempt, so an immediate retry in each run is no backoff loop", () => {
    const runs = [lead(0), probe(0.2, 503), probe(0.31, 503), lead(132), probe(132.2, 503)];
    expect(rules(runs)).toEqual([]);
    expect(analyzeEntries(runs).retries).toBe(1);
  });

  it("near miss: under a person's pause it is still a retry", () => {
    const runs = [lead(0), probe(0.2), lead(pause - 2), probe(pause - 1.8)];
    expect(rules(runs)).toEqual([{ rule: "retry-non-retryable", entries: [1, 3] }]);
  });

  it("near miss: another request before the repeat, or none since the failure, keeps the chain", () => {
    const other = at(pause + 1, { url: "https://shop.example.test/api/cart" }, page);
    expect(rules([lead(0), probe(0.2), other, probe(pause + 1.2)])).toEqual([
      { rule: "retry-non-retryable", entries: [1, 3] },
    ]);
    // A slow loop of the same request alone: nothing between the attempts.
    expect(rules([lead(0), probe(0.2), probe(90), probe(200)])).toEqual([
      { rule: "retry-non-retryable", entries: [1, 2] },
      { rule: "retry-non-retryable", entries: [2, 3] },
    ]);
  });

  it("near miss: a lead-in still in flight when the failure ended does not count", () => {
    // The lead-in started before the probe ended: it is the first run's, not a new one.
    const slow = at(0.25, { url: LEAD, method: "POST", postData: "{}", time: 90_000 }, page);
    expect(rules([lead(0), probe(0.2), slow, probe(pause + 40)])).toEqual([
      { rule: "retry-non-retryable", entries: [1, 3] },
    ]);
  });

  it("near miss: inside the wait the failure asked for it is still a retry", () => {
    const tooSoon = [
      lead(0),
      probe(0.2, 429, { "Retry-After": "300" }),
      lead(pause + 10),
      probe(pause + 10.2, 429, { "Retry-After": "300" }),
    ];
    expect(rules(tooSoon).map((f) => f.rule)).toContain("retry-after-ignored");
    expect(analyzeEntries(tooSoon).retries).toBe(1);
    // Past the wait the server asked for, the flow started over is a new chain again.
    const waited = [
      lead(0),
      probe(0.2, 429, { "Retry-After": "60" }),
      lead(pause + 10),
      probe(pause + 10.2, 429, { "Retry-After": "60" }),
    ];
    expect(analyzeEntries(waited).retries).toBe(0);
  });

  it("near miss: a storm with a polling call between attempts is still a retry loop", () => {
    const poll = (s: number) => at(s, { url: "https://shop.example.test/api/status" }, page);
    const storm = [
      poll(0),
      probe(0.1, 503),
      poll(0.3),
      probe(0.4, 503),
      poll(0.6),
      probe(0.7, 503),
    ];
    expect(rules(storm)).toEqual([{ rule: "no-backoff", entries: [1, 3, 5] }]);
  });
});
