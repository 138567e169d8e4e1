import { describe, expect, it } from "vitest";
import { exchange } from "../../../test/support/har.js";
import { BudgetTracker } from "../budget/budget-tracker.js";
import { shouldRetryHeader } from "../retryable.js";
import type { HeaderMap } from "./header-map.js";
import { isRateLimitHeader } from "./is-rate-limit-header.js";
import { parseMeters, RATE_LIMIT_HEADER_NAMES } from "./parse-meters.js";
import { parseRetryAfter } from "./parse-retry-after.js";

/**
 * A header map that answers only `answers` (nothing, by default) and writes down every name it
 * is asked for.
 */
function recordingMap(answers: Readonly<Record<string, string>> = {}): {
  map: HeaderMap;
  asked: Set<string>;
} {
  const asked = new Set<string>();
  const map = new Map<string, string>();
  const get = (name: string) => {
    asked.add(name);
    return answers[name];
  };
  const has = (name: string) => {
    asked.add(name);
    return answers[name] !== undefined;
  };
  return { map: Object.assign(map, { get, has }), asked };
}

/**
 * Every name parseMeters asks for: with nothing to find, each family falls through to its last
 * field; GitHub's resource is asked once an X-RateLimit field parses.
 */
function namesParseMetersReads(): Set<string> {
  const none = recordingMap();
  parseMeters(none.map);
  const github = recordingMap({ "x-ratelimit-remaining": "1" });
  parseMeters(github.map);
  return new Set([...none.asked, ...github.asked]);
}

describe("isRateLimitHeader", () => {
  it("passes every header name the rate-limit parsers read", () => {
    // With nothing to find, every parser falls through to its last field: all names are asked.
    const { map, asked } = recordingMap();
    parseRetryAfter(map);
    shouldRetryHeader(map);
    const names = [...namesParseMetersReads(), ...asked];
    expect(names.length).toBeGreaterThan(40);
    for (const name of names) expect(isRateLimitHeader(name), name).toBe(true);
  });

  it("passes every response header the budget reads of a 429", () => {
    const { map, asked } = recordingMap();
    new BudgetTracker().observe({ ...exchange({ status: 429 }), responseHeaders: map }, null);
    expect(asked).toContain("date");
    expect(asked).toContain("retry-after");
    for (const name of asked) expect(isRateLimitHeader(name), name).toBe(true);
  });

  it("is the list the parser declares, so the two cannot drift apart", () => {
    const asked = namesParseMetersReads();
    expect(asked).toContain("x-ratelimit-resource");
    expect([...asked].sort()).toEqual([...RATE_LIMIT_HEADER_NAMES].sort());
  });

  it("keeps Okta's, GitLab's, IETF's and GitHub's headers in any case, and Retry-After", () => {
    for (const name of [
      "X-Rate-Limit-Limit",
      "X-Rate-Limit-Remaining",
      "X-Rate-Limit-Reset",
      "RateLimit-ResetTime",
      "RateLimit",
      "RateLimit-Policy",
      "RateLimit-Limit",
      "RateLimit-Remaining",
      "RateLimit-Reset",
      "x-ratelimit-resource",
      "X-RateLimit-Used",
      "Retry-After",
      "retry-after-ms",
      "Stripe-Should-Retry",
      "Date",
    ]) {
      expect(isRateLimitHeader(name), name).toBe(true);
    }
  });

  it("keeps the OpenAI, Groq, Azure OpenAI, Anthropic and Mistral families in any case", () => {
    for (const name of [
      "x-ratelimit-limit-requests",
      "X-RateLimit-Remaining-Tokens",
      "x-ratelimit-reset-tokens",
      "x-ratelimit-limit-tokens_usage_based",
      "anthropic-ratelimit-requests-limit",
      "Anthropic-RateLimit-Input-Tokens-Remaining",
      "anthropic-ratelimit-output-tokens-reset",
      "anthropic-ratelimit-unified-reset",
      "x-ratelimit-limit-tokens-month",
      "x-ratelimit-remaining-req-minute",
    ]) {
      expect(isRateLimitHeader(name), name).toBe(true);
    }
  });

  it("keeps none of those providers' other headers, which name an account or a request", () => {
    for (const name of [
      "anthropic-organization-id",
      "openai-organization",
      "openai-project",
      "x-ms-region",
      "apim-request-id",
      "x-request-id",
    ]) {
      expect(isRateLimitHeader(name), name).toBe(false);
    }
  });

  it("keeps nothing that could hold a credential or a cookie", () => {
    for (const name of ["Authorization", "Set-Cookie", "Cookie", "X-Api-Key", "Content-Type"]) {
      expect(isRateLimitHeader(name), name).toBe(false);
    }
  });
});
