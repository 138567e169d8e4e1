import { describe, expect, it } from "vitest";
import { analyzeEntries } from "../../../test/support/analyze.js";
import { call, type EntryOptions, entry, httpDate, T0 } from "../../../test/support/har.js";
import { toExchange } from "../har/exchange.js";
import { statedWait } from "./stated-wait.js";

const GEMINI =
  "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent";

const RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo";

/** Google's RetryInfo, as its error model documents it, in the details of a 429. */
function retryInfo(retryDelay: unknown) {
  return { "@type": RETRY_INFO, retryDelay };
}

function waitOf(options: EntryOptions, error: { message?: string | null; details?: unknown }) {
  return statedWait(toExchange(entry({ url: GEMINI, status: 429, ...options }), 0), {
    message: error.message ?? null,
    details: error.details,
  });
}

describe("statedWait", () => {
  it("states nothing for a response that is no error", () => {
    const exchange = toExchange(entry({ status: 200, headers: { "Retry-After": "30" } }), 0);
    expect(statedWait(exchange, undefined)).toBeUndefined();
  });

  it("reads each header, the more precise first", () => {
    expect(waitOf({ headers: { "Retry-After": "30" } }, {})).toEqual({
      seconds: 30,
      dated: false,
      from: "header",
    });
    expect(waitOf({ headers: { "Retry-After": "30", "x-ms-retry-after-ms": "1500" } }, {})).toEqual(
      { seconds: 1.5, dated: false, from: "header" },
    );
    expect(
      waitOf({ headers: { "retry-after-ms": "900", "x-ms-retry-after-ms": "1500" } }, {}),
    ).toEqual({ seconds: 0.9, dated: false, from: "header" });
  });

  it("counts an HTTP-date from the response's own Date, and says it is dated", () => {
    expect(
      waitOf({ headers: { Date: httpDate(T0), "Retry-After": httpDate(T0 + 20_000) } }, {}),
    ).toEqual({ seconds: 20, dated: true, from: "header" });
  });

  it("reads a Google error's RetryInfo retryDelay when no header states a wait", () => {
    for (const [retryDelay, seconds] of [
      ["38s", 38],
      ["0.5s", 0.5],
      ["1.000340s", 1.00034],
      ["0s", 0],
      ["2.123456789s", 2.123456789],
    ] as const) {
      expect(waitOf({}, { details: [retryInfo(retryDelay)] }), retryDelay).toEqual({
        seconds: expect.closeTo(seconds, 9),
        dated: false,
        from: "body",
      });
    }
  });

  it("finds the RetryInfo among the other details, in any place", () => {
    const details = [
      { "@type": "type.googleapis.com/google.rpc.QuotaFailure", violations: [] },
      { "@type": "type.googleapis.com/google.rpc.Help", links: [] },
      retryInfo("22s"),
    ];
    expect(waitOf({}, { details })).toMatchObject({ seconds: 22, from: "body" });
  });

  it("lets a header win over RetryInfo, and RetryInfo over the message's words", () => {
    expect(
      waitOf({ headers: { "Retry-After": "5" } }, { details: [retryInfo("38s")] }),
    ).toMatchObject({ seconds: 5, from: "header" });
    expect(
      waitOf({}, { message: "Retry after 60 seconds.", details: [retryInfo("38s")] }),
    ).toMatchObject({ seconds: 38, from: "body" });
  });

  it("reads a retryDelay in no other form than the Duration's JSON", () => {
    for (const retryDelay of [
      "38",
      "-1s",
      "-0.5s",
      "38 s",
      " 38s",
      "38S",
      "1m",
      "1.s",
      ".5s",
      "0.1234567890s",
      "1e3s",
      "",
      38,
      { seconds: 38 },
      null,
    ]) {
      expect(waitOf({}, { details: [retryInfo(retryDelay)] }), String(retryDelay)).toBe(undefined);
    }
  });

  it("reads a RetryInfo only in the details array, with its full type name", () => {
    const outside: unknown[] = [
      retryInfo("38s"),
      { retryInfo: retryInfo("38s") },
      [{ "@type": "google.rpc.RetryInfo", retryDelay: "38s" }],
      [{ "@type": "type.googleapis.com/google.rpc.QuotaFailure", retryDelay: "38s" }],
      [{ retryDelay: "38s" }],
      "38s",
    ];
    for (const details of outside) {
      expect(waitOf({}, { details }), JSON.stringify(details)).toBeUndefined();
    }
  });

  it("falls back to a wait the message states", () => {
    expect(waitOf({}, { message: "Rate limit exceeded. Retry after 60 seconds." })).toEqual({
      seconds: 60,
      dated: false,
      from: "body",
    });
  });
});

/** A Gemini 429 as Google's error model documents it: the wait is RetryInfo's retryDelay. */
const RESOURCE_EXHAUSTED = {
  error: {
    code: 429,
    message: "You exceeded your current quota, please check your plan and billing details.",
    status: "RESOURCE_EXHAUSTED",
    details: [
      {
        "@type": "type.googleapis.com/google.rpc.QuotaFailure",
        violations: [
          {
            quotaMetric: "generativelanguage.googleapis.com/generate_content_free_tier_requests",
            quotaId: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
          },
        ],
      },
      retryInfo("38s"),
    ],
  },
};

const PROMPT = JSON.stringify({ contents: [{ parts: [{ text: "Summarise the report" }] }] });

/** A generateContent call that got the 429 at 0 s, and the same call again `at` seconds later. */
function retriedAt(at: number, error: unknown = RESOURCE_EXHAUSTED) {
  const request = { method: "POST", url: GEMINI, body: PROMPT };
  return analyzeEntries([
    call({ ...request, at: 0, status: 429, json: error }),
    call({ ...request, at, status: 200, json: { candidates: [] } }),
  ]).findings.map(({ rule, entries, message }) => ({ rule, entries, message }));
}

describe("a Google RetryInfo wait, as the retry rules read it", () => {
  it("flags a retry 0.4 s after a 429 whose RetryInfo said 38 s", () => {
    expect(retriedAt(0.5)).toEqual([
      {
        rule: "retry-after-ignored",
        entries: [0, 1],
        message: "retried 0.4 s after a 429 RESOURCE_EXHAUSTED whose Retry-After was 38 s",
      },
    ]);
  });

  it("lets a retry 38.2 s after it pass", () => {
    expect(retriedAt(38.3)).toEqual([]);
  });

  it("holds a retry to no wait when the RetryInfo is not in error.details", () => {
    const { details, ...withoutDetails } = RESOURCE_EXHAUSTED.error;
    expect(retriedAt(0.5, { error: withoutDetails, details })).toEqual([]);
  });
});
