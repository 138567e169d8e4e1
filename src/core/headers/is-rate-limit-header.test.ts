import { describe, expect, it } from "vitest";
import { exchange } from "../../../test/support/har.js";
import { BudgetTracker } from "../budget/budget-tracker.js";
import { shouldRetryHeader } from "../retryable.js";
import type { HeaderMap } from "./header-map.js";
import { isRateLimitHeader } from "./is-rate-limit-header.js";
import {
  parseRateLimitHeaders,
  RATE_LIMIT_HEADER_NAMES,
  rateLimitResourceOf,
} from "./parse-rate-limit-headers.js";
import { parseRetryAfter } from "./parse-retry-after.js";

/** A header map that answers nothing and writes down every name it is asked for. */
function recordingMap(): { map: HeaderMap; asked: Set<string> } {
  const asked = new Set<string>();
  const map = new Map<string, string>();
  const get = (name: string) => {
    asked.add(name);
    return undefined;
  };
  const has = (name: string) => {
    asked.add(name);
    return false;
  };
  return { map: Object.assign(map, { get, has }), asked };
}

describe("isRateLimitHeader", () => {
  it("passes every header name the rate-limit parsers read", () => {
    // With nothing to find, every parser falls through to its last field: all names are asked.
    const { map, asked } = recordingMap();
    parseRateLimitHeaders(map);
    rateLimitResourceOf(map);
    parseRetryAfter(map);
    shouldRetryHeader(map);
    expect(asked.size).toBeGreaterThan(15);
    for (const name of asked) expect(isRateLimitHeader(name), name).toBe(true);
  });

  it("passes every response header the budget reads of a 429", () => {
    const { map, asked } = recordingMap();
    new BudgetTracker().observe({ ...exchange({ status: 429 }), responseHeaders: map }, null);
    expect(asked).toContain("date");
    expect(asked).toContain("retry-after");
    for (const name of asked) expect(isRateLimitHeader(name), name).toBe(true);
  });

  it("is the list the parser declares, so the two cannot drift apart", () => {
    const { map, asked } = recordingMap();
    parseRateLimitHeaders(map);
    rateLimitResourceOf(map);
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

  it("keeps nothing that could hold a credential or a cookie", () => {
    for (const name of ["Authorization", "Set-Cookie", "Cookie", "X-Api-Key", "Content-Type"]) {
      expect(isRateLimitHeader(name), name).toBe(false);
    }
  });
});
