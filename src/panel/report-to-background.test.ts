import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { entry, T0 } from "../../test/support/har.js";
import type { Chain } from "../core/chains.js";
import { type PanelReport, reportToBackground } from "./report-to-background.js";
import { PanelStore } from "./store.js";

const noChains = (): Chain[] => [];

/** A chain as the core makes one, with only what the cost per host reads varied. */
function chain(host: string, wastedRequests: number, wastedSeconds: number): Chain {
  return {
    rules: ["retry-non-retryable"],
    severity: "error",
    entries: [0, 1],
    host,
    method: "POST",
    url: `https://${host}/v1/jobs`,
    attempts: 2,
    wastedRequests,
    wastedSeconds,
    marks: [],
    ruleFindings: [],
    message: "retried a 429 quota_exceeded once in 0.5 s",
    advice: "Stop on quota_exceeded.",
  };
}

const quota = () =>
  entry({
    url: "https://api.casola.ai/v1/jobs",
    status: 429,
    time: 120,
    body: JSON.stringify({ error: { code: "quota_exceeded", message: "Plan usage limit" } }),
  });

describe("reportToBackground", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("sends each captured request once, batched, with its code, times and rate-limit headers only", async () => {
    const store = new PanelStore();
    const reports: PanelReport[] = [];
    reportToBackground(store, async (r) => void reports.push(r), noChains, 500);
    store.add(quota(), "live");
    store.add(
      entry({
        url: "https://api.casola.ai/v1/jobs",
        startedDateTime: T0 + 1000,
        time: 50,
        headers: {
          "X-RateLimit-Remaining": "42",
          "Set-Cookie": "session=secret",
          "Content-Type": "application/json",
        },
        requestHeaders: { Authorization: "Bearer secret" },
      }),
      "live",
    );
    await vi.advanceTimersByTimeAsync(500);
    expect(reports).toEqual([
      {
        observed: [
          {
            method: "GET",
            url: "https://api.casola.ai/v1/jobs",
            status: 429,
            start: T0,
            end: T0 + 120,
            rateLimit: [],
            code: "quota_exceeded",
          },
          {
            method: "GET",
            url: "https://api.casola.ai/v1/jobs",
            status: 200,
            start: T0 + 1000,
            end: T0 + 1050,
            rateLimit: [{ name: "x-ratelimit-remaining", value: "42" }],
            code: null,
          },
        ],
        findings: store.session.findings.length,
        cost: [],
      },
    ]);
    expect(JSON.stringify(reports)).not.toContain("secret");
    expect(JSON.stringify(reports)).not.toContain("Plan usage limit");
    // Nothing new: nothing sent.
    store.setPreserveLog(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(reports).toHaveLength(1);
  });

  it("reports every rate-limit family the core reads: Okta's, GitLab's, IETF's, Retry-After", async () => {
    const store = new PanelStore();
    const reports: PanelReport[] = [];
    reportToBackground(store, async (r) => void reports.push(r), noChains, 500);
    const stated = {
      "X-Rate-Limit-Limit": "600",
      "X-Rate-Limit-Remaining": "598",
      "X-Rate-Limit-Reset": "1795428000",
      "RateLimit-ResetTime": "Mon, 23 Nov 2026 10:01:00 GMT",
      RateLimit: '"default";r=50;t=30',
      "RateLimit-Policy": '"default";q=100;w=60',
      "Retry-After": "2",
      "x-ratelimit-resource": "core",
    };
    store.add(
      entry({ url: "https://api.cuadra.ai/v1/x", status: 429, headers: { ...stated, ETag: "e" } }),
      "live",
    );
    await vi.advanceTimersByTimeAsync(500);
    expect(reports[0]?.observed[0]?.rateLimit).toEqual(
      Object.entries(stated)
        .map(([name, value]) => ({ name: name.toLowerCase(), value }))
        .sort((a, b) => (`${a.name}: ${a.value}` < `${b.name}: ${b.value}` ? -1 : 1)),
    );
  });

  it("reports a request without a response (Playwright's -1) as status 0", async () => {
    const store = new PanelStore();
    const reports: PanelReport[] = [];
    reportToBackground(store, async (r) => void reports.push(r), noChains, 500);
    store.add(entry({ url: "https://api.cuadra.ai/v1/x", status: -1 }), "live");
    await vi.advanceTimersByTimeAsync(500);
    expect(reports[0]?.observed[0]?.status).toBe(0);
  });

  it("never reports an imported HAR file as the tab's traffic", async () => {
    const store = new PanelStore();
    const reports: PanelReport[] = [];
    reportToBackground(store, async (r) => void reports.push(r), noChains, 500);
    const har = JSON.stringify({
      log: { version: "1.2", creator: { name: "t", version: "1" }, entries: [quota()] },
    });
    expect(store.importHar("session.har", har)).toMatchObject({ ok: true, added: 1 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(reports.flatMap((r) => r.observed)).toEqual([]);
  });

  it("starts over after a clear, and survives a background that is not there", async () => {
    const store = new PanelStore();
    const reports: PanelReport[] = [];
    let fail = true;
    reportToBackground(
      store,
      async (r) => {
        if (fail) throw new Error("Could not establish connection");
        reports.push(r);
      },
      noChains,
    );
    store.add(quota(), "live");
    await vi.advanceTimersByTimeAsync(500);
    fail = false;
    store.clear();
    store.add(quota(), "live");
    await vi.advanceTimersByTimeAsync(500);
    expect(reports.map((r) => r.observed.length)).toEqual([1]);
  });

  it("never reports a secret query parameter or credential to the background", async () => {
    const store = new PanelStore();
    const reports: PanelReport[] = [];
    reportToBackground(store, async (r) => void reports.push(r), noChains, 500);
    store.add(
      entry({
        url: "https://api.casola.ai/v1/jobs?api_key=SECRET_A&token=SECRET_B&page=2",
        headers: { "X-RateLimit-Remaining": "7", "Set-Cookie": "sid=SECRET_C" },
        requestHeaders: { Authorization: "Bearer SECRET_D", Cookie: "sid=SECRET_E" },
        body: JSON.stringify({ api_key: "SECRET_F" }),
      }),
      "live",
    );
    await vi.advanceTimersByTimeAsync(500);
    expect(reports).toHaveLength(1);
    expect(JSON.stringify(reports)).not.toContain("SECRET");
    expect(reports[0]?.observed[0]?.url).toBe(
      "https://api.casola.ai/v1/jobs?api_key=[redacted]&token=[redacted]&page=2",
    );
  });

  it("reports the code of an error that echoes the key, never the key", async () => {
    const store = new PanelStore();
    const reports: PanelReport[] = [];
    reportToBackground(store, async (r) => void reports.push(r), noChains, 500);
    store.add(
      entry({
        status: 401,
        requestHeaders: { "X-Api-Key": "SECRET_KEY_1" },
        body: JSON.stringify({ error: { code: "unauthorized", message: "bad key SECRET_KEY_1" } }),
      }),
      "live",
    );
    await vi.advanceTimersByTimeAsync(500);
    expect(reports[0]?.observed[0]?.code).toBe("unauthorized");
    expect(JSON.stringify(reports)).not.toContain("SECRET");
  });

  it("reports the chains' cost per host, again only when it changes, and none for a file", async () => {
    const store = new PanelStore();
    const reports: PanelReport[] = [];
    let chains: Chain[] = [chain("api.casola.ai", 2, 1.5), chain("api.openai.com", 3, 0.5)];
    reportToBackground(
      store,
      async (r) => void reports.push(r),
      () => chains,
      500,
    );
    store.add(quota(), "live");
    await vi.advanceTimersByTimeAsync(500);
    expect(reports.map((r) => r.cost)).toEqual([
      [
        { host: "api.openai.com", wastedRequests: 3, wastedSeconds: 0.5 },
        { host: "api.casola.ai", wastedRequests: 2, wastedSeconds: 1.5 },
      ],
    ]);
    // The same cost and nothing new: nothing sent. A chain more: sent.
    store.setPreserveLog(!store.preserveLog);
    await vi.advanceTimersByTimeAsync(500);
    expect(reports).toHaveLength(1);
    chains = [...chains, chain("api.casola.ai", 1, 0.25)];
    store.setPreserveLog(!store.preserveLog);
    await vi.advanceTimersByTimeAsync(500);
    expect(reports.map((r) => r.cost[0])).toEqual([
      { host: "api.openai.com", wastedRequests: 3, wastedSeconds: 0.5 },
      { host: "api.casola.ai", wastedRequests: 3, wastedSeconds: 1.75 },
    ]);
    // An imported file is not the tab's traffic: its chains cost the tab nothing.
    const har = JSON.stringify({
      log: { version: "1.2", creator: { name: "t", version: "1" }, entries: [quota()] },
    });
    store.importHar("session.har", har);
    await vi.advanceTimersByTimeAsync(500);
    expect(reports.at(-1)?.cost).toEqual([]);
  });
});
