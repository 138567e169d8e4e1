import { describe, expect, test } from "vitest";
import { formatClock, formatClockSeconds } from "../core/clock-time.js";
import { plural, providerLabel, statusLabel } from "../core/labels.js";
import { formatCountdown, formatDuration, formatSize, pathOf } from "./format.js";

describe("formatDuration", () => {
  test("shows sub-second spans in whole milliseconds", () => {
    expect(formatDuration(0)).toBe("0 ms");
    expect(formatDuration(349.6)).toBe("350 ms");
    expect(formatDuration(999)).toBe("999 ms");
  });

  test("shows seconds with one decimal under ten, dropping a trailing .0", () => {
    expect(formatDuration(1200)).toBe("1.2 s");
    expect(formatDuration(2000)).toBe("2 s");
    expect(formatDuration(9960)).toBe("10 s");
  });

  test("shows whole seconds under a minute", () => {
    expect(formatDuration(42_300)).toBe("42 s");
    expect(formatDuration(59_400)).toBe("59 s");
  });

  test("shows minutes and seconds, then hours and minutes", () => {
    expect(formatDuration(125_000)).toBe("2 min 5 s");
    expect(formatDuration(120_000)).toBe("2 min");
    expect(formatDuration(59_600)).toBe("1 min");
    expect(formatDuration(3_900_000)).toBe("1 h 5 min");
    expect(formatDuration(7_200_000)).toBe("2 h");
  });

  test("keeps the sign of a negative span and a dash for no number", () => {
    expect(formatDuration(-1500)).toBe("-1.5 s");
    expect(formatDuration(Number.NaN)).toBe("–");
  });
});

describe("formatCountdown", () => {
  test("rounds up to the next whole second, as a clock counts down", () => {
    expect(formatCountdown(41_200)).toBe("42 s");
    expect(formatCountdown(1)).toBe("1 s");
    expect(formatCountdown(125_000)).toBe("2 min 5 s");
  });

  test("reads 0 s once the time has passed", () => {
    expect(formatCountdown(0)).toBe("0 s");
    expect(formatCountdown(-5000)).toBe("0 s");
  });
});

describe("formatClock", () => {
  const at = new Date(2026, 10, 23, 10, 0, 31, 250).getTime();

  test("shows the local time of day with milliseconds", () => {
    expect(formatClock(at)).toBe("10:00:31.250");
    expect(formatClock(new Date(2026, 0, 1, 9, 5, 7, 4).getTime())).toBe("09:05:07.004");
  });

  test("shows the local time of day to the second", () => {
    expect(formatClockSeconds(at)).toBe("10:00:31");
  });

  test("shows a dash for a time that is not one", () => {
    expect(formatClock(Number.NEGATIVE_INFINITY)).toBe("–");
  });
});

describe("formatSize", () => {
  test("counts bytes, then KB, MB and GB in steps of 1024", () => {
    expect(formatSize(512)).toBe("512 B");
    expect(formatSize(1536)).toBe("1.5 KB");
    expect(formatSize(256 * 1024)).toBe("256 KB");
    expect(formatSize(12 * 1024 * 1024)).toBe("12 MB");
    expect(formatSize(3 * 1024 ** 3)).toBe("3 GB");
  });

  test("shows a dash for a negative or missing size", () => {
    expect(formatSize(-1)).toBe("–");
  });
});

describe("pathOf and plural", () => {
  test("keeps the path and query of a URL", () => {
    expect(pathOf("https://api.casola.ai/v1/jobs?limit=5#x")).toBe("/v1/jobs?limit=5");
    expect(pathOf("not a url")).toBe("not a url");
  });

  test("names one thing in the singular", () => {
    expect(plural(1, "request")).toBe("1 request");
    expect(plural(3, "request")).toBe("3 requests");
  });
});

describe("statusLabel and providerLabel", () => {
  test("a request without a response is no response, as the CLI says, never 0 or -1", () => {
    expect([503, 200, 0].map(statusLabel)).toEqual(["503", "200", "no response"]);
  });

  test("a host with no provider is other, as the CLI and the Markdown report say", () => {
    expect([providerLabel("cuadra"), providerLabel(null), providerLabel(undefined)]).toEqual([
      "cuadra",
      "other",
      "other",
    ]);
  });
});
