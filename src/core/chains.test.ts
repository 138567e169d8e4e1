import { describe, expect, it } from "vitest";
import { fixtureReport } from "../../test/support/analyze.js";
import { type ChainStep, ChainTracker, costPerHost } from "./chains.js";
import type { Finding } from "./finding.js";
import { RETRY_HORIZON_MS } from "./retries/retry-tracker.js";

/** What a test asserts of a chain: rules, requests, attempts and what it wasted. */
function figures(name: string) {
  const { chains, cost, findings } = fixtureReport(name);
  return {
    chains: chains.map((c) => [c.rules, c.entries, c.wastedRequests, c.wastedSeconds]),
    cost,
    findings: findings.map((f) => `${f.rule} ${f.entries.join(",")}`),
  };
}

const NO_COST = { wastedRequests: 0, wastedSeconds: 0, byRule: {} };

describe("chains and cost on the rule fixtures", () => {
  it("retry-non-retryable: each retried refusal is a chain of two, one request wasted each", () => {
    expect(figures("retry-non-retryable")).toEqual({
      chains: [
        [["retry-non-retryable"], [0, 1], 1, 2],
        [["retry-non-retryable"], [2, 3], 1, 1],
      ],
      cost: {
        wastedRequests: 2,
        wastedSeconds: 3,
        byRule: { "retry-non-retryable": { requests: 2, seconds: 3 } },
      },
      // The per-attempt findings stay as they are.
      findings: ["retry-non-retryable 0,1", "retry-non-retryable 2,3"],
    });
    const [first] = fixtureReport("retry-non-retryable").chains;
    expect(first).toEqual({
      rules: ["retry-non-retryable"],
      severity: "error",
      entries: [0, 1],
      host: "api.casola.ai",
      method: "POST",
      url: "https://api.casola.ai/v1/jobs",
      attempts: 2,
      wastedRequests: 1,
      wastedSeconds: 2,
      marks: [
        { index: 0, start: 1795428000000, end: 1795428000100, status: 429, wasted: false },
        { index: 1, start: 1795428002000, end: 1795428002100, status: 429, wasted: true },
      ],
      ruleFindings: [
        {
          rule: "retry-non-retryable",
          count: 1,
          first: "retried 1.9 s after a 429 quota_exceeded, which is not retryable",
        },
      ],
      caller: {
        url: "http://127.0.0.1:5173/demo/client.js",
        line: 31,
        column: 11,
        function: "retryQuota",
      },
      message: "retried a 429 quota_exceeded once in 1.9 s",
      advice:
        "Do not retry: the plan's usage limit is reached. Upgrade the plan or wait for the reset.",
    });
  });

  it("retry-after-ignored: a retry that succeeded is flagged but not wasted", () => {
    expect(figures("retry-after-ignored")).toEqual({
      chains: [
        [["retry-after-ignored"], [0, 1], 1, 1],
        [["retry-after-ignored"], [2, 3], 1, 30],
        [["retry-after-ignored"], [4, 5], 0, 0],
        [["retry-after-ignored"], [6, 7], 0, 0],
      ],
      cost: {
        wastedRequests: 2,
        wastedSeconds: 31,
        byRule: { "retry-after-ignored": { requests: 2, seconds: 31 } },
      },
      findings: [
        "retry-after-ignored 0,1",
        "retry-after-ignored 2,3",
        "retry-after-ignored 4,5",
        "retry-after-ignored 6,7",
      ],
    });
  });

  it("rate-limit-exhausted: a request that retries nothing is a chain of one; wasted from the window's start", () => {
    expect(figures("rate-limit-exhausted")).toEqual({
      chains: [
        [["rate-limit-exhausted"], [0, 3], 1, 25],
        [["rate-limit-exhausted"], [2], 0, 0],
        [["rate-limit-exhausted"], [5], 0, 0],
      ],
      cost: {
        wastedRequests: 1,
        wastedSeconds: 25,
        byRule: { "rate-limit-exhausted": { requests: 1, seconds: 25 } },
      },
      findings: [
        "rate-limit-exhausted 0,2",
        "rate-limit-exhausted 0,3",
        "rate-limit-exhausted 4,5",
      ],
    });
    const lone = fixtureReport("rate-limit-exhausted").chains[1];
    expect(lone?.attempts).toBe(1);
    expect(lone?.message).toBe(
      "sent 4.9 s into the 20 s Retry-After of the 429 from api.casola.ai (15.1 s still to wait)",
    );
  });

  it("no-backoff and retry-too-soon: one chain per loop, whatever its findings, nothing wasted", () => {
    expect(figures("no-backoff")).toEqual({
      chains: [
        [["no-backoff"], [0, 1, 2, 3], 0, 0],
        [["no-backoff"], [4, 5, 6], 0, 0],
      ],
      cost: NO_COST,
      findings: ["no-backoff 0,1,2", "no-backoff 1,2,3", "no-backoff 4,5,6"],
    });
    expect(fixtureReport("no-backoff").chains[0]?.message).toBe(
      "retried a 500 internal_error 3 times in 0.2 s",
    );
    expect(figures("retry-too-soon").chains).toEqual([
      [["retry-too-soon"], [0, 1, 2], 0, 0],
      [["retry-too-soon"], [3, 4], 0, 0],
      [["retry-too-soon"], [5, 6], 0, 0],
    ]);
  });

  it("the sample session: one loop with two rules is one chain, counted under both rules", () => {
    const { chains, cost } = fixtureReport("sample-session");
    expect(chains.map((c) => [c.rules, c.entries, c.attempts, c.wastedRequests])).toEqual([
      [["retry-non-retryable", "retry-after-ignored"], [1, 2, 4, 5], 4, 2],
      [["rate-limit-exhausted"], [3], 1, 0],
      [["no-backoff"], [6, 7, 8], 3, 0],
    ]);
    expect(chains[0]?.severity).toBe("error");
    expect(chains[0]?.message).toBe("retried a 429 rate_limit 3 times in 40 s");
    expect(cost).toEqual({
      wastedRequests: 2,
      wastedSeconds: 40.1,
      byRule: {
        "retry-non-retryable": { requests: 1, seconds: 40.1 },
        "retry-after-ignored": { requests: 1, seconds: 40.1 },
      },
    });
  });

  it.each([
    "retry-without-idempotency-key",
    "contract-breach",
    "well-behaved",
    "retry-non-retryable-near-miss",
    "retry-after-ignored-near-miss",
    "rate-limit-exhausted-near-miss",
    "no-backoff-near-miss",
    "retry-too-soon-near-miss",
  ])("%s: no chain (info findings only, or none)", (name) => {
    const { chains, cost } = fixtureReport(name);
    expect(chains).toEqual([]);
    expect(cost).toEqual(NO_COST);
  });
});

const finding = (rule: Finding["rule"], severity: Finding["severity"]): Finding => ({
  rule,
  severity,
  message: `${rule} fired`,
  entries: [],
  advice: `${rule} advice`,
});

function step(index: number, at: number, over: Partial<ChainStep> = {}): ChainStep {
  return {
    index,
    host: "api.example.com",
    method: "POST",
    url: "https://api.example.com/v1/jobs",
    start: at,
    end: at + 100,
    status: 429,
    error: undefined,
    previous: undefined,
    findings: [],
    windowFrom: undefined,
    caller: () => undefined,
    ...over,
  };
}

describe("ChainTracker", () => {
  it("takes the library's advice when a finding carries the library", () => {
    const tracker = new ChainTracker();
    const library = { name: "openai SDK", option: "maxRetries", advice: "set maxRetries: 0" };
    tracker.add(step(0, 0));
    tracker.add(
      step(1, 1000, {
        previous: { index: 0, end: 100 },
        findings: [{ ...finding("retry-non-retryable", "error"), library }],
      }),
    );
    const [chain] = tracker.report().chains;
    expect(chain?.library).toEqual(library);
    expect(chain?.advice).toBe("set maxRetries: 0");
    expect(chain?.wastedSeconds).toBe(1);
  });

  it("near miss: without a library, the most severe rule's advice", () => {
    const tracker = new ChainTracker();
    tracker.add(step(0, 0));
    tracker.add(
      step(1, 1000, {
        previous: { index: 0, end: 100 },
        findings: [finding("no-backoff", "warning")],
      }),
    );
    tracker.add(
      step(2, 2000, {
        previous: { index: 1, end: 1100 },
        findings: [finding("retry-non-retryable", "error")],
      }),
    );
    const [chain] = tracker.report().chains;
    expect(chain?.library).toBeUndefined();
    expect(chain?.rules).toEqual(["retry-non-retryable", "no-backoff"]);
    expect(chain?.advice).toBe("retry-non-retryable advice");
    expect(chain?.severity).toBe("error");
    // Wasted from the end of the refusal it retried (1.1 s) to its own end (2.1 s).
    expect(chain?.wastedSeconds).toBe(1);
  });

  it("keeps no state for chains no request can retry any more, and still reports them", () => {
    const tracker = new ChainTracker();
    const horizon = RETRY_HORIZON_MS + 60_000;
    for (let i = 0; i < 5000; i++) {
      tracker.add(step(2 * i, i * horizon));
      tracker.add(
        step(2 * i + 1, i * horizon + 1000, {
          previous: { index: 2 * i, end: i * horizon + 100 },
          findings: [finding("retry-non-retryable", "error")],
        }),
      );
    }
    // Swept every 1024 requests: at most that many since the last sweep are still open.
    expect(tracker.openChains).toBeLessThanOrEqual(512);
    const { chains, cost } = tracker.report();
    expect(chains).toHaveLength(5000);
    expect(chains[4999]?.entries).toEqual([9998, 9999]);
    expect(cost.wastedRequests).toBe(5000);
    expect(cost.wastedSeconds).toBe(5000);
  });

  it("reports no chain of info findings alone, nor of failures retried well", () => {
    const tracker = new ChainTracker();
    tracker.add(step(0, 0));
    tracker.add(
      step(1, 1000, {
        previous: { index: 0, end: 100 },
        findings: [finding("retry-without-idempotency-key", "info")],
      }),
    );
    tracker.add(step(2, 5000, { status: 200, previous: { index: 1, end: 1100 } }));
    expect(tracker.report()).toEqual({ chains: [], cost: NO_COST, count: 0, perRule: {} });
  });
});

describe("costPerHost", () => {
  it("adds up each host's cost, costliest first, and leaves out what wasted nothing", () => {
    expect(
      costPerHost([
        { host: "api.cuadra.ai", wastedRequests: 1, wastedSeconds: 2 },
        { host: "api.casola.ai", wastedRequests: 2, wastedSeconds: 1 },
        { host: "api.cuadra.ai", wastedRequests: 2, wastedSeconds: 0.5 },
        { host: "api.openai.com", wastedRequests: 0, wastedSeconds: 0 },
        { host: "api.eu.casola.ai", wastedRequests: 2, wastedSeconds: 1 },
      ]),
    ).toEqual([
      { host: "api.cuadra.ai", wastedRequests: 3, wastedSeconds: 2.5 },
      { host: "api.casola.ai", wastedRequests: 2, wastedSeconds: 1 },
      { host: "api.eu.casola.ai", wastedRequests: 2, wastedSeconds: 1 },
    ]);
  });
});
