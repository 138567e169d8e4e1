import { describe, expect, it } from "vitest";
import { type HeaderInput, harHeaders } from "../../../test/support/har.js";
import { type HeaderMap, toHeaderMap } from "./header-map.js";
import { parseHttpDate } from "./parse-http-date.js";
import { parseRateLimitHeaders } from "./parse-rate-limit-headers.js";
import {
  parseRetryAfter,
  parseRetryAfterMs,
  parseRetryAfterText,
  parseRetryAfterValue,
} from "./parse-retry-after.js";

function headers(input: HeaderInput): HeaderMap {
  return toHeaderMap(harHeaders(input));
}

const OCT_21 = Date.UTC(2026, 9, 21, 7, 28, 0);

describe("toHeaderMap", () => {
  it("keys fields by their lower-cased name", () => {
    const map = headers({ "Retry-After": "30", "X-RATELIMIT-REMAINING": "0" });
    expect(map.get("retry-after")).toBe("30");
    expect(map.get("x-ratelimit-remaining")).toBe("0");
    expect(map.has("Retry-After")).toBe(false);
  });

  it("joins a repeated field with a comma, in order", () => {
    const map = headers([
      ["Vary", "Accept"],
      ["vary", "Origin"],
    ]);
    expect(map.get("vary")).toBe("Accept, Origin");
  });

  it("skips malformed entries and reads a missing list as empty", () => {
    const malformed = [{ name: "a", value: "1" }, null, { name: 2, value: "x" }, { name: "b" }];
    expect([...toHeaderMap(malformed as unknown as { name: string; value: string }[])]).toEqual([
      ["a", "1"],
    ]);
    expect(toHeaderMap(undefined).size).toBe(0);
  });
});

describe("parseHttpDate", () => {
  it("reads an IMF-fixdate", () => {
    expect(parseHttpDate("Wed, 21 Oct 2026 07:28:00 GMT")).toBe(OCT_21);
  });

  it("reads the obsolete RFC 850 and asctime forms", () => {
    expect(parseHttpDate("Wednesday, 21-Oct-26 07:28:00 GMT")).toBe(OCT_21);
    expect(parseHttpDate("Wed Oct 21 07:28:00 2026")).toBe(OCT_21);
    expect(parseHttpDate("Sun Nov  6 08:49:37 1994")).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
  });

  it("tolerates surrounding whitespace", () => {
    expect(parseHttpDate("  Wed, 21 Oct 2026 07:28:00 GMT ")).toBe(OCT_21);
  });

  it("returns undefined for anything that is not an HTTP-date", () => {
    for (const value of [
      undefined,
      "",
      "tomorrow",
      "30",
      "2026-10-21T07:28:00Z",
      "Wed, 21 Oct 2026 07:28:00 UTC",
      "Wed, 21 Foo 2026 07:28:00 GMT",
      "Wed, 21 Oct 2026 25:28:00 GMT",
      "Sat, 31 Feb 2026 07:28:00 GMT",
      "Wed, 21 Oct 2026 07:61:00 GMT",
      "Wed Feb 30 07:28:00 2026",
      `Wed, 21 Oct 2026 07:28:00 GMT${" ".repeat(100)}x`,
    ]) {
      expect(parseHttpDate(value), String(value)).toBeUndefined();
    }
  });
});

describe("parseRetryAfterValue", () => {
  it("reads delay-seconds", () => {
    expect(parseRetryAfterValue("30")).toEqual({
      kind: "delay",
      seconds: 30,
      header: "retry-after",
    });
    expect(parseRetryAfterValue(" 0 ")).toEqual({
      kind: "delay",
      seconds: 0,
      header: "retry-after",
    });
  });

  it("reads an HTTP-date as an absolute time in server-clock milliseconds", () => {
    expect(parseRetryAfterValue("Wed, 21 Oct 2026 07:28:00 GMT")).toEqual({
      kind: "date",
      at: OCT_21,
      header: "retry-after",
    });
  });

  it("returns undefined for garbage", () => {
    for (const value of [undefined, "", "soon", "-5", "1.5", "30s", "0x1e", "1e3", "12345678901"]) {
      expect(parseRetryAfterValue(value), String(value)).toBeUndefined();
    }
  });

  it("reads the first value of a repeated field", () => {
    expect(parseRetryAfterValue("30, 30")).toMatchObject({ kind: "delay", seconds: 30 });
    expect(
      parseRetryAfterValue("Wed, 21 Oct 2026 07:28:00 GMT, Wed, 21 Oct 2026 07:28:00 GMT"),
    ).toMatchObject({ kind: "date", at: OCT_21 });
  });
});

describe("parseRetryAfterMs", () => {
  it("reads milliseconds as seconds", () => {
    expect(parseRetryAfterMs("1500")).toEqual({
      kind: "delay",
      seconds: 1.5,
      header: "retry-after-ms",
    });
    expect(parseRetryAfterMs("250.5")).toMatchObject({ seconds: expect.closeTo(0.2505, 6) });
  });

  it("returns undefined for garbage", () => {
    for (const value of [undefined, "", "fast", "-1", "1,5", "Wed, 21 Oct 2026 07:28:00 GMT"]) {
      expect(parseRetryAfterMs(value), String(value)).toBeUndefined();
    }
  });
});

describe("parseRetryAfter", () => {
  it("reads Retry-After whatever the case of its name", () => {
    expect(parseRetryAfter(headers({ "RETRY-AFTER": "12" }))).toMatchObject({ seconds: 12 });
  });

  it("lets retry-after-ms win over Retry-After", () => {
    expect(parseRetryAfter(headers({ "Retry-After": "2", "Retry-After-Ms": "1500" }))).toEqual({
      kind: "delay",
      seconds: 1.5,
      header: "retry-after-ms",
    });
  });

  it("falls back to Retry-After when retry-after-ms is garbage", () => {
    expect(parseRetryAfter(headers({ "Retry-After": "2", "retry-after-ms": "soon" }))).toEqual({
      kind: "delay",
      seconds: 2,
      header: "retry-after",
    });
  });

  it("returns undefined without either header or with garbage in both", () => {
    expect(parseRetryAfter(headers({}))).toBeUndefined();
    expect(parseRetryAfter(headers({ "Retry-After": "later", "retry-after-ms": "x" }))).toBe(
      undefined,
    );
  });
});

describe("parseRetryAfterText", () => {
  it("reads the wait a detail text states", () => {
    expect(parseRetryAfterText("Rate limit exceeded. Retry after 60 seconds.")).toBe(60);
    expect(parseRetryAfterText("please retry in 2.5s")).toBe(2.5);
    expect(parseRetryAfterText("RETRY AFTER 1 SECOND")).toBe(1);
  });

  it("returns undefined when the text states no wait", () => {
    for (const text of [null, undefined, "", "Rate limit exceeded.", "retry after a while"]) {
      expect(parseRetryAfterText(text), String(text)).toBeUndefined();
    }
  });
});

describe("parseRateLimitHeaders: X-RateLimit-*", () => {
  const NOW_SECONDS = 1_795_428_000;

  it("reads limit, remaining and a reset in Unix seconds", () => {
    expect(
      parseRateLimitHeaders(
        headers({
          "X-RateLimit-Limit": "60",
          "X-RateLimit-Remaining": "0",
          "X-RateLimit-Reset": String(NOW_SECONDS + 60),
        }),
      ),
    ).toEqual({
      scheme: "x-ratelimit",
      limit: 60,
      remaining: 0,
      resetAtServer: (NOW_SECONDS + 60) * 1000,
    });
  });

  it("reads a reset below 10^9 as a delta in seconds", () => {
    expect(parseRateLimitHeaders(headers({ "X-RateLimit-Reset": "30" }))).toEqual({
      scheme: "x-ratelimit",
      resetDeltaSeconds: 30,
    });
  });

  it("reads a reset above 10^12 as Unix milliseconds", () => {
    expect(
      parseRateLimitHeaders(headers({ "X-RateLimit-Reset": "1795428060500" }))?.resetAtServer,
    ).toBe(1_795_428_060_500);
  });

  it("reads remaining from X-RateLimit-Used when Remaining is absent", () => {
    expect(
      parseRateLimitHeaders(headers({ "X-RateLimit-Limit": "100", "X-RateLimit-Used": "40" })),
    ).toEqual({ scheme: "x-ratelimit", limit: 100, remaining: 60 });
    expect(
      parseRateLimitHeaders(headers({ "X-RateLimit-Limit": "100", "X-RateLimit-Used": "140" }))
        ?.remaining,
    ).toBe(0);
  });

  it("prefers X-RateLimit-Remaining to X-RateLimit-Used", () => {
    expect(
      parseRateLimitHeaders(
        headers({
          "X-RateLimit-Limit": "100",
          "X-RateLimit-Used": "40",
          "X-RateLimit-Remaining": "10",
        }),
      )?.remaining,
    ).toBe(10);
  });

  it("reads the header names whatever their case", () => {
    expect(
      parseRateLimitHeaders(headers({ "x-ratelimit-limit": "5", "X-RATELIMIT-REMAINING": "4" })),
    ).toEqual({ scheme: "x-ratelimit", limit: 5, remaining: 4 });
  });

  it("reads the first value of repeated fields", () => {
    expect(
      parseRateLimitHeaders(
        headers([
          ["X-RateLimit-Limit", "60"],
          ["x-ratelimit-limit", "60"],
          ["X-RateLimit-Remaining", "3"],
          ["X-RateLimit-Remaining", "3"],
          ["X-RateLimit-Reset", "30"],
          ["X-RateLimit-Reset", "30"],
        ]),
      ),
    ).toEqual({ scheme: "x-ratelimit", limit: 60, remaining: 3, resetDeltaSeconds: 30 });
  });

  it("returns undefined when the values are garbage", () => {
    expect(
      parseRateLimitHeaders(
        headers({
          "X-RateLimit-Limit": "lots",
          "X-RateLimit-Remaining": "-1",
          "X-RateLimit-Reset": "soon",
        }),
      ),
    ).toBeUndefined();
  });

  it("returns undefined for unrelated headers", () => {
    expect(parseRateLimitHeaders(headers({ "Content-Type": "application/json" }))).toBe(undefined);
  });
});

describe("parseRateLimitHeaders: IETF RateLimit and RateLimit-Policy", () => {
  it("reads remaining and reset from RateLimit and limit and window from its policy", () => {
    expect(
      parseRateLimitHeaders(
        headers({
          RateLimit: '"default";r=50;t=30',
          "RateLimit-Policy": '"default";q=100;w=60',
        }),
      ),
    ).toEqual({
      scheme: "ietf",
      remaining: 50,
      resetDeltaSeconds: 30,
      limit: 100,
      windowSeconds: 60,
      policy: "default",
    });
  });

  it("takes the limit with the least remaining as the one that binds", () => {
    expect(
      parseRateLimitHeaders(
        headers({
          RateLimit: '"minute";r=50;t=30, "day";r=3;t=3600',
          "RateLimit-Policy": '"minute";q=100;w=60, "day";q=1000;w=86400',
        }),
      ),
    ).toEqual({
      scheme: "ietf",
      remaining: 3,
      resetDeltaSeconds: 3600,
      limit: 1000,
      windowSeconds: 86400,
      policy: "day",
    });
  });

  it("reads several limits sent as repeated fields", () => {
    expect(
      parseRateLimitHeaders(
        headers([
          ["RateLimit", '"day";r=3;t=3600'],
          ["ratelimit", '"minute";r=1;t=20'],
          ["RateLimit-Policy", '"minute";q=10;w=60'],
          ["RateLimit-Policy", '"day";q=1000;w=86400'],
        ]),
      ),
    ).toMatchObject({ remaining: 1, resetDeltaSeconds: 20, limit: 10, policy: "minute" });
  });

  it("reads policy names written as tokens", () => {
    expect(
      parseRateLimitHeaders(
        headers({ ratelimit: "default;r=0;t=10", "ratelimit-policy": "default;q=10;w=60" }),
      ),
    ).toMatchObject({ remaining: 0, resetDeltaSeconds: 10, limit: 10, policy: "default" });
  });

  it("reads a policy alone as the limit and window without a remaining count", () => {
    expect(parseRateLimitHeaders(headers({ "RateLimit-Policy": '"burst";q=10;w=1' }))).toEqual({
      scheme: "ietf",
      limit: 10,
      windowSeconds: 1,
      policy: "burst",
    });
  });

  it("pairs a lone policy with a limit whatever their names", () => {
    expect(
      parseRateLimitHeaders(
        headers({ RateLimit: '"a";r=5;t=9', "RateLimit-Policy": '"b";q=50;w=60' }),
      ),
    ).toMatchObject({ remaining: 5, limit: 50, windowSeconds: 60 });
  });

  it("wins over X-RateLimit-* in the same response", () => {
    expect(
      parseRateLimitHeaders(
        headers({
          RateLimit: '"default";r=7;t=5',
          "X-RateLimit-Remaining": "99",
        }),
      ),
    ).toMatchObject({ scheme: "ietf", remaining: 7 });
  });

  it("falls through to X-RateLimit-* when RateLimit does not parse", () => {
    expect(
      parseRateLimitHeaders(
        headers({ RateLimit: '"unterminated;r=1', "X-RateLimit-Remaining": "9" }),
      ),
    ).toEqual({ scheme: "x-ratelimit", remaining: 9 });
  });
});

describe("parseRateLimitHeaders: RateLimit-Limit / -Remaining / -Reset", () => {
  it("reads the older drafts' trio with the reset as a delta", () => {
    expect(
      parseRateLimitHeaders(
        headers({ "RateLimit-Limit": "100", "RateLimit-Remaining": "0", "RateLimit-Reset": "20" }),
      ),
    ).toEqual({ scheme: "ratelimit-trio", limit: 100, remaining: 0, resetDeltaSeconds: 20 });
  });

  it("reads the trio whatever the case of its names", () => {
    expect(
      parseRateLimitHeaders(headers({ "RATELIMIT-REMAINING": "4", "ratelimit-reset": "1" })),
    ).toEqual({ scheme: "ratelimit-trio", remaining: 4, resetDeltaSeconds: 1 });
  });

  it("wins over X-RateLimit-* in the same response", () => {
    expect(
      parseRateLimitHeaders(headers({ "RateLimit-Remaining": "2", "X-RateLimit-Remaining": "9" })),
    ).toMatchObject({ scheme: "ratelimit-trio", remaining: 2 });
  });
});

describe("reset headers, one reading for every family", () => {
  const UNIX = 1_795_428_060; // 2026-11-23T10:01:00Z
  it.each([
    ["X-RateLimit-Reset", { "x-ratelimit-limit": "60", "x-ratelimit-reset": String(UNIX) }],
    [
      "RateLimit-Reset (GitLab, DigitalOcean)",
      { "ratelimit-limit": "60", "ratelimit-reset": String(UNIX) },
    ],
    [
      "X-Rate-Limit-Reset (Okta)",
      { "x-rate-limit-limit": "60", "x-rate-limit-reset": String(UNIX) },
    ],
    ["IETF t=", { ratelimit: `"default";r=5;t=${UNIX}` }],
  ])("reads %s as a Unix time when it is one", (_name, fields) => {
    expect(parseRateLimitHeaders(headers(fields))?.resetAtServer).toBe(UNIX * 1000);
  });

  it.each([
    ["X-RateLimit-Reset", { "x-ratelimit-reset": "30" }],
    ["RateLimit-Reset", { "ratelimit-reset": "30" }],
    ["X-Rate-Limit-Reset", { "x-rate-limit-reset": "30" }],
    ["IETF t=", { ratelimit: '"default";r=5;t=30' }],
  ])("reads %s as a delta when it is one", (_name, fields) => {
    expect(parseRateLimitHeaders(headers(fields))?.resetDeltaSeconds).toBe(30);
  });

  it("reads GitLab's RateLimit-ResetTime, an HTTP-date, when no number is given", () => {
    expect(
      parseRateLimitHeaders(
        headers({
          "ratelimit-limit": "600",
          "ratelimit-remaining": "599",
          "ratelimit-resettime": "Mon, 23 Nov 2026 10:01:00 GMT",
        }),
      ),
    ).toEqual({
      scheme: "ratelimit-trio",
      limit: 600,
      remaining: 599,
      resetAtServer: UNIX * 1000,
    });
  });

  it("reads Okta's hyphenated X-Rate-Limit-Limit/-Remaining/-Reset", () => {
    expect(
      parseRateLimitHeaders(
        headers({
          "x-rate-limit-limit": "600",
          "x-rate-limit-remaining": "598",
          "x-rate-limit-reset": String(UNIX),
        }),
      ),
    ).toEqual({ scheme: "x-ratelimit", limit: 600, remaining: 598, resetAtServer: UNIX * 1000 });
  });
});
