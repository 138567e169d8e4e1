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
