import { describe, expect, it } from "vitest";
import { entry, T0 } from "../../../test/support/har.js";
import { analyzeEntries } from "../analyzer.js";
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
    const reload = at(1, { url: "https://shop.example.test/" }, { _resourceType: "document" });
    const again = at(2, { url: SHOP, status: 404 }, { _resourceType: "fetch" });
    const before = at(0, { url: SHOP, status: 404 }, { _resourceType: "fetch" });
    expect(analyzeEntries([before, reload, again]).retries).toBe(0);
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

  it("still takes a request re-sent with new credentials after another error for a retry", () => {
    const body = '{"error":{"code":"quota_exceeded","message":"Plan usage limit reached"}}';
    const calls = [
      at(0, { url: CASOLA, status: 429, body, requestHeaders: { Cookie: "a=1" } }),
      at(2, { url: CASOLA, status: 429, body, requestHeaders: { Cookie: "a=2" } }),
    ];
    expect(rules(calls)).toEqual([{ rule: "retry-non-retryable", entries: [0, 1] }]);
  });
});
