import { describe, expect, it } from "vitest";
import { oneMeter } from "../../../test/support/budget.js";
import { type EntryOptions, exchange, httpDate, T0 } from "../../../test/support/har.js";
import type { LimitSetting, ProviderId } from "../types.js";
import { type BudgetState, BudgetTracker, skewOf, toHostBudget } from "./budget-tracker.js";

const CASOLA = "https://api.casola.ai/v1/jobs";
const CUADRA = "https://api.cuadra.ai/v1/chat";

/** Feeds the tracker one response per item, in order, as the analyzer does. */
function track(
  items: readonly EntryOptions[],
  provider: ProviderId | null,
  settings: readonly LimitSetting[] = [],
): BudgetTracker {
  const tracker = new BudgetTracker(settings);
  items.forEach((options, index) => {
    tracker.observe(exchange(options, index), provider);
  });
  return tracker;
}

/** One response from Casola's API at T0, instant unless `response` says how long it took. */
function trackCasola(response: Omit<EntryOptions, "url">): BudgetTracker {
  return track([{ url: CASOLA, time: 0, ...response }], "casola");
}

/** Expects `tracker` to estimate Cuadra's budget at `at` (counting requests) as `expected` says. */
function expectCuadraEstimate(
  tracker: BudgetTracker,
  at: number,
  expected: Partial<BudgetState>,
): void {
  expect(tracker.stateAt("api.cuadra.ai", at)).toMatchObject({ ...expected, source: "estimate" });
}

/** `count` successful requests one second apart from `from`, each lasting 100 ms. */
function requests(count: number, from = T0, url = CUADRA): EntryOptions[] {
  return Array.from({ length: count }, (_, i) => ({
    url,
    startedDateTime: from + i * 1000,
    time: 100,
  }));
}

describe("BudgetTracker with rate-limit headers", () => {
  it("reports the stated budget with source headers", () => {
    const headers = {
      "X-RateLimit-Limit": "100",
      "X-RateLimit-Remaining": "42",
      "X-RateLimit-Reset": "30",
    };
    expect(trackCasola({ headers }).stateAt("api.casola.ai", T0 + 1000)).toMatchObject({
      host: "api.casola.ai",
      provider: "casola",
      limit: 100,
      remaining: 42,
      resetAt: T0 + 30_000,
      source: "headers",
    });
  });

  it("reads the IETF fields the same way", () => {
    const headers = {
      RateLimit: '"default";r=50;t=30',
      "RateLimit-Policy": '"default";q=100;w=60',
    };
    expect(trackCasola({ headers }).stateAt("api.casola.ai", T0)).toMatchObject({
      limit: 100,
      remaining: 50,
      resetAt: T0 + 30_000,
      source: "headers",
    });
  });

  it("turns the state into the CLI's JSON with ISO times and nulls", () => {
    const tracker = trackCasola({
      headers: { "X-RateLimit-Remaining": "5", "X-RateLimit-Reset": "30" },
    });
    const state = tracker.stateAt("api.casola.ai", T0);
    expect(state && toHostBudget(state)).toEqual(
      oneMeter({
        host: "api.casola.ai",
        provider: "casola",
        limit: null,
        remaining: 5,
        resetAt: new Date(T0 + 30_000).toISOString(),
        retryAfterUntil: null,
        source: "headers",
      }),
    );
  });

  it("knows nothing of a host it has not seen", () => {
    expect(new BudgetTracker().stateAt("api.casola.ai", T0)).toBeUndefined();
  });
});

describe("clock skew", () => {
  const end = T0 + 1000;
  const serverNow = end + 120_000;

  it("is the response's Date minus its local receive time", () => {
    expect(skewOf(exchange({ time: 1000, headers: { Date: httpDate(serverNow) } }))).toBe(120_000);
    expect(skewOf(exchange({ time: 1000 }))).toBe(0);
  });

  it("compares an absolute X-RateLimit-Reset in server time", () => {
    const tracker = trackCasola({
      status: 429,
      time: 1000,
      headers: {
        Date: httpDate(serverNow),
        "X-RateLimit-Limit": "60",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": String((serverNow + 30_000) / 1000),
      },
    });
    const state = tracker.stateAt("api.casola.ai", end);
    expect(state).toMatchObject({ remaining: 0, resetAt: end + 30_000, skewMs: 120_000 });
    expect(tracker.exhaustedAt("api.casola.ai", end + 20_000)).toMatchObject({
      reason: "remaining-zero",
      until: end + 30_000,
    });
    // Read in local time, the reset would still be 2.5 minutes away here.
    expect(tracker.exhaustedAt("api.casola.ai", end + 60_000)).toBeUndefined();
  });

  it("is ignored when it is under a second, the resolution of Date", () => {
    const received = T0 + 400;
    const tracker = trackCasola({
      time: 400,
      headers: {
        Date: httpDate(T0),
        "X-RateLimit-Remaining": "3",
        "X-RateLimit-Reset": String(T0 / 1000 + 30),
      },
    });
    expect(skewOf(exchange({ time: 400, headers: { Date: httpDate(T0) } }))).toBe(0);
    expect(tracker.stateAt("api.casola.ai", received)).toMatchObject({
      skewMs: 0,
      resetAt: T0 + 30_000,
    });
  });

  it("measures an HTTP-date Retry-After against the response's Date", () => {
    const tracker = trackCasola({
      status: 429,
      time: 1000,
      headers: { Date: httpDate(serverNow), "Retry-After": httpDate(serverNow + 45_000) },
    });
    expect(tracker.stateAt("api.casola.ai", end)?.retryAfterUntil).toBe(end + 45_000);
    expect(tracker.exhaustedAt("api.casola.ai", end + 10_000)).toMatchObject({
      reason: "retry-after",
      retryAfterSeconds: 45,
      toleranceMs: 1000,
    });
  });

  it("measures an HTTP-date Retry-After against the receive time when there is no Date", () => {
    const tracker = trackCasola({
      status: 429,
      time: 1000,
      headers: { "Retry-After": httpDate(end + 20_000) },
    });
    expect(tracker.stateAt("api.casola.ai", end)?.retryAfterUntil).toBe(end + 20_000);
  });
});

describe("estimates", () => {
  it("counts cuadra requests against 60 per minute when no header tells the budget", () => {
    const tracker = track(requests(10), "cuadra");
    expectCuadraEstimate(tracker, T0 + 10_000, {
      provider: "cuadra",
      limit: 60,
      remaining: 50,
      resetAt: T0 + 60_000,
      limitFrom: "documented",
      requestsLastMinute: 10,
    });
  });

  it("slides the window: requests older than a minute no longer count", () => {
    const tracker = track(requests(10), "cuadra");
    expectCuadraEstimate(tracker, T0 + 64_500, {
      remaining: 55,
      resetAt: T0 + 5000 + 60_000,
    });
  });

  it("never goes below zero", () => {
    const tracker = track(
      Array.from({ length: 70 }, (_, i) => ({ url: CUADRA, startedDateTime: T0 + i * 100 })),
      "cuadra",
    );
    expect(tracker.stateAt("api.cuadra.ai", T0 + 7000)?.remaining).toBe(0);
  });

  it("uses the limit the user set over the documented one", () => {
    const tracker = track(requests(10), "cuadra", [
      { host: "API.CUADRA.AI", limit: 20, windowSeconds: 60 },
    ]);
    expectCuadraEstimate(tracker, T0 + 10_000, {
      limit: 20,
      remaining: 10,
      limitFrom: "setting",
    });
  });

  it("applies a setting for a hostname to that host on any port", () => {
    const tracker = track(requests(3, T0, "http://127.0.0.1:8080/v1/jobs"), null, [
      { host: "127.0.0.1", limit: 5, windowSeconds: 10 },
    ]);
    expect(tracker.stateAt("127.0.0.1:8080", T0 + 2500)).toMatchObject({
      limit: 5,
      remaining: 2,
      resetAt: T0 + 10_000,
      source: "estimate",
      limitFrom: "setting",
    });
  });

  it("has no limit to estimate for a host without headers, documentation or setting", () => {
    const tracker = track(requests(3, T0, CASOLA), "casola");
    expect(tracker.stateAt("api.casola.ai", T0 + 3000)).toMatchObject({
      limit: null,
      remaining: null,
      resetAt: null,
      source: "estimate",
      requestsLastMinute: 3,
    });
  });

  it("is corrected when a header arrives, and counts on from it as an estimate", () => {
    const tracker = new BudgetTracker();
    const items: EntryOptions[] = [
      ...requests(10),
      {
        url: CUADRA,
        startedDateTime: T0 + 10_000,
        time: 0,
        headers: {
          "X-RateLimit-Limit": "60",
          "X-RateLimit-Remaining": "20",
          "X-RateLimit-Reset": "30",
        },
      },
    ];
    items.forEach((options, index) => {
      tracker.observe(exchange(options, index), "cuadra");
    });
    expect(tracker.stateAt("api.cuadra.ai", T0 + 10_000)).toMatchObject({
      limit: 60,
      remaining: 20,
      resetAt: T0 + 40_000,
      source: "headers",
    });
    expect(tracker.stateAt("api.cuadra.ai", T0 + 10_000)).not.toHaveProperty("limitFrom");

    tracker.observe(exchange({ url: CUADRA, startedDateTime: T0 + 11_000 }, 11), "cuadra");
    tracker.observe(exchange({ url: CUADRA, startedDateTime: T0 + 12_000 }, 12), "cuadra");
    expectCuadraEstimate(tracker, T0 + 13_000, {
      limit: 60,
      remaining: 18,
      limitFrom: "headers",
    });
  });

  it("says where an estimate's limit came from: headers before a setting, a setting before the document", () => {
    const setting: LimitSetting[] = [{ host: "api.cuadra.ai", limit: 20, windowSeconds: 60 }];
    const stated: EntryOptions = {
      url: CUADRA,
      startedDateTime: T0,
      headers: {
        "X-RateLimit-Limit": "50",
        "X-RateLimit-Remaining": "49",
        "X-RateLimit-Reset": "5",
      },
    };
    // After the stated reset the budget is counted again, against the limit the header stated.
    expect(track([stated], "cuadra", setting).stateAt("api.cuadra.ai", T0 + 6000)).toMatchObject({
      limit: 50,
      source: "estimate",
      limitFrom: "headers",
    });
    // Remaining alone, counted down: the limit is the user's.
    const remainingOnly: EntryOptions = { ...stated, headers: { "X-RateLimit-Remaining": "9" } };
    const counted = track(
      [remainingOnly, { url: CUADRA, startedDateTime: T0 + 500 }],
      "cuadra",
      setting,
    );
    expectCuadraEstimate(counted, T0 + 1000, {
      limit: 20,
      remaining: 8,
      limitFrom: "setting",
    });
    // No limit at all: nothing to say where it came from.
    expect(
      track(requests(1, T0, CASOLA), "casola").stateAt("api.casola.ai", T0 + 1000),
    ).not.toHaveProperty("limitFrom");
    // The CLI's JSON stays as it was: the origin is for the views' label.
    const state = track(requests(1), "cuadra").stateAt("api.cuadra.ai", T0 + 1000);
    expect(state?.limitFrom).toBe("documented");
    expect(toHostBudget(state as NonNullable<typeof state>)).not.toHaveProperty("limitFrom");
  });

  it("goes back to counting once the stated reset has passed", () => {
    const exhausted: EntryOptions = {
      url: CUADRA,
      time: 0,
      headers: {
        "X-RateLimit-Limit": "60",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": "30",
      },
    };
    const counted = track([exhausted, ...requests(2, T0 + 31_000)], "cuadra");
    expectCuadraEstimate(counted, T0 + 33_000, {
      limit: 60,
      remaining: 58,
    });
  });

  it("keeps the newest limit when an older response finishes last", () => {
    const tracker = new BudgetTracker([]);
    const newer = exchange(
      {
        url: CASOLA,
        startedDateTime: T0 + 1000,
        time: 100,
        headers: { "X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "90" },
      },
      1,
    );
    const older = exchange(
      {
        url: CASOLA,
        startedDateTime: T0,
        time: 50,
        headers: { "X-RateLimit-Limit": "10", "X-RateLimit-Remaining": "9" },
      },
      0,
    );
    tracker.observe(newer, "casola");
    tracker.observe(older, "casola");
    expect(tracker.stateAt("api.casola.ai", T0 + 2000)).toMatchObject({
      limit: 100,
      remaining: 90,
    });
    // Once the stated window has passed, the estimate counts against the newest limit too.
    expect(tracker.stateAt("api.casola.ai", T0 + 5 * 60_000)).toMatchObject({ limit: 100 });
  });

  it("learns the limit and window from a policy alone", () => {
    const policy = { url: CASOLA, time: 0, headers: { "RateLimit-Policy": '"burst";q=5;w=10' } };
    const counted = track([policy, ...requests(2, T0 + 1000, CASOLA)], "casola");
    expect(counted.stateAt("api.casola.ai", T0 + 3000)).toMatchObject({
      limit: 5,
      remaining: 2,
      source: "estimate",
    });
  });
});

describe("a success after 0 remaining", () => {
  const host = "api.cuadra.ai";
  /** Cuadra's 429: Limit 60, Remaining 0, Retry-After 2, and a reset only when `reset` is given. */
  const tooMany = (reset?: string): EntryOptions => ({
    url: CUADRA,
    status: 429,
    time: 100,
    headers: {
      "X-RateLimit-Limit": "60",
      "X-RateLimit-Remaining": "0",
      "Retry-After": "2",
      ...(reset === undefined ? {} : { "X-RateLimit-Reset": reset }),
    },
  });
  /** The retry 2.6 s later, accepted, with no rate-limit header. */
  const accepted: EntryOptions = {
    url: CUADRA,
    status: 201,
    startedDateTime: T0 + 2600,
    time: 100,
  };

  it("ends a 0 remaining that stated no reset: the estimate counts on from the success", () => {
    const tracker = track([tooMany(), accepted], "cuadra");
    // Before the success, the stated 0 holds.
    expect(track([tooMany()], "cuadra").stateAt(host, T0 + 2000)).toMatchObject({
      limit: 60,
      remaining: 0,
      source: "headers",
    });
    expect(tracker.stateAt(host, T0 + 3000)).toMatchObject({
      limit: 60,
      remaining: 59,
      source: "estimate",
    });
    // And it stays ended: a minute on, nothing holds it at 0.
    expect(tracker.stateAt(host, T0 + 60_000)?.remaining).toBeGreaterThan(0);
  });

  it("lets a stated reset stand after a success: the budget stays 0 until then", () => {
    const tracker = track([tooMany("30"), accepted], "cuadra");
    // Counted down from the stated 0 (so labelled an estimate), it is still 0 until the reset.
    expect(tracker.stateAt(host, T0 + 3000)).toMatchObject({
      limit: 60,
      remaining: 0,
      resetAt: T0 + 30_100,
    });
    expect(tracker.exhaustedAt(host, T0 + 5000)).toMatchObject({
      reason: "remaining-zero",
      until: T0 + 30_100,
    });
    // After the stated reset, it counts again.
    expect(tracker.stateAt(host, T0 + 31_000)?.remaining).toBeGreaterThan(0);
  });

  it("is not ended by a failure, or by a success sent before the 0 was stated", () => {
    const failedAgain = track([tooMany(), { ...accepted, status: 503 }], "cuadra");
    expect(failedAgain.stateAt(host, T0 + 3000)?.remaining).toBe(0);
    const earlier = new BudgetTracker();
    earlier.observe(exchange({ url: CUADRA, startedDateTime: T0 - 1000, time: 1200 }, 0), "cuadra");
    earlier.observe(exchange(tooMany(), 1), "cuadra");
    // The success started before the 429's answer and finished after it: no evidence.
    expect(earlier.stateAt(host, T0 + 1000)).toMatchObject({ remaining: 0, source: "headers" });
  });
});

describe("exhaustedAt", () => {
  const host = "api.casola.ai";
  const exhausted: EntryOptions = {
    url: CASOLA,
    status: 429,
    time: 0,
    headers: {
      "X-RateLimit-Limit": "60",
      "X-RateLimit-Remaining": "0",
      "X-RateLimit-Reset": "30",
    },
  };

  it("holds from a response saying remaining 0 until the reset", () => {
    const tracker = track([exhausted], "casola");
    expect(tracker.exhaustedAt(host, T0 + 10_000)).toEqual({
      from: T0,
      until: T0 + 30_000,
      toleranceMs: 1000,
      index: 0,
      reason: "remaining-zero",
      status: 429,
      limit: 60,
      retryAfterSeconds: undefined,
      meter: "requests",
      unit: "requests",
    });
    expect(tracker.exhaustedAt(host, T0 - 1)).toBeUndefined();
    expect(tracker.exhaustedAt(host, T0 + 29_500)).toBeUndefined();
    expect(tracker.exhaustedAt(host, T0 + 31_000)).toBeUndefined();
  });

  it("holds from a 429 or a 503 with Retry-After for that long", () => {
    for (const status of [429, 503]) {
      const tracker = trackCasola({ status, headers: { "Retry-After": "20" } });
      expect(tracker.exhaustedAt(host, T0 + 19_000), String(status)).toMatchObject({
        reason: "retry-after",
        status,
        until: T0 + 20_000,
        toleranceMs: 500,
        retryAfterSeconds: 20,
      });
      expect(tracker.exhaustedAt(host, T0 + 19_600), String(status)).toBeUndefined();
      expect(tracker.stateAt(host, T0)?.retryAfterUntil, String(status)).toBe(T0 + 20_000);
    }
  });

  it("does not hold for a Retry-After on other statuses, though the wait is reported", () => {
    const tracker = trackCasola({ status: 500, headers: { "Retry-After": "20" } });
    expect(tracker.exhaustedAt(host, T0 + 5000)).toBeUndefined();
    expect(tracker.stateAt(host, T0 + 5000)?.retryAfterUntil).toBe(T0 + 20_000);
  });

  it("ignores Retry-After on a successful response", () => {
    const tracker = trackCasola({ headers: { "Retry-After": "20" } });
    expect(tracker.stateAt(host, T0)?.retryAfterUntil).toBeNull();
  });

  it("is closed by a later response saying remaining is above 0", () => {
    const tracker = track(
      [
        exhausted,
        {
          url: CASOLA,
          startedDateTime: T0 + 9000,
          time: 1000,
          headers: { "X-RateLimit-Remaining": "5", "X-RateLimit-Reset": "20" },
        },
      ],
      "casola",
    );
    expect(tracker.exhaustedAt(host, T0 + 5000)?.until).toBe(T0 + 10_000);
    expect(tracker.exhaustedAt(host, T0 + 15_000)).toBeUndefined();
    expect(tracker.stateAt(host, T0 + 15_000)).toMatchObject({ remaining: 5, source: "headers" });
  });

  it("is not opened by remaining 0 without a reset time", () => {
    const tracker = trackCasola({ status: 429, headers: { "X-RateLimit-Remaining": "0" } });
    expect(tracker.exhaustedAt(host, T0 + 1000)).toBeUndefined();
  });

  it("keeps hosts apart", () => {
    const tracker = track([exhausted], "casola");
    expect(tracker.exhaustedAt("api.eu.casola.ai", T0 + 1000)).toBeUndefined();
  });
});

describe("reportedHosts", () => {
  it("lists API hosts and other hosts that stated a budget or a Retry-After", () => {
    const tracker = new BudgetTracker();
    tracker.observe(exchange({ url: CUADRA }, 0), "cuadra");
    tracker.observe(exchange({ url: "https://cdn.example.com/app.js" }, 1), null);
    tracker.observe(
      exchange({ url: "https://example.com/api", headers: { "X-RateLimit-Remaining": "1" } }, 2),
      null,
    );
    tracker.observe(
      exchange(
        { url: "https://other.example/api", status: 503, headers: { "Retry-After": "1" } },
        3,
      ),
      null,
    );
    expect(tracker.reportedHosts()).toEqual(["api.cuadra.ai", "example.com", "other.example"]);
    expect(tracker.hosts()).toHaveLength(4);
  });
});

describe("meters", () => {
  const GITHUB = "https://api.github.com/repos/o/r";
  const github = (resource: string, limit: number, remaining: number, start: number) => ({
    url: GITHUB,
    startedDateTime: start,
    time: 100,
    headers: {
      "x-ratelimit-limit": String(limit),
      "x-ratelimit-remaining": String(remaining),
      "x-ratelimit-reset": String(Math.floor(T0 / 1000) + 3600),
      "x-ratelimit-resource": resource,
    },
  });

  it("binds on the least share left, not the least left", () => {
    const tracker = track([github("search", 30, 5, T0), github("core", 5000, 10, T0 + 1000)], null);
    const state = tracker.stateAt("api.github.com", T0 + 2000);
    expect(state?.meters.map((m) => [m.name, m.remaining])).toEqual([
      ["core", 10],
      ["search", 5],
    ]);
    expect(state).toMatchObject({ limit: 5000, remaining: 10, source: "headers" });
  });

  it("puts a meter at 0 first whatever its share", () => {
    const tracker = track([github("search", 30, 1, T0), github("core", 1, 0, T0 + 1000)], null);
    expect(tracker.stateAt("api.github.com", T0 + 2000)?.meters[0]?.name).toBe("core");
  });

  it("leaves out a meter that knows nothing next to meters that stated a budget", () => {
    // A request whose response named no resource is counted, but is no budget of its own.
    const tracker = track([github("core", 5000, 4999, T0), { url: GITHUB, status: 502 }], null);
    const state = tracker.stateAt("api.github.com", T0 + 2000);
    expect(state?.meters.map((m) => m.name)).toEqual(["core"]);
    expect(state?.requestsLastMinute).toBe(2);
  });

  it("gives a host with no figures at all one unknown meter", () => {
    const tracker = track([{ url: "https://api.casola.ai/v1/jobs" }], "casola");
    expect(tracker.stateAt("api.casola.ai", T0 + 1000)?.meters).toEqual([
      {
        name: "requests",
        unit: "requests",
        limit: null,
        remaining: null,
        resetAt: null,
        source: "estimate",
      },
    ]);
  });
});

describe("a 2xx after a Retry-After", () => {
  const host = "api.casola.ai";
  const limited = {
    url: CASOLA,
    status: 429,
    startedDateTime: T0,
    time: 100,
    headers: { "Retry-After": "30" },
  };
  const ok = (start: number, time = 100) => ({ url: CASOLA, startedDateTime: start, time });

  it("ends the Retry-After for the views once the server answers again", () => {
    const before = track([limited], "casola");
    expect(before.stateAt(host, T0 + 5000)?.retryAfterUntil).toBe(T0 + 30_100);
    const after = track([limited, ok(T0 + 2000)], "casola");
    expect(after.stateAt(host, T0 + 5000)?.retryAfterUntil).toBeNull();
    // The rules still judge a request by the window in force when it left.
    expect(after.exhaustedAt(host, T0 + 1000)).toMatchObject({ reason: "retry-after" });
    expect(after.reportedHosts()).toEqual([host]);
  });

  it("is not ended by a 2xx sent before the Retry-After was stated, nor by a 3xx or an error", () => {
    // Started before the 429 ended: accepted before the server said wait.
    const early = track([ok(T0 - 500, 1000), limited], "casola");
    expect(early.stateAt(host, T0 + 5000)?.retryAfterUntil).toBe(T0 + 30_100);
    for (const status of [304, 500]) {
      const other = track([limited, { ...ok(T0 + 2000), status }], "casola");
      expect(other.stateAt(host, T0 + 5000)?.retryAfterUntil, String(status)).toBe(T0 + 30_100);
    }
  });

  it("holds again for a later Retry-After", () => {
    const again = track(
      [limited, ok(T0 + 2000), { ...limited, startedDateTime: T0 + 3000 }],
      "casola",
    );
    expect(again.stateAt(host, T0 + 5000)?.retryAfterUntil).toBe(T0 + 33_100);
  });

  it("takes a wait stated outside the headers when the headers state none", () => {
    const tracker = new BudgetTracker();
    const { headers: _, ...bare } = limited;
    tracker.observe(exchange(bare, 0), "casola", { seconds: 38, dated: false });
    expect(tracker.stateAt(host, T0 + 5000)?.retryAfterUntil).toBe(T0 + 38_100);
    expect(tracker.exhaustedAt(host, T0 + 30_000)).toMatchObject({ retryAfterSeconds: 38 });
    const headerWins = new BudgetTracker();
    headerWins.observe(exchange(limited, 0), "casola", { seconds: 38, dated: false });
    expect(headerWins.stateAt(host, T0 + 5000)?.retryAfterUntil).toBe(T0 + 30_100);
  });
});
