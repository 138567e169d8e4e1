import { describe, expect, it } from "vitest";
import {
  burnRateText,
  errorLabel,
  estimateText,
  isLow,
  resetText,
  runsOutText,
} from "./budget-text.js";

describe("budget texts", () => {
  it("names an error by its code, or says how to decode one known only by status", () => {
    expect(errorLabel({ status: 429, code: "quota_exceeded" })).toBe("429 quota_exceeded");
    expect(errorLabel({ status: 429, code: null })).toBe(
      "429 (status only: open the Ratelens panel in DevTools to decode it)",
    );
  });

  it("says when the budget runs out at the last minute's rate", () => {
    expect(runsOutText(30, 60)).toBe("in about 30 s at this rate");
    expect(runsOutText(0, 60)).toBe("already used up");
    expect(runsOutText(30, 0)).toBe("not at the current rate (no requests in the last minute)");
    expect(runsOutText(null, 5)).toBe("unknown (no limit known)");
    // Tokens are not timed by requests per minute; at 0 they are used up all the same.
    expect(runsOutText(12_000, 3, "tokens")).toBe("unknown (tokens go by each request's size)");
    expect(runsOutText(0, 3, "tokens")).toBe("already used up");
    expect(runsOutText(12, 3, "requests")).toBe("in about 4 min at this rate");
  });

  it("counts the reset down, and says now once it has passed", () => {
    expect(resetText(null, 0)).toBe("unknown");
    expect(resetText(1000, 2000)).toBe("now");
    expect(resetText(41_200, 0)).toMatch(/^in 42 s \(\d\d:\d\d:\d\d\)$/);
  });

  it("writes the burn rate per minute, and calls a tenth or less left low", () => {
    expect(burnRateText(1)).toBe("1 request/min");
    expect(burnRateText(12)).toBe("12 requests/min");
    expect(isLow(6, 60)).toBe(true);
    expect(isLow(7, 60)).toBe(false);
    expect(isLow(null, 60)).toBe(false);
  });

  it("labels an estimate by where the core says its limit came from", () => {
    expect(estimateText({ limit: null })).toBe(
      "no limit known: no rate-limit headers and no documented limit",
    );
    expect(estimateText({ limit: 60, limitFrom: "documented" })).toBe(
      "estimate from documented limits, no rate-limit headers",
    );
    expect(estimateText({ limit: 20, limitFrom: "setting" })).toBe(
      "estimate from the limit set in the options, no rate-limit headers",
    );
    expect(estimateText({ limit: 100, limitFrom: "headers" })).toBe(
      "estimate: requests counted against the limit earlier rate-limit headers stated",
    );
  });
});
