import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FUZZ_RUNS } from "../../../test/support/fuzz.js";
import { type HeaderInput, harHeaders } from "../../../test/support/har.js";
import { type HeaderMap, toHeaderMap } from "./header-map.js";
import {
  parseGoDuration,
  parseMeters,
  parseRfc3339,
  RATE_LIMIT_HEADER_NAMES,
} from "./parse-meters.js";

function meters(input: HeaderInput) {
  return parseMeters(headers(input));
}

function headers(input: HeaderInput): HeaderMap {
  return toHeaderMap(harHeaders(input));
}

// Each provider's example below is the one its rate-limit documentation shows, values included.
describe("parseMeters: each family's documented example", () => {
  it("reads X-RateLimit-* as one requests meter", () => {
    expect(
      meters({
        "X-RateLimit-Limit": "60",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": "1795428060",
      }),
    ).toEqual([
      {
        name: "requests",
        family: "x-ratelimit",
        unit: "requests",
        limit: 60,
        remaining: 0,
        resetAtServer: 1_795_428_060_000,
      },
    ]);
  });

  it("names GitHub's meter after its x-ratelimit-resource, scoped to the responses naming it", () => {
    expect(
      meters({
        "x-ratelimit-limit": "60",
        "x-ratelimit-remaining": "56",
        "x-ratelimit-used": "4",
        "x-ratelimit-reset": "1372700873",
        "x-ratelimit-resource": "core",
      }),
    ).toEqual([
      {
        name: "core",
        family: "github",
        unit: "requests",
        scoped: true,
        limit: 60,
        remaining: 56,
        resetAtServer: 1_372_700_873_000,
      },
    ]);
  });

  it("reads Okta's X-Rate-Limit-* as one requests meter", () => {
    expect(
      meters({
        "X-Rate-Limit-Limit": "1200",
        "X-Rate-Limit-Remaining": "1199",
        "X-Rate-Limit-Reset": "1609459200",
      }),
    ).toEqual([
      {
        name: "requests",
        family: "okta",
        unit: "requests",
        limit: 1200,
        remaining: 1199,
        resetAtServer: 1_609_459_200_000,
      },
    ]);
  });

  it("reads GitLab's RateLimit-* with its Unix reset, and its RateLimit-ResetTime alone", () => {
    const gitlab = {
      "RateLimit-Limit": "60",
      "RateLimit-Observed": "67",
      "RateLimit-Remaining": "0",
      "RateLimit-Reset": "1609844400",
      "RateLimit-ResetTime": "Tue, 05 Jan 2021 11:00:00 GMT",
      "Retry-After": "3600",
    };
    const expected = {
      name: "requests",
      family: "ratelimit-trio",
      unit: "requests",
      limit: 60,
      remaining: 0,
      resetAtServer: 1_609_844_400_000,
    };
    expect(meters(gitlab)).toEqual([expected]);
    const { "RateLimit-Reset": _reset, ...withoutReset } = gitlab;
    expect(meters(withoutReset)).toEqual([expected]);
  });

  it("reads DigitalOcean's lower-case ratelimit-* the same way", () => {
    expect(
      meters({
        "ratelimit-limit": "1200",
        "ratelimit-remaining": "1193",
        "rateLimit-reset": "1402425459",
      }),
    ).toEqual([
      {
        name: "requests",
        family: "ratelimit-trio",
        unit: "requests",
        limit: 1200,
        remaining: 1193,
        resetAtServer: 1_402_425_459_000,
      },
    ]);
  });

  it("reads one IETF meter per policy, its remaining and reset from the item of the same name", () => {
    expect(
      meters({
        "RateLimit-Policy": '"burst";q=100;w=60, "daily";q=1000;w=86400',
        RateLimit: '"burst";r=50;t=30, "daily";r=997;t=43200',
      }),
    ).toEqual([
      {
        name: "burst",
        family: "ietf",
        unit: "requests",
        limit: 100,
        windowSeconds: 60,
        remaining: 50,
        resetDeltaSeconds: 30,
      },
      {
        name: "daily",
        family: "ietf",
        unit: "requests",
        limit: 1000,
        windowSeconds: 86_400,
        remaining: 997,
        resetDeltaSeconds: 43_200,
      },
    ]);
  });

  it("reads OpenAI's requests and tokens meters with Go-duration resets", () => {
    expect(
      meters({
        "x-ratelimit-limit-requests": "60",
        "x-ratelimit-limit-tokens": "150000",
        "x-ratelimit-remaining-requests": "59",
        "x-ratelimit-remaining-tokens": "149984",
        "x-ratelimit-reset-requests": "1s",
        "x-ratelimit-reset-tokens": "6m0s",
      }),
    ).toEqual([
      {
        name: "requests",
        family: "openai",
        unit: "requests",
        limit: 60,
        remaining: 59,
        resetDeltaSeconds: 1,
      },
      {
        name: "tokens",
        family: "openai",
        unit: "tokens",
        limit: 150_000,
        remaining: 149_984,
        resetDeltaSeconds: 360,
      },
    ]);
  });

  it("reads Groq's, the same headers with fractional-second resets", () => {
    expect(
      meters({
        "retry-after": "2",
        "x-ratelimit-limit-requests": "14400",
        "x-ratelimit-limit-tokens": "18000",
        "x-ratelimit-remaining-requests": "14370",
        "x-ratelimit-remaining-tokens": "17997",
        "x-ratelimit-reset-requests": "2m59.56s",
        "x-ratelimit-reset-tokens": "7.66s",
      }),
    ).toEqual([
      {
        name: "requests",
        family: "openai",
        unit: "requests",
        limit: 14_400,
        remaining: 14_370,
        resetDeltaSeconds: 179.56,
      },
      {
        name: "tokens",
        family: "openai",
        unit: "tokens",
        limit: 18_000,
        remaining: 17_997,
        resetDeltaSeconds: 7.66,
      },
    ]);
  });

  it("reads Anthropic's four meters with RFC 3339 resets", () => {
    expect(
      meters({
        "anthropic-ratelimit-requests-limit": "50",
        "anthropic-ratelimit-requests-remaining": "49",
        "anthropic-ratelimit-requests-reset": "2026-11-23T10:00:02Z",
        "anthropic-ratelimit-tokens-limit": "38000",
        "anthropic-ratelimit-tokens-remaining": "37200",
        "anthropic-ratelimit-tokens-reset": "2026-11-23T10:00:05Z",
        "anthropic-ratelimit-input-tokens-limit": "30000",
        "anthropic-ratelimit-input-tokens-remaining": "29400",
        "anthropic-ratelimit-input-tokens-reset": "2026-11-23T10:00:05Z",
        "anthropic-ratelimit-output-tokens-limit": "8000",
        "anthropic-ratelimit-output-tokens-remaining": "7800",
        "anthropic-ratelimit-output-tokens-reset": "2026-11-23T10:00:10.500Z",
      }),
    ).toEqual([
      {
        name: "requests",
        family: "anthropic",
        unit: "requests",
        limit: 50,
        remaining: 49,
        resetAtServer: Date.UTC(2026, 10, 23, 10, 0, 2),
      },
      {
        name: "tokens",
        family: "anthropic",
        unit: "tokens",
        limit: 38_000,
        remaining: 37_200,
        resetAtServer: Date.UTC(2026, 10, 23, 10, 0, 5),
      },
      {
        name: "input-tokens",
        family: "anthropic",
        unit: "tokens",
        limit: 30_000,
        remaining: 29_400,
        resetAtServer: Date.UTC(2026, 10, 23, 10, 0, 5),
      },
      {
        name: "output-tokens",
        family: "anthropic",
        unit: "tokens",
        limit: 8000,
        remaining: 7800,
        resetAtServer: Date.UTC(2026, 10, 23, 10, 0, 10, 500),
      },
    ]);
  });

  it("reads Azure OpenAI's remaining requests and tokens, which state no limit and no reset", () => {
    expect(
      meters({ "x-ratelimit-remaining-requests": "119", "x-ratelimit-remaining-tokens": "119800" }),
    ).toEqual([
      { name: "requests", family: "azure", unit: "requests", remaining: 119 },
      { name: "tokens", family: "azure", unit: "tokens", remaining: 119_800 },
    ]);
  });

  it("reads Mistral's per-minute and per-month meters with their windows", () => {
    expect(
      meters({
        "x-ratelimit-limit-tokens-minute": "5000000",
        "x-ratelimit-remaining-tokens-minute": "4999911",
        "x-ratelimit-tokens-query-cost": "52",
        "x-ratelimit-limit-tokens-month": "1000000000",
        "x-ratelimit-remaining-tokens-month": "999000000",
        "x-ratelimit-limit-req-minute": "720",
        "x-ratelimit-remaining-req-minute": "717",
      }),
    ).toEqual([
      {
        name: "tokens-minute",
        family: "mistral",
        unit: "tokens",
        limit: 5_000_000,
        remaining: 4_999_911,
        windowSeconds: 60,
      },
      {
        name: "tokens-month",
        family: "mistral",
        unit: "tokens",
        limit: 1_000_000_000,
        remaining: 999_000_000,
        windowSeconds: 2_592_000,
      },
      {
        name: "requests-minute",
        family: "mistral",
        unit: "requests",
        limit: 720,
        remaining: 717,
        windowSeconds: 60,
      },
    ]);
  });
});

describe("parseMeters: which family counts", () => {
  it("returns no meter for a response without rate-limit headers", () => {
    expect(meters({ "Content-Type": "application/json", "Retry-After": "30" })).toEqual([]);
  });

  it("reads the first single-budget family that parses: IETF, then the trio, then X-RateLimit", () => {
    expect(
      meters({
        RateLimit: '"default";r=7;t=5',
        "RateLimit-Remaining": "8",
        "X-RateLimit-Remaining": "9",
      }).map((m) => [m.family, m.remaining]),
    ).toEqual([["ietf", 7]]);
    expect(
      meters({ "RateLimit-Remaining": "8", "X-RateLimit-Remaining": "9" }).map((m) => m.family),
    ).toEqual(["ratelimit-trio"]);
    expect(
      meters({ "X-RateLimit-Remaining": "9", "X-Rate-Limit-Remaining": "10" }).map((m) => m.family),
    ).toEqual(["x-ratelimit"]);
  });

  it("falls through to the next family when the first does not parse", () => {
    expect(meters({ RateLimit: '"unterminated;r=1', "X-RateLimit-Remaining": "9" })).toEqual([
      { name: "requests", family: "x-ratelimit", unit: "requests", remaining: 9 },
    ]);
  });

  it("reads the several-meter families besides, theirs winning a name both state", () => {
    expect(
      meters({
        "X-RateLimit-Limit": "100",
        "X-RateLimit-Remaining": "99",
        "x-ratelimit-limit-requests": "60",
        "x-ratelimit-remaining-requests": "59",
        "x-ratelimit-remaining-tokens": "1000",
      }),
    ).toEqual([
      { name: "requests", family: "openai", unit: "requests", limit: 60, remaining: 59 },
      { name: "tokens", family: "azure", unit: "tokens", remaining: 1000 },
    ]);
    // A name no other family states: both stand.
    expect(
      meters({
        "x-ratelimit-limit": "60",
        "x-ratelimit-remaining": "59",
        "x-ratelimit-resource": "search",
        "x-ratelimit-remaining-tokens": "1000",
      }).map((m) => m.name),
    ).toEqual(["tokens", "search"]);
  });
});

describe("parseMeters: two several-meter families stating one name", () => {
  it("reads the name once, from OpenAI's headers before Anthropic's", () => {
    expect(
      meters({
        "x-ratelimit-remaining-requests": "7",
        "anthropic-ratelimit-requests-remaining": "8",
        "anthropic-ratelimit-input-tokens-remaining": "9",
      }),
    ).toEqual([
      { name: "requests", family: "azure", unit: "requests", remaining: 7 },
      { name: "input-tokens", family: "anthropic", unit: "tokens", remaining: 9 },
    ]);
  });
});

describe("parseMeters: near misses", () => {
  it("keeps a meter that states remaining without a limit", () => {
    expect(meters({ "anthropic-ratelimit-tokens-remaining": "0" })).toEqual([
      { name: "tokens", family: "anthropic", unit: "tokens", remaining: 0 },
    ]);
    expect(meters({ "X-RateLimit-Remaining": "3" })).toEqual([
      { name: "requests", family: "x-ratelimit", unit: "requests", remaining: 3 },
    ]);
  });

  it("takes an OpenAI-shaped meter with a reset but no limit as OpenAI's, not Azure's", () => {
    expect(
      meters({ "x-ratelimit-remaining-tokens": "0", "x-ratelimit-reset-tokens": "55s" }),
    ).toEqual([
      { name: "tokens", family: "openai", unit: "tokens", remaining: 0, resetDeltaSeconds: 55 },
    ]);
  });

  it("gives a GitHub resource never seen before its own meter, lower-cased", () => {
    expect(
      meters({
        "x-ratelimit-limit": "10",
        "x-ratelimit-remaining": "9",
        "x-ratelimit-resource": "Dependency_SBOM",
      }),
    ).toEqual([
      {
        name: "dependency_sbom",
        family: "github",
        unit: "requests",
        scoped: true,
        limit: 10,
        remaining: 9,
      },
    ]);
  });

  it.each([
    ["empty", ""],
    ["65 characters long", "a".repeat(65)],
    ["free text", "core <script>"],
  ])("ignores a resource that is %s and reads the plain requests meter", (_what, resource) => {
    expect(meters({ "x-ratelimit-remaining": "9", "x-ratelimit-resource": resource })).toEqual([
      { name: "requests", family: "x-ratelimit", unit: "requests", remaining: 9 },
    ]);
  });

  it("keeps a 64-character resource, the longest name it takes", () => {
    const name = "r".repeat(64);
    expect(
      meters({ "x-ratelimit-remaining": "9", "x-ratelimit-resource": name }).map((m) => m.name),
    ).toEqual([name]);
  });

  it("reads no meter from a resource alone", () => {
    expect(meters({ "x-ratelimit-resource": "core" })).toEqual([]);
  });

  it("gives an IETF item naming no policy its own meter, without another policy's limit", () => {
    expect(meters({ RateLimit: '"a";r=5;t=9', "RateLimit-Policy": '"b";q=50;w=60' })).toEqual([
      { name: "b", family: "ietf", unit: "requests", limit: 50, windowSeconds: 60 },
      { name: "a", family: "ietf", unit: "requests", remaining: 5, resetDeltaSeconds: 9 },
    ]);
  });

  it("keeps a policy's limit when its RateLimit item has no r, and reads nothing of the item", () => {
    expect(
      meters({ RateLimit: '"default";t=9', "RateLimit-Policy": '"default";q=100;w=60' }),
    ).toEqual([
      { name: "default", family: "ietf", unit: "requests", limit: 100, windowSeconds: 60 },
    ]);
    expect(meters({ RateLimit: '"default";t=9' })).toEqual([]);
  });

  it("reads policy names written as tokens, and a policy counted in another unit as not requests", () => {
    expect(
      meters({
        ratelimit: "default;r=0;t=10",
        "ratelimit-policy": 'default;q=10;w=60, bytes;q=100000;qu="content-bytes"',
      }),
    ).toEqual([
      {
        name: "default",
        family: "ietf",
        unit: "requests",
        limit: 10,
        windowSeconds: 60,
        remaining: 0,
        resetDeltaSeconds: 10,
      },
      { name: "bytes", family: "ietf", unit: "tokens", limit: 100_000 },
    ]);
  });

  it("reads IETF limits sent as repeated fields, the first item of a name counting", () => {
    expect(
      meters([
        ["RateLimit", '"day";r=3;t=3600'],
        ["ratelimit", '"minute";r=1;t=20, "day";r=900'],
        ["RateLimit-Policy", '"minute";q=10;w=60'],
        ["RateLimit-Policy", '"day";q=1000;w=86400'],
      ]).map((m) => [m.name, m.remaining, m.limit]),
    ).toEqual([
      ["minute", 1, 10],
      ["day", 3, 1000],
    ]);
  });

  it("makes at most 16 meters of a response's IETF policies", () => {
    const policies = Array.from({ length: 40 }, (_, i) => `"p${i}";q=${i + 1}`).join(", ");
    const items = Array.from({ length: 40 }, (_, i) => `"r${i}";r=1`).join(", ");
    expect(meters({ "RateLimit-Policy": policies, RateLimit: items })).toHaveLength(16);
  });

  it("ignores a Mistral meter whose values are not counts", () => {
    expect(
      meters({
        "x-ratelimit-limit-tokens-month": "lots",
        "x-ratelimit-remaining-tokens-month": "-1",
        "x-ratelimit-remaining-req-minute": "3",
      }),
    ).toEqual([
      {
        name: "requests-minute",
        family: "mistral",
        unit: "requests",
        remaining: 3,
        windowSeconds: 60,
      },
    ]);
  });

  it("ignores Azure's -1 placeholders and a reset that is no duration", () => {
    expect(
      meters({
        "x-ratelimit-limit-tokens": "-1",
        "x-ratelimit-remaining-tokens": "-1",
        "x-ratelimit-reset-tokens": "soon",
      }),
    ).toEqual([]);
  });

  it("reads the first value of a repeated field in every family", () => {
    expect(
      meters([
        ["x-ratelimit-remaining-tokens", "10"],
        ["x-ratelimit-remaining-tokens", "20"],
        ["x-ratelimit-reset-tokens", "1s"],
        ["x-ratelimit-reset-tokens", "2s"],
        ["anthropic-ratelimit-requests-reset", "2026-11-23T10:00:02Z"],
        ["anthropic-ratelimit-requests-reset", "2026-11-23T10:00:03Z"],
      ]),
    ).toEqual([
      { name: "tokens", family: "openai", unit: "tokens", remaining: 10, resetDeltaSeconds: 1 },
      {
        name: "requests",
        family: "anthropic",
        unit: "requests",
        resetAtServer: Date.UTC(2026, 10, 23, 10, 0, 2),
      },
    ]);
  });
});

describe("parseGoDuration", () => {
  it.each([
    ["0", 0],
    ["0s", 0],
    ["120ms", 0.12],
    ["1s", 1],
    ["6m0s", 360],
    ["2m59.56s", 179.56],
    ["7.66s", 7.66],
    ["1h", 3600],
    ["1.5h", 5400],
    ["23h47m36.648s", 85_656.648],
    ["250us", 0.00025],
    ["250µs", 0.00025],
    ["250μs", 0.00025],
    ["10ns", 1e-8],
    ["1m1m", 120],
  ])("reads %s as %d seconds", (text, seconds) => {
    expect(parseGoDuration(text)).toBe(seconds);
  });

  it.each([
    "",
    "1",
    "30",
    "1x",
    "-1s",
    "+1s",
    "s",
    "ms",
    "1 s",
    "1s2",
    ".5s",
    "1.s",
    "1h-1m",
    "1S",
    "1sec",
    "NaNs",
    "Infinitys",
    `${"9".repeat(13)}s`,
    `${"1s".repeat(21)}`,
  ])("reads nothing from %j", (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});

describe("parseRfc3339", () => {
  const AT = Date.UTC(2026, 10, 23, 10, 1, 0);

  it.each([
    ["2026-11-23T10:01:00Z", AT],
    ["2026-11-23t10:01:00z", AT],
    ["2026-11-23T12:01:00+02:00", AT],
    ["2026-11-23T05:31:00-04:30", AT],
    ["2026-11-23T10:01:00.5Z", AT + 500],
    ["2026-11-23T10:01:00.123456789+00:00", AT + 123],
    ["2026-11-24T00:01:00+14:00", AT],
    ["2024-02-29T00:00:00Z", Date.UTC(2024, 1, 29)],
  ])("reads %s", (text, at) => {
    expect(parseRfc3339(text)).toBe(at);
  });

  it.each([
    "2026-02-30T10:00:00Z",
    "2026-02-29T10:00:00Z",
    "2026-13-01T10:00:00Z",
    "2026-11-23T24:00:00Z",
    "2026-11-23T10:60:00Z",
    "2026-11-23T10:01:60Z",
    "2026-11-23T10:01:00+24:00",
    "2026-11-23T10:01:00+02:60",
    "2026-11-23T10:01:00",
    "2026-11-23T10:01Z",
    "2026-11-23 10:01:00Z",
    "2026-11-23T10:01:00.Z",
    "2026-11-23T10:01:00+0200",
    "1969-12-31T23:59:59Z",
    "1795428060",
    "Mon, 23 Nov 2026 10:01:00 GMT",
    "2026-11-23",
    "",
  ])("reads nothing from %j", (text) => {
    expect(parseRfc3339(text)).toBeUndefined();
  });
});

describe("parseMeters on arbitrary input", () => {
  const value = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.string({ unit: "binary", maxLength: 60 }),
    fc.stringMatching(/^-?\d{1,16}(\.\d{1,3})?[a-zµ]{0,2}(, ?\d{1,4})?$/),
    fc.stringMatching(/^"?[a-z]{0,5}"?(;[a-z]{1,2}=-?\d{1,17})*(, ?"?[a-z]{0,3}"?;r=\d)?$/),
  );
  const pairs = fc.array(fc.tuple(fc.constantFrom(...RATE_LIMIT_HEADER_NAMES), value), {
    maxLength: 10,
  });

  it("never throws, and states only finite non-negative numbers of named meters", () => {
    fc.assert(
      fc.property(pairs, (list) => {
        for (const meter of parseMeters(headers(list))) {
          expect(meter.name.length).toBeGreaterThan(0);
          expect(meter.name.length).toBeLessThanOrEqual(64);
          for (const key of [
            "limit",
            "remaining",
            "resetDeltaSeconds",
            "resetAtServer",
            "windowSeconds",
          ] as const) {
            const stated = meter[key];
            if (stated === undefined) continue;
            expect(Number.isFinite(stated), key).toBe(true);
            expect(stated, key).toBeGreaterThanOrEqual(0);
          }
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it("reads a Go duration's parts back as their sum", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 99 }),
        fc.nat({ max: 59 }),
        fc.nat({ max: 59_999 }),
        (hours, minutes, millis) => {
          const text = `${hours}h${minutes}m${millis / 1000}s`;
          expect(parseGoDuration(text)).toBeCloseTo(hours * 3600 + minutes * 60 + millis / 1000, 6);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });

  it("reads every instant's ISO form back as that instant", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(2200, 0, 1) }), (at) => {
        expect(parseRfc3339(new Date(at).toISOString())).toBe(at);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
