import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { casolaBudget } from "../../test/support/budget.js";
import { entry, T0 } from "../../test/support/har.js";
import { Analyzer } from "../core/analyzer.js";
import type { BudgetState } from "../core/budget/budget-tracker.js";
import { presetHosts } from "../core/presets.js";
import type { BackgroundState } from "../messaging/protocol.js";
import { BADGE_COLORS, badgeFor, compactCount, nextBadgeChange } from "./badge.js";

// The tooltip shows local clock times: pin the zone so "10:00:31" reads the same everywhere.
beforeAll(() => {
  vi.stubEnv("TZ", "UTC");
});
afterAll(() => {
  vi.unstubAllEnvs();
});

function stateWith(budget: Partial<BudgetState>, activeHost = "api.casola.ai"): BackgroundState {
  return {
    now: T0,
    hosts: [
      {
        budget: casolaBudget(budget),
        errors: [],
        lastSeen: T0,
      },
    ],
    activeHost,
    findings: 0,
    cost: [],
  };
}

describe("the badge text", () => {
  it.each([
    [0, "0"],
    [42, "42"],
    [999, "999"],
    [1000, "1k"],
    [1234, "1.2k"],
    [1999, "1.9k"],
    [9999, "9.9k"],
    [12_345, "12k"],
    [999_999, "999k"],
    [1_250_000, "1.2M"],
    [45_000_000, "45M"],
  ])("shows %i as %s, never more than is left", (n, text) => {
    expect(compactCount(n)).toBe(text);
  });

  it("shows the remaining budget of the tab's last host", () => {
    expect(badgeFor(stateWith({ remaining: 42 }), T0).text).toBe("42");
    expect(badgeFor(stateWith({ remaining: 12_000, limit: 20_000 }), T0).text).toBe("12k");
  });

  it("is empty for a tab without API traffic", () => {
    expect(badgeFor(stateWith({}, "nothing"), T0).text).toBe("");
    expect(badgeFor({ ...stateWith({}), activeHost: null }, T0)).toMatchObject({ text: "" });
  });

  it('shows "!" in red while a Retry-After is in force, the budget again after it', () => {
    const state = stateWith({ remaining: 0, retryAfterUntil: T0 + 12_000 });
    expect(badgeFor(state, T0)).toMatchObject({ text: "!", color: BADGE_COLORS.red });
    expect(badgeFor(state, T0 + 12_000).text).toBe("0");
  });

  it('shows "?" in grey for an estimate without any known limit', () => {
    const badge = badgeFor(
      stateWith({ limit: null, remaining: null, resetAt: null, source: "estimate" }),
      T0,
    );
    expect(badge).toMatchObject({ text: "?", color: BADGE_COLORS.grey });
  });
});

describe("the badge colour", () => {
  it.each([
    [100, BADGE_COLORS.green],
    [51, BADGE_COLORS.green],
    [50, BADGE_COLORS.amber],
    [11, BADGE_COLORS.amber],
    [10, BADGE_COLORS.red],
    [0, BADGE_COLORS.red],
  ])("is by the share left: %i of 100", (remaining, color) => {
    expect(badgeFor(stateWith({ remaining }), T0).color).toBe(color);
  });

  it("is grey when the remaining figure has no limit to compare with", () => {
    expect(badgeFor(stateWith({ limit: null, remaining: 7 }), T0)).toMatchObject({
      text: "7",
      color: BADGE_COLORS.grey,
    });
  });
});

describe("the badge tooltip", () => {
  it("names the host, the budget and when it resets", () => {
    expect(badgeFor(stateWith({}), T0).title).toBe("api.casola.ai: 42/100 left, resets 10:00:31");
  });

  it("says when the figures are an estimate", () => {
    expect(badgeFor(stateWith({ source: "estimate" }), T0).title).toBe(
      "api.casola.ai: 42/100 left, resets 10:00:31 (estimate)",
    );
  });

  it("says how long the Retry-After still holds", () => {
    const state = stateWith({ remaining: 0, retryAfterUntil: T0 + 11_500 });
    expect(badgeFor(state, T0).title).toBe(
      "api.casola.ai: 0/100 left, resets 10:00:31; Retry-After: wait 12 s (until 10:00:11)",
    );
  });

  it("gives the pace when no limit is known", () => {
    const state = stateWith({
      limit: null,
      remaining: null,
      resetAt: null,
      source: "estimate",
      requestsLastMinute: 3,
    });
    expect(badgeFor(state, T0).title).toBe(
      "api.casola.ai: no limit known, 3 requests in the last minute (estimate)",
    );
  });

  it("leaves out a reset time that has passed", () => {
    expect(badgeFor(stateWith({ resetAt: T0 - 1 }), T0).title).toBe("api.casola.ai: 42/100 left");
  });
});

describe("when the badge changes by itself", () => {
  it("is at the end of a Retry-After or at a reset, whichever comes first", () => {
    expect(nextBadgeChange(stateWith({ retryAfterUntil: T0 + 5000 }), T0)).toBe(T0 + 5000);
    expect(nextBadgeChange(stateWith({}), T0)).toBe(T0 + 31_000);
    expect(nextBadgeChange(stateWith({ resetAt: null }), T0)).toBeUndefined();
    expect(nextBadgeChange(stateWith({}, "other"), T0)).toBeUndefined();
  });
});

describe("a host with several meters", () => {
  /** OpenAI's two budgets as its headers state them: tokens used up, requests plenty. */
  const tokensBind = casolaBudget({
    host: "api.openai.com",
    provider: "generic",
    limit: 30_000,
    remaining: 0,
    resetAt: T0 + 6000,
    meters: [
      {
        name: "tokens",
        unit: "tokens",
        limit: 30_000,
        remaining: 0,
        resetAt: T0 + 6000,
        source: "headers",
      },
      {
        name: "requests",
        unit: "requests",
        limit: 500,
        remaining: 499,
        resetAt: T0 + 120,
        source: "headers",
      },
    ],
  });
  const onOpenai = (budget: BudgetState): BackgroundState => ({
    now: T0,
    hosts: [{ budget, errors: [], lastSeen: T0 }],
    activeHost: "api.openai.com",
    findings: 0,
    cost: [],
  });

  it("shows the binding meter, and names it in the tooltip", () => {
    expect(badgeFor(onOpenai(tokensBind), T0)).toEqual({
      text: "0",
      color: BADGE_COLORS.red,
      title: "api.openai.com, tokens: 0/30000 left, resets 10:00:06",
    });
  });

  it("follows whichever meter binds: requests, when they have the least left", () => {
    const requestsBind = {
      ...tokensBind,
      limit: 500,
      remaining: 3,
      resetAt: T0 + 120,
      meters: [
        {
          name: "requests",
          unit: "requests",
          limit: 500,
          remaining: 3,
          resetAt: T0 + 120,
          source: "headers",
        },
        {
          name: "tokens",
          unit: "tokens",
          limit: 30_000,
          remaining: 29_000,
          resetAt: T0 + 6000,
          source: "headers",
        },
      ],
    } satisfies BudgetState;
    expect(badgeFor(onOpenai(requestsBind), T0)).toMatchObject({
      text: "3",
      color: BADGE_COLORS.red,
      title: "api.openai.com, requests: 3/500 left, resets 10:00:00",
    });
  });

  it("names no meter for a host with one, however it is named", () => {
    const one = casolaBudget({
      meters: [
        {
          name: "core",
          unit: "requests",
          limit: 100,
          remaining: 42,
          resetAt: T0 + 31_000,
          source: "headers",
        },
      ],
    });
    expect(badgeFor(stateWith(one), T0).title).toBe("api.casola.ai: 42/100 left, resets 10:00:31");
  });

  it("changes by itself at the first reset of any meter, which may hand the headline over", () => {
    expect(nextBadgeChange(onOpenai(tokensBind), T0)).toBe(T0 + 120);
    expect(nextBadgeChange(onOpenai(tokensBind), T0 + 120)).toBe(T0 + 6000);
  });
});

describe("the badge of a host the core gives several meters", () => {
  /** A GitHub response: the resource it drew on and that resource's figures, in Unix seconds. */
  const github = (resource: string, remaining: number, at: number) =>
    entry({
      url: "https://api.github.com/graphql",
      startedDateTime: at,
      body: "{}",
      headers: {
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": String(remaining),
        "x-ratelimit-reset": String(Math.floor((T0 + 600_000) / 1000)),
        "x-ratelimit-resource": resource,
      },
    });

  it("follows the meter with the least left, whichever resource answered last", () => {
    const analyzer = new Analyzer({ hosts: presetHosts(["github"]), rules: false });
    analyzer.add(github("graphql", 12, T0), 0);
    analyzer.add(github("core", 4990, T0 + 1000), 1);
    const budget = analyzer.budgetOf("api.github.com", T0 + 2000);
    if (budget === undefined) throw new Error("no budget for api.github.com");
    expect(budget.meters.map((m) => m.name)).toEqual(["graphql", "core"]);
    const state: BackgroundState = {
      now: T0 + 2000,
      hosts: [{ budget, errors: [], lastSeen: T0 + 2000 }],
      activeHost: "api.github.com",
      findings: 0,
      cost: [],
    };
    expect(badgeFor(state, T0 + 2000)).toEqual({
      text: "12",
      color: BADGE_COLORS.red,
      title: "api.github.com, graphql: 12/5000 left, resets 10:10:00",
    });
  });
});
