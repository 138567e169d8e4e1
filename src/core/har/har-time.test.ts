import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseHarTime } from "./har-time.js";

const T = Date.UTC(2026, 10, 23, 10, 0, 0);

describe("parseHarTime", () => {
  it.each([
    ["2026-11-23T10:00:00.000Z", T],
    ["2026-11-23T10:00:00Z", T],
    ["2026-11-23T10:00:00.5Z", T + 500],
    ["2026-11-23T10:00:00.05Z", T + 50],
    ["2026-11-23T11:00:00.5+01:00", T + 500],
    ["2026-11-23T11:00:00.5+0100", T + 500],
    ["2026-11-23T11:00:00.5+01", T + 500],
    ["2026-11-23T05:00:00.5-05:00", T + 500],
    ["2026-11-23T11:00:00.5468750+01:00", T + 546.875],
    ["2026-11-23T10:0:5.5Z", T + 5500],
    ["2026-11-23T9:00:00Z", T - 3_600_000],
    ["2026-11-23 10:00:00,25Z", T + 250],
  ])("reads %s as the instant it names", (text, ms) => {
    expect(parseHarTime(text)).toBe(ms);
  });

  it("reads a time without a zone as UTC, whatever the machine's zone", () => {
    expect(parseHarTime("2026-11-23T10:00:00.5")).toBe(T + 500);
  });

  it.each([
    "",
    "yesterday",
    "2026-02-31T10:00:00Z",
    "2026-11-23T24:00:00Z",
    "2026-13-01T10:00:00Z",
    "1795428000000",
  ])("is NaN for %j", (text) => {
    expect(parseHarTime(text)).toBeNaN();
  });

  it("is NaN for what is not a string", () => {
    expect(parseHarTime(undefined)).toBeNaN();
    expect(parseHarTime(1795428000000)).toBeNaN();
  });
});

describe("parseHarTime's fast path for the browsers' form", () => {
  // `...Z` of 24 characters is read without the regular expression; the same time with a
  // "+00:00" zone is not: both must give the same number, or both NaN, for any digits.
  const digits = (n: number) =>
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(""));
  const field = (n: number, max: number) =>
    fc.oneof(
      digits(n),
      fc.integer({ min: 0, max }).map((v) => String(v).padStart(n, "0")),
    );

  it("reads every YYYY-MM-DDTHH:MM:SS.SSSZ as the general reading does", () => {
    fc.assert(
      fc.property(
        fc.tuple(
          field(4, 2100),
          field(2, 13),
          field(2, 32),
          field(2, 24),
          field(2, 60),
          field(2, 61),
          digits(3),
        ),
        ([y, mo, d, h, mi, s, ms]) => {
          const base = `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}`;
          expect(Object.is(parseHarTime(`${base}Z`), parseHarTime(`${base}+00:00`))).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("keeps the edge cases of the general reading", () => {
    for (const [fast, general] of [
      ["2024-02-29T23:59:59.999Z", "2024-02-29T23:59:59.999+00:00"],
      ["2023-02-29T10:00:00.000Z", "2023-02-29T10:00:00.000+00:00"],
      ["2026-12-31T23:59:60.500Z", "2026-12-31T23:59:60.500+00:00"],
      ["0050-01-01T00:00:00.000Z", "0050-01-01T00:00:00.000+00:00"],
      ["1900-02-29T00:00:00.000Z", "1900-02-29T00:00:00.000+00:00"],
      ["2000-02-29T00:00:00.000Z", "2000-02-29T00:00:00.000+00:00"],
    ] as const) {
      expect(Object.is(parseHarTime(fast), parseHarTime(general))).toBe(true);
    }
    expect(parseHarTime("2026-11-23T10:00:00.123Z")).toBe(Date.parse("2026-11-23T10:00:00.123Z"));
  });
});
