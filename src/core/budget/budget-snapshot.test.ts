import { describe, expect, it } from "vitest";
import { type EntryOptions, exchange, T0 } from "../../../test/support/har.js";
import type { LimitSetting, ProviderId } from "../types.js";
import { BudgetTracker } from "./budget-tracker.js";

const CASOLA = "https://api.casola.ai/v1/jobs";
const CUADRA = "https://api.cuadra.ai/v1/chat";

function feed(tracker: BudgetTracker, items: readonly EntryOptions[], provider: ProviderId | null) {
  items.forEach((options, index) => {
    tracker.observe(exchange(options, index), provider);
  });
}

/** Through JSON, as storage.session keeps it. */
const stored = (tracker: BudgetTracker): unknown => JSON.parse(JSON.stringify(tracker.snapshot()));

const session: EntryOptions[] = [
  {
    url: CASOLA,
    startedDateTime: T0,
    time: 100,
    headers: {
      "X-RateLimit-Limit": "100",
      "X-RateLimit-Remaining": "3",
      "X-RateLimit-Reset": "30",
    },
  },
  { url: CASOLA, startedDateTime: T0 + 1000, time: 100 },
  {
    url: CASOLA,
    startedDateTime: T0 + 2000,
    time: 100,
    status: 429,
    headers: { "Retry-After": "20", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "28" },
  },
];

describe("a budget snapshot", () => {
  it("restores a tracker that reports what the original reports, at any later moment", () => {
    const original = new BudgetTracker();
    feed(original, session, "casola");
    const restored = BudgetTracker.restore(stored(original));
    for (const at of [T0 + 2500, T0 + 10_000, T0 + 25_000, T0 + 40_000, T0 + 120_000])
      expect(restored.stateAt("api.casola.ai", at)).toEqual(original.stateAt("api.casola.ai", at));
    expect(restored.exhaustedAt("api.casola.ai", T0 + 5000)).toEqual(
      original.exhaustedAt("api.casola.ai", T0 + 5000),
    );
    expect(restored.reportedHosts()).toEqual(original.reportedHosts());
  });

  it("keeps every meter of a host, and a Retry-After a 2xx ended", () => {
    const github = (resource: string, remaining: number, start: number): EntryOptions => ({
      url: "https://api.github.com/search/code",
      startedDateTime: start,
      time: 100,
      headers: {
        "x-ratelimit-limit": "30",
        "x-ratelimit-remaining": String(remaining),
        "x-ratelimit-reset": String(Math.floor(T0 / 1000) + 60),
        "x-ratelimit-resource": resource,
      },
    });
    const original = new BudgetTracker();
    feed(
      original,
      [
        github("search", 0, T0),
        github("core", 29, T0 + 500),
        { ...github("search", 0, T0 + 1000), status: 403, headers: { "Retry-After": "30" } },
        github("core", 28, T0 + 2000),
      ],
      null,
    );
    const restored = BudgetTracker.restore(stored(original));
    for (const at of [T0 + 2500, T0 + 40_000, T0 + 70_000]) {
      const state = original.stateAt("api.github.com", at);
      expect(state?.meters.map((m) => m.name)).toEqual(["search", "core"]);
      expect(restored.stateAt("api.github.com", at)).toEqual(state);
    }
    for (const meters of [["search"], ["core"], undefined]) {
      expect(restored.exhaustedAt("api.github.com", T0 + 1500, meters)).toEqual(
        original.exhaustedAt("api.github.com", T0 + 1500, meters),
      );
    }
  });

  it("goes on counting after a restore exactly as without one", () => {
    const later: EntryOptions[] = [3, 4, 5].map((s) => ({
      url: CUADRA,
      startedDateTime: T0 + s * 1000,
      time: 50,
    }));
    const straight = new BudgetTracker();
    feed(straight, [...requests(3), ...later], "cuadra");
    const halfway = new BudgetTracker();
    feed(halfway, requests(3), "cuadra");
    const resumed = BudgetTracker.restore(stored(halfway));
    later.forEach((options, i) => {
      resumed.observe(exchange(options, 3 + i), "cuadra");
    });
    expect(resumed.stateAt("api.cuadra.ai", T0 + 10_000)).toEqual(
      straight.stateAt("api.cuadra.ai", T0 + 10_000),
    );
  });

  it("takes the limits it is restored with, so a settings change applies to what was seen", () => {
    const tracker = new BudgetTracker();
    feed(tracker, requests(2, T0, "https://staging.example/v1"), null);
    const limits: LimitSetting[] = [{ host: "staging.example", limit: 10, windowSeconds: 60 }];
    expect(
      BudgetTracker.restore(stored(tracker), limits).stateAt("staging.example", T0 + 3000),
    ).toMatchObject({ limit: 10, remaining: 8, source: "estimate", limitFrom: "setting" });
  });

  it("keeps only the start times still in the window", () => {
    const tracker = new BudgetTracker();
    feed(tracker, requests(200, T0), "cuadra");
    const [state] = tracker.snapshot().states;
    expect(state?.starts.length).toBeLessThanOrEqual(61);
  });

  it("reads garbage as an empty tracker and drops broken states", () => {
    for (const garbage of [undefined, null, 42, "x", [], { v: 2, states: [] }, { v: 1 }])
      expect(BudgetTracker.restore(garbage).hosts()).toEqual([]);
    const tracker = new BudgetTracker();
    feed(tracker, session, "casola");
    const snapshot = stored(tracker) as { v: 1; states: unknown[] };
    snapshot.states.push({ host: 7 }, null, { host: "x", resource: "" });
    expect(BudgetTracker.restore(snapshot).hosts()).toEqual(["api.casola.ai"]);
  });

  it("forgets a host entirely", () => {
    const tracker = new BudgetTracker();
    feed(tracker, session, "casola");
    feed(tracker, requests(1), "cuadra");
    tracker.forget("api.casola.ai");
    expect(tracker.hosts()).toEqual(["api.cuadra.ai"]);
    expect(tracker.stateAt("api.casola.ai", T0)).toBeUndefined();
  });
});

/** `count` successful requests one second apart from `from`, each lasting 100 ms. */
function requests(count: number, from = T0, url = CUADRA): EntryOptions[] {
  return Array.from({ length: count }, (_, i) => ({
    url,
    startedDateTime: from + i * 1000,
    time: 100,
  }));
}
