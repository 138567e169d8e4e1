import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FUZZ_RUNS } from "../../test/support/fuzz.js";
import { entry, exchange } from "../../test/support/har.js";
import { decodeError } from "./decode/decode-error.js";
import { parseHar } from "./har/parse-har.js";
import { toHeaderMap } from "./headers/header-map.js";
import { parseHttpDate } from "./headers/parse-http-date.js";
import { parseMeters } from "./headers/parse-meters.js";
import {
  parseRetryAfter,
  parseRetryAfterMs,
  parseRetryAfterText,
  parseRetryAfterValue,
} from "./headers/parse-retry-after.js";
import { PROVIDER_IDS, type ProviderId } from "./types.js";

const RUNS = { numRuns: FUZZ_RUNS };

/** Any text, ASCII most of the time and now and then any code unit at all. */
const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 80 }) },
);

/** Text a parser of numbers and dates cannot read: no digit anywhere. */
const noDigits = text.filter((s) => !/\d/.test(s));

const HEADER_NAMES = [
  "Retry-After",
  "retry-after-ms",
  "Date",
  "X-RateLimit-Limit",
  "X-RateLimit-Remaining",
  "X-RateLimit-Reset",
  "X-RateLimit-Used",
  "RateLimit",
  "RateLimit-Policy",
  "RateLimit-Limit",
  "RateLimit-Remaining",
  "RateLimit-Reset",
  "x-ratelimit-resource",
  "x-ratelimit-remaining-tokens",
  "x-ratelimit-reset-tokens",
  "anthropic-ratelimit-output-tokens-reset",
  "x-ratelimit-limit-tokens-month",
  "x-should-retry",
  "Stripe-Should-Retry",
  "Content-Type",
] as const;

const headerValue = fc.oneof(
  text,
  fc.constantFrom(
    "0",
    "30",
    "1795428060",
    "1795428060000",
    "Wed, 21 Oct 2026 07:28:00 GMT",
    '"default";r=0;t=10',
    "6m0s",
    "2026-11-23T10:01:00.5+02:00",
    '"default";q=10;w=60',
    '"a";r=1;t=1, "b";r=0;t=2',
    "true",
    "false",
  ),
);

const headerList = fc.array(
  fc.tuple(fc.oneof(fc.constantFrom(...HEADER_NAMES), text), headerValue),
  { maxLength: 8 },
);

const status = fc.oneof(
  fc.constantFrom(0, 200, 400, 401, 402, 403, 404, 409, 422, 429, 500, 502, 503, 504),
  fc.integer({ min: -10, max: 1000 }),
  fc.double(),
);

const body = fc.oneof(
  text,
  fc.json(),
  fc.jsonValue().map((error) => JSON.stringify({ error })),
  fc
    .record({ title: text, status: fc.integer(), detail: text, type: text })
    .map((problem) => JSON.stringify(problem)),
);

const hostProvider = fc.constantFrom<ProviderId | undefined>(...PROVIDER_IDS, undefined);

function headerMap(pairs: readonly (readonly [string, string])[]) {
  return toHeaderMap(pairs.map(([name, value]) => ({ name, value })));
}

describe("decodeError on arbitrary responses", () => {
  it("never throws and decodes exactly the responses that are errors", () => {
    fc.assert(
      fc.property(
        fc.record({
          status,
          headers: headerList,
          body,
          base64: fc.boolean(),
          mimeType: fc.oneof(text, fc.constantFrom("application/problem+json", "text/html")),
          url: fc.oneof(
            fc.constantFrom(
              "https://api.casola.ai/v1/jobs",
              "https://api.cuadra.ai/v1/chat",
              "https://example.com/api",
              "not a url",
            ),
            text,
          ),
          provider: hostProvider,
        }),
        ({ provider, ...options }) => {
          const ex = exchange(options);
          const decoded = decodeError(ex, provider);
          if (ex.status !== 0 && ex.status < 400) {
            expect(decoded).toBeUndefined();
            return;
          }
          expect(decoded?.status).toBe(ex.status);
          expect(typeof decoded?.retryable).toBe("boolean");
          expect(decoded?.advice).toEqual(expect.any(String));
          expect(decoded?.code === null || typeof decoded?.code === "string").toBe(true);
          expect(decoded?.contract.every((line) => typeof line === "string")).toBe(true);
          const wait = decoded?.retryAfterSeconds;
          if (wait !== undefined) expect(Number.isFinite(wait) && wait >= 0).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it("gives casola and cuadra hosts their provider whatever the body", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<ProviderId>("casola", "cuadra"),
        fc.integer({ min: 400, max: 599 }),
        body,
        (provider, code, text) => {
          const decoded = decodeError(exchange({ status: code, body: text }), provider);
          expect(decoded?.provider).toBe(provider);
        },
      ),
      RUNS,
    );
  });
});

/** Any instant from 1970 to 2199, as an HTTP date states it: to the second. */
const httpDate = fc
  .date({
    min: new Date("1970-01-01T00:00:00Z"),
    max: new Date("2199-12-31T23:59:59Z"),
    noInvalidDate: true,
  })
  .map((date) => ({ text: date.toUTCString(), at: Math.floor(date.getTime() / 1000) * 1000 }));

/** `check` holds for any text. */
function forAnyText(check: (value: string) => void): void {
  fc.assert(fc.property(text, check), RUNS);
}

/** `parse` reads nothing from text without a digit. */
function readsNothingWithoutDigits(parse: (value: string) => unknown): void {
  fc.assert(
    fc.property(noDigits, (value) => {
      expect(parse(value)).toBeUndefined();
    }),
    RUNS,
  );
}

describe("the header parsers on arbitrary values", () => {
  it("parseRetryAfterValue never throws and reads nothing from text without digits", () => {
    forAnyText((value) => {
      parseRetryAfterValue(value);
    });
    readsNothingWithoutDigits(parseRetryAfterValue);
  });

  it("parseRetryAfterValue reads any delay-seconds and any IMF-fixdate", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999_999 }), (seconds) => {
        expect(parseRetryAfterValue(String(seconds))).toEqual({
          kind: "delay",
          seconds,
          header: "retry-after",
        });
      }),
      RUNS,
    );
    fc.assert(
      fc.property(httpDate, ({ text, at }) => {
        expect(parseRetryAfterValue(text)).toEqual({ kind: "date", at, header: "retry-after" });
      }),
      RUNS,
    );
  });

  it("parseRetryAfterMs never throws and reads nothing from text without digits", () => {
    forAnyText((value) => {
      const parsed = parseRetryAfterMs(value);
      if (parsed === undefined) return;
      expect(parsed.kind).toBe("delay");
      if (parsed.kind === "delay") expect(parsed.seconds).toBeGreaterThanOrEqual(0);
    });
    readsNothingWithoutDigits(parseRetryAfterMs);
  });

  it("parseRetryAfterText never throws and states only finite waits", () => {
    forAnyText((value) => {
      const seconds = parseRetryAfterText(value);
      if (seconds !== undefined) expect(Number.isFinite(seconds)).toBe(true);
    });
  });

  it("parseHttpDate never throws, reads nothing without digits and round-trips dates", () => {
    forAnyText((value) => {
      const ms = parseHttpDate(value);
      if (ms !== undefined) expect(Number.isFinite(ms)).toBe(true);
    });
    readsNothingWithoutDigits(parseHttpDate);
    fc.assert(
      fc.property(httpDate, ({ text, at }) => {
        expect(parseHttpDate(text)).toBe(at);
      }),
      RUNS,
    );
  });

  it("parseMeters never throws and states only non-negative finite numbers", () => {
    fc.assert(
      fc.property(headerList, (pairs) => {
        parseRetryAfter(headerMap(pairs));
        for (const parsed of parseMeters(headerMap(pairs))) {
          for (const key of [
            "limit",
            "remaining",
            "resetDeltaSeconds",
            "resetAtServer",
            "windowSeconds",
          ] as const) {
            const value = parsed[key];
            if (value !== undefined) {
              expect(Number.isFinite(value), key).toBe(true);
              expect(value, key).toBeGreaterThanOrEqual(0);
            }
          }
        }
      }),
      RUNS,
    );
  });

  it("parseMeters reads nothing from values without digits", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...HEADER_NAMES), noDigits), { maxLength: 8 }),
        (pairs) => {
          expect(parseMeters(headerMap(pairs))).toEqual([]);
        },
      ),
      RUNS,
    );
  });
});

describe("parseHar on arbitrary input", () => {
  it("never throws on arbitrary text and says why it cannot read it", () => {
    fc.assert(
      fc.property(text, (value) => {
        const parsed = parseHar(value);
        if (parsed.ok) expect(Array.isArray(parsed.entries)).toBe(true);
        else {
          expect(parsed.message).not.toBe("");
          // One line, no control characters: it goes to terminals, CI logs and the panel.
          // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
          expect(parsed.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
          expect(parsed.message.length).toBeLessThan(300);
        }
      }),
      RUNS,
    );
  });

  it("never throws on arbitrary JSON, as a whole or as log entries", () => {
    fc.assert(
      fc.property(fc.json(), (json) => {
        expect(parseHar(json).ok).toBe(false);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 4 }), (entries) => {
        const parsed = parseHar(JSON.stringify({ log: { entries } }));
        expect(parsed.ok).toBe(entries.length === 0);
      }),
      RUNS,
    );
  });

  it("accepts well-formed entries whatever else they carry", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ extra: fc.jsonValue(), status: fc.integer() }), { maxLength: 4 }),
        (items) => {
          const entries = items.map(({ extra, status: code }) => ({
            ...entry({ status: code }),
            _extra: extra,
          }));
          const parsed = parseHar(JSON.stringify({ log: { version: "1.2", entries } }));
          expect(parsed.ok).toBe(true);
        },
      ),
      RUNS,
    );
  });
});
