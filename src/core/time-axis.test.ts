import { describe, expect, it } from "vitest";
import { timeTicks, valueTicks } from "./time-axis.js";

/** Epoch ms of a local time of day on 2026-01-05. */
const at = (h: number, m: number, s = 0, ms = 0) => new Date(2026, 0, 5, h, m, s, ms).getTime();

describe("timeTicks", () => {
  it("puts ticks on round local seconds, labelled to the second", () => {
    const ticks = timeTicks(at(10, 3, 17, 400), at(10, 3, 52), 5);
    expect(ticks.map((t) => t.label)).toEqual(["10:03:20", "10:03:30", "10:03:40", "10:03:50"]);
    expect(ticks[0]?.at).toBe(at(10, 3, 20));
  });

  it("labels whole minutes without seconds", () => {
    const ticks = timeTicks(at(10, 0), at(10, 30), 4);
    expect(ticks.map((t) => t.label)).toEqual(["10:00", "10:10", "10:20", "10:30"]);
  });

  it("labels steps under a second with milliseconds", () => {
    const ticks = timeTicks(at(10, 0, 1, 0), at(10, 0, 1, 400), 5);
    expect(ticks.map((t) => t.label)).toEqual([
      "10:00:01.000",
      "10:00:01.100",
      "10:00:01.200",
      "10:00:01.300",
      "10:00:01.400",
    ]);
  });

  it("never gives more than maxTicks, and stays inside the range", () => {
    for (const span of [1, 7, 999, 1_001, 61_000, 3_600_000, 5 * 86_400_000, 400 * 86_400_000]) {
      for (const max of [1, 2, 3, 6, 10]) {
        const from = at(9, 59, 59, 998);
        const ticks = timeTicks(from, from + span, max);
        expect(ticks.length).toBeLessThanOrEqual(max);
        expect(ticks.length).toBeGreaterThan(0);
        for (const tick of ticks) {
          expect(tick.at).toBeGreaterThanOrEqual(from);
          expect(tick.at).toBeLessThanOrEqual(from + span);
        }
      }
    }
  });

  it("gives none for a range it cannot draw", () => {
    expect(timeTicks(Number.NaN, at(10, 0), 5)).toEqual([]);
    expect(timeTicks(at(10, 1), at(10, 0), 5)).toEqual([]);
    expect(timeTicks(at(10, 0), at(10, 1), 0)).toEqual([]);
  });
});

describe("valueTicks", () => {
  it("steps 1-2-5 with thousands separators", () => {
    expect(valueTicks(0, 30_000, 4).map((t) => t.label)).toEqual([
      "0",
      "10,000",
      "20,000",
      "30,000",
    ]);
    expect(valueTicks(0, 60, 5).map((t) => t.at)).toEqual([0, 20, 40, 60]);
  });

  it("shows the decimals a fractional step needs", () => {
    expect(valueTicks(0, 1, 3).map((t) => t.label)).toEqual(["0.0", "0.5", "1.0"]);
  });

  it("starts at the first step inside the range", () => {
    expect(valueTicks(3, 27, 4).map((t) => t.at)).toEqual([10, 20]);
  });

  it("never gives more than maxTicks, and stays inside the range", () => {
    for (const [min, max] of [
      [0, 1],
      [0, 7],
      [0, 100],
      [0, 30_000],
      [-5, 5],
      [0.001, 0.009],
    ] as const) {
      for (const count of [1, 2, 3, 5, 8]) {
        const ticks = valueTicks(min, max, count);
        expect(ticks.length).toBeLessThanOrEqual(count);
        for (const tick of ticks) {
          expect(tick.at).toBeGreaterThanOrEqual(min - 1e-9);
          expect(tick.at).toBeLessThanOrEqual(max + 1e-9);
        }
      }
    }
  });

  it("gives one tick for an empty range and none for a range it cannot draw", () => {
    expect(valueTicks(5, 5, 4)).toEqual([{ at: 5, label: "5" }]);
    expect(valueTicks(Number.NaN, 5, 4)).toEqual([]);
    expect(valueTicks(6, 5, 4)).toEqual([]);
  });
});
