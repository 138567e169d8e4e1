import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SCENARIOS } from "../../../test/fixtures/scenarios.js";
import { analyzeEntries } from "../../../test/support/analyze.js";
import { oneMeter } from "../../../test/support/budget.js";
import type { Finding } from "../finding.js";
import { parseHar } from "../har/parse-har.js";
import { RULES, type RuleId } from "./index.js";

function analyzeFixture(name: string) {
  const parsed = parseHar(
    readFileSync(new URL(`../../../test/fixtures/${name}.har`, import.meta.url), "utf8"),
  );
  if (!parsed.ok) throw new Error(parsed.message);
  return analyzeEntries(parsed.entries);
}

function findingsOf(name: string): Finding[] {
  return analyzeFixture(name).findings;
}

describe("each rule on its fixtures", () => {
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    it(`${name}: ${scenario.about}`, () => {
      expect(findingsOf(name).map(({ rule, entries }) => ({ rule, entries }))).toEqual(
        scenario.findings,
      );
    });
  }

  it("types a rule id as one of the registry's ids, and nothing else", () => {
    const ids: RuleId[] = RULES.map((rule) => rule.id);
    // @ts-expect-error: not a rule of the registry (the type check fails if RuleId widens to string)
    const unknown: RuleId = "not-a-rule";
    expect(ids).not.toContain(unknown);
    expect(new Set(ids).size).toBe(RULES.length);
  });

  it("has a firing fixture and a near-miss fixture for every rule", () => {
    for (const rule of RULES) {
      expect(
        SCENARIOS[rule.id]?.findings.some((f) => f.rule === rule.id),
        rule.id,
      ).toBe(true);
      expect(SCENARIOS[`${rule.id}-near-miss`]?.findings, `${rule.id}-near-miss`).toEqual([]);
    }
  });
});

describe("finding messages", () => {
  it("say the wait and the Retry-After in numbers", () => {
    const [first, second, third] = findingsOf("retry-after-ignored");
    expect(first?.message).toBe("retried 0.9 s after a 429 rate_limit whose Retry-After was 30 s");
    expect(second?.message).toBe(
      "retried 29.9 s after a 429 too_many_requests whose Retry-After was 60 s",
    );
    expect(third?.message).toBe(
      "retried 0.9 s after a 500 internal_error whose Retry-After was 2.5 s",
    );
    expect(first?.advice).toMatch(/Retry-After/);
  });

  it("quote the documented advice for the code that was retried", () => {
    const [quota, credits] = findingsOf("retry-non-retryable");
    expect(quota?.message).toBe("retried 1.9 s after a 429 quota_exceeded, which is not retryable");
    expect(quota?.advice).toMatch(/upgrade the plan or wait for the reset/i);
    expect(credits?.message).toBe(
      "retried 0.9 s after a 402 insufficient_credits, which is not retryable",
    );
    expect(credits?.advice).toMatch(/purchase credits/i);
  });

  it("point at the calling function and its 1-based line", () => {
    const [quota] = findingsOf("retry-non-retryable");
    expect(quota?.initiator).toEqual({
      url: "http://127.0.0.1:5173/demo/client.js",
      line: 31,
      column: 11,
      function: "retryQuota",
    });
  });

  it("name the documented minimum wait and the backoff numbers", () => {
    expect(findingsOf("retry-too-soon")[0]?.message).toBe(
      "retried 5 s after a 503 model_warming_up; the documented minimum wait is 30 s",
    );
    expect(findingsOf("retry-too-soon")[0]?.advice).toMatch(
      /Wait 30 s to 5 min: the model is loading onto a GPU/,
    );
    expect(findingsOf("no-backoff")[0]?.message).toBe(
      "retried back to back again: waited 0 s, and 0 s before the previous attempt",
    );
    expect(findingsOf("no-backoff")[2]?.message).toBe(
      "waited 1 s after waiting 1 s before the previous attempt; backoff needs at least 1.3 s",
    );
  });

  it("say how far into the Retry-After or before the reset a request was sent", () => {
    const [intoRetryAfter, beforeReset] = findingsOf("rate-limit-exhausted");
    expect(intoRetryAfter?.message).toBe(
      "sent 4.9 s into the 20 s Retry-After of the 429 from api.casola.ai (15.1 s still to wait)",
    );
    expect(beforeReset?.message).toBe(
      "sent while api.casola.ai had 0 of 100 requests left, 35 s before the reset",
    );
  });
});

describe("budgets", () => {
  it("read IETF RateLimit fields and correct a skewed server clock", () => {
    expect(analyzeFixture("budget-ietf-skew").budgets).toEqual([
      // One meter per IETF policy, named as the policy.
      oneMeter(
        {
          host: "api.casola.ai",
          provider: "casola",
          limit: 100,
          remaining: 42,
          resetAt: "2026-11-23T10:00:30.100Z",
          retryAfterUntil: null,
          source: "headers",
        },
        "default",
      ),
      oneMeter({
        host: "api.cuadra.ai",
        provider: "cuadra",
        limit: 60,
        remaining: 7,
        resetAt: "2026-11-23T10:00:30.000Z",
        retryAfterUntil: null,
        source: "headers",
      }),
    ]);
  });

  it("label the Cuadra budget an estimate from the documented 60 per minute when no header says", () => {
    const cuadra = analyzeFixture("retry-without-idempotency-key").budgets.find(
      (b) => b.host === "api.cuadra.ai",
    );
    expect(cuadra).toEqual(
      oneMeter({
        host: "api.cuadra.ai",
        provider: "cuadra",
        limit: 60,
        remaining: 58,
        resetAt: "2026-11-23T10:01:00.000Z",
        retryAfterUntil: null,
        source: "estimate",
      }),
    );
  });
});
