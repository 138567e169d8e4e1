import { describe, expect, test } from "vitest";
import { exchange, httpDate, T0 } from "../../../test/support/har.js";
import { resetAtOf } from "../budget/budget-tracker.js";
import { explainHeaders } from "./explain-headers.js";

// Each response below starts at T0 and ends 1 s later.
const END = T0 + 1000;

describe("explainHeaders", () => {
  test("corrects an absolute reset time by the server's clock skew, as the budget does", () => {
    const explained = explainHeaders(
      exchange({
        status: 429,
        time: 1000,
        headers: {
          Date: httpDate(END + 5000),
          "X-RateLimit-Limit": "100",
          "X-RateLimit-Remaining": "0",
          "X-RateLimit-Reset": String((END + 65_000) / 1000),
        },
      }),
    );
    expect(explained).toEqual([
      {
        kind: "meter",
        name: "requests",
        family: "x-ratelimit",
        unit: "requests",
        limit: 100,
        remaining: 0,
        windowSeconds: undefined,
        resetAt: END + 60_000,
        at: END,
      },
      { kind: "clock-skew", skewMs: 5000 },
    ]);
  });

  test("counts a delta reset from the response's end and reads the retry hints", () => {
    const explained = explainHeaders(
      exchange({
        status: 503,
        time: 1000,
        headers: { "RateLimit-Reset": "30", "Retry-After": "7", "stripe-should-retry": "true" },
      }),
    );
    expect(explained).toEqual([
      {
        kind: "retry-after",
        header: "Retry-After",
        raw: "7",
        dated: false,
        waitSeconds: 7,
        until: END + 7000,
      },
      expect.objectContaining({
        kind: "meter",
        family: "ratelimit-trio",
        resetAt: END + 30_000,
      }),
      { kind: "should-retry", header: "stripe-should-retry", retry: true },
    ]);
  });

  test("explains each meter of a response, an RFC 3339 reset corrected by the skew too", () => {
    const explained = explainHeaders(
      exchange({
        status: 429,
        time: 1000,
        headers: {
          Date: httpDate(END + 5000),
          "anthropic-ratelimit-requests-limit": "50",
          "anthropic-ratelimit-requests-remaining": "12",
          "anthropic-ratelimit-output-tokens-limit": "8000",
          "anthropic-ratelimit-output-tokens-remaining": "0",
          "anthropic-ratelimit-output-tokens-reset": new Date(END + 25_000).toISOString(),
          "x-ratelimit-limit-tokens-month": "1000000",
        },
      }),
    );
    expect(explained.filter((line) => line.kind === "meter")).toEqual([
      {
        kind: "meter",
        name: "requests",
        family: "anthropic",
        unit: "requests",
        limit: 50,
        remaining: 12,
        windowSeconds: undefined,
        resetAt: undefined,
        at: END,
      },
      {
        kind: "meter",
        name: "output-tokens",
        family: "anthropic",
        unit: "tokens",
        limit: 8000,
        remaining: 0,
        windowSeconds: undefined,
        resetAt: END + 20_000,
        at: END,
      },
      {
        kind: "meter",
        name: "tokens-month",
        family: "mistral",
        unit: "tokens",
        limit: 1_000_000,
        remaining: undefined,
        windowSeconds: 2_592_000,
        resetAt: undefined,
        at: END,
      },
    ]);
  });

  test("says nothing of a response without such headers", () => {
    expect(explainHeaders(exchange({ headers: { "Content-Type": "application/json" } }))).toEqual(
      [],
    );
  });
});

describe("resetAtOf", () => {
  test("prefers the absolute time, skew-corrected, and has no reset when none is stated", () => {
    expect(resetAtOf({ resetAtServer: 10_000, resetDeltaSeconds: 3 }, 0, 2000)).toBe(8000);
    expect(resetAtOf({ resetDeltaSeconds: 3 }, 1000, 2000)).toBe(4000);
    expect(resetAtOf({}, 1000, 0)).toBeUndefined();
  });
});
