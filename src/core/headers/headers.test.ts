import { describe, expect, it } from "vitest";
import { type HeaderInput, harHeaders } from "../../../test/support/har.js";
import { type HeaderMap, toHeaderMap } from "./header-map.js";
import { parseHttpDate } from "./parse-http-date.js";
import { parseMeters } from "./parse-meters.js";
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

describe("parseMeters: X-RateLimit-*", () => {
  const NOW_SECONDS = 1_795_428_000;
  const requests = { name: "requests", family: "x-ratelimit", unit: "requests" };

  it("reads limit, remaining and a reset in Unix seconds", () => {
    expect(
      parseMeters(
        headers({
          "X-RateLimit-Limit": "60",
          "X-RateLimit-Remaining": "0",
          "X-RateLimit-Reset": String(NOW_SECONDS + 60),
        }),
      ),
    ).toEqual([{ ...requests, limit: 60, remaining: 0, resetAtServer: (NOW_SECONDS + 60) * 1000 }]);
  });

  it("reads a reset below 10^9 as a delta in seconds", () => {
    expect(parseMeters(headers({ "X-RateLimit-Reset": "30" }))).toEqual([
      { ...requests, resetDeltaSeconds: 30 },
    ]);
  });

  it("reads a reset above 10^12 as Unix milliseconds", () => {
    expect(parseMeters(headers({ "X-RateLimit-Reset": "1795428060500" }))[0]?.resetAtServer).toBe(
      1_795_428_060_500,
    );
  });

  it("reads remaining from X-RateLimit-Used when Remaining is absent", () => {
    expect(parseMeters(headers({ "X-RateLimit-Limit": "100", "X-RateLimit-Used": "40" }))).toEqual([
      { ...requests, limit: 100, remaining: 60 },
    ]);
    expect(
      parseMeters(headers({ "X-RateLimit-Limit": "100", "X-RateLimit-Used": "140" }))[0]?.remaining,
    ).toBe(0);
  });

  it("prefers X-RateLimit-Remaining to X-RateLimit-Used", () => {
    expect(
      parseMeters(
        headers({
          "X-RateLimit-Limit": "100",
          "X-RateLimit-Used": "40",
          "X-RateLimit-Remaining": "10",
        }),
      )[0]?.remaining,
    ).toBe(10);
  });

  it("reads the header names whatever their case", () => {
    expect(
      parseMeters(headers({ "x-ratelimit-limit": "5", "X-RATELIMIT-REMAINING": "4" })),
    ).toEqual([{ ...requests, limit: 5, remaining: 4 }]);
  });

  it("reads the first value of repeated fields", () => {
    expect(
      parseMeters(
        headers([
          ["X-RateLimit-Limit", "60"],
          ["x-ratelimit-limit", "60"],
          ["X-RateLimit-Remaining", "3"],
          ["X-RateLimit-Remaining", "3"],
          ["X-RateLimit-Reset", "30"],
          ["X-RateLimit-Reset", "30"],
        ]),
      ),
    ).toEqual([{ ...requests, limit: 60, remaining: 3, resetDeltaSeconds: 30 }]);
  });

  it("reads nothing when the values are garbage", () => {
    expect(
      parseMeters(
        headers({
          "X-RateLimit-Limit": "lots",
          "X-RateLimit-Remaining": "-1",
          "X-RateLimit-Reset": "soon",
        }),
      ),
    ).toEqual([]);
  });
});

describe("parseMeters: RateLimit-Limit / -Remaining / -Reset", () => {
  const trio = { name: "requests", family: "ratelimit-trio", unit: "requests" };

  it("reads the older drafts' trio with the reset as a delta", () => {
    expect(
      parseMeters(
        headers({ "RateLimit-Limit": "100", "RateLimit-Remaining": "0", "RateLimit-Reset": "20" }),
      ),
    ).toEqual([{ ...trio, limit: 100, remaining: 0, resetDeltaSeconds: 20 }]);
  });

  it("reads the trio whatever the case of its names", () => {
    expect(parseMeters(headers({ "RATELIMIT-REMAINING": "4", "ratelimit-reset": "1" }))).toEqual([
      { ...trio, remaining: 4, resetDeltaSeconds: 1 },
    ]);
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
    expect(parseMeters(headers(fields))[0]?.resetAtServer).toBe(UNIX * 1000);
  });

  it.each([
    ["X-RateLimit-Reset", { "x-ratelimit-reset": "30" }],
    ["RateLimit-Reset", { "ratelimit-reset": "30" }],
    ["X-Rate-Limit-Reset", { "x-rate-limit-reset": "30" }],
    ["IETF t=", { ratelimit: '"default";r=5;t=30' }],
  ])("reads %s as a delta when it is one", (_name, fields) => {
    expect(parseMeters(headers(fields))[0]?.resetDeltaSeconds).toBe(30);
  });

  it("reads GitLab's RateLimit-ResetTime, an HTTP-date, when no number is given", () => {
    expect(
      parseMeters(
        headers({
          "ratelimit-limit": "600",
          "ratelimit-remaining": "599",
          "ratelimit-resettime": "Mon, 23 Nov 2026 10:01:00 GMT",
        }),
      ),
    ).toEqual([
      {
        name: "requests",
        family: "ratelimit-trio",
        unit: "requests",
        limit: 600,
        remaining: 599,
        resetAtServer: UNIX * 1000,
      },
    ]);
  });

  it("reads nothing of a RateLimit-ResetTime that is no HTTP-date", () => {
    expect(parseMeters(headers({ "ratelimit-resettime": "2026-11-23T10:01:00Z" }))).toEqual([]);
  });
});
