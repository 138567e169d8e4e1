import { describe, expect, test } from "vitest";
import { exchange, httpDate, T0 } from "../../test/support/har.js";
import { formatClockSeconds } from "../core/clock-time.js";
import { explainHeaders as explain } from "../core/explain/explain-headers.js";
import type { Exchange } from "../core/har/exchange.js";
import { headerLines } from "./header-lines.js";

const explainHeaders = (e: Exchange) => headerLines(explain(e));

// Each response below starts at T0 and ends 1 s later.
const END = T0 + 1000;

describe("headerLines", () => {
  test("says how long Retry-After asks to wait, and until when", () => {
    const lines = explainHeaders(
      exchange({ status: 429, time: 1000, headers: { "Retry-After": "30" } }),
    );
    expect(lines).toEqual([
      `Retry-After: 30 → wait 30 s, until ${formatClockSeconds(END + 30_000)}`,
    ]);
  });

  test("counts an HTTP-date Retry-After from the response's own Date", () => {
    const lines = explainHeaders(
      exchange({
        status: 503,
        time: 1000,
        headers: { "Retry-After": httpDate(END + 120_000), Date: httpDate(END) },
      }),
    );
    expect(lines[0]).toContain("→ wait 2 min (counted from the response's Date)");
  });

  test("prefers retry-after-ms, the more precise of the two", () => {
    const lines = explainHeaders(
      exchange({
        status: 429,
        time: 1000,
        headers: { "retry-after-ms": "1500", "Retry-After": "2" },
      }),
    );
    expect(lines[0]).toBe(
      `retry-after-ms: 1500 → wait 1.5 s, until ${formatClockSeconds(END + 1500)}`,
    );
  });

  test("reads X-RateLimit headers as what is left and when it resets", () => {
    const lines = explainHeaders(
      exchange({
        status: 429,
        time: 1000,
        headers: {
          "X-RateLimit-Limit": "100",
          "X-RateLimit-Remaining": "0",
          "X-RateLimit-Reset": String((END + 42_000) / 1000),
        },
      }),
    );
    expect(lines).toEqual([
      `X-RateLimit requests: 0 of 100 left, resets in 42 s (${formatClockSeconds(END + 42_000)})`,
    ]);
  });

  test("reads the IETF RateLimit fields with their policy", () => {
    const lines = explainHeaders(
      exchange({
        time: 1000,
        headers: { RateLimit: '"default";r=50;t=30', "RateLimit-Policy": '"default";q=100;w=60' },
      }),
    );
    expect(lines[0]).toMatch(
      /^RateLimit policy default: 50 of 100 left \(1 min window\), resets in 30 s/,
    );
  });

  test("says every meter a response states, a limit alone as a limit", () => {
    const lines = explainHeaders(
      exchange({
        time: 1000,
        headers: {
          "x-ratelimit-limit-tokens": "150000",
          "x-ratelimit-remaining-tokens": "149984",
          "x-ratelimit-reset-tokens": "6m0s",
          "x-ratelimit-limit-requests": "60",
        },
      }),
    );
    expect(lines).toEqual([
      "OpenAI requests: limit 60 requests",
      `OpenAI tokens: 149984 of 150000 left, resets in 6 min (${formatClockSeconds(END + 360_000)})`,
    ]);
  });

  test("explains x-should-retry and says nothing for a plain response", () => {
    expect(
      explainHeaders(exchange({ status: 500, headers: { "x-should-retry": "false" } })),
    ).toEqual(["x-should-retry: false → the server says not to retry"]);
    expect(explainHeaders(exchange({ status: 200 }))).toEqual([]);
  });
});
