import { describe, expect, it } from "vitest";
import { T0 } from "../../test/support/har.js";
import type { ObservedRequest } from "../messaging/protocol.js";
import { DEFAULT_SETTINGS, type Settings } from "../settings/settings.js";
import type { CompletedDetails, ErrorDetails } from "./ports.js";
import {
  computeState,
  dropTab,
  emptyLog,
  MAX_OBSERVATIONS,
  type Observation,
  observationOf,
  prune,
  recordPanel,
  recordResponse,
  recordStart,
  setFindings,
  type TrafficLog,
  tabBudgets,
} from "./traffic-log.js";

const CASOLA = "https://api.casola.ai/v1/jobs";
const CUADRA = "https://api.cuadra.ai/v1/chat";

function settings(overrides: Partial<Settings> = {}): Settings {
  return { ...DEFAULT_SETTINGS, hosts: [], limits: [], ...overrides };
}

let nextId = 0;

interface Response {
  url?: string;
  status?: number;
  /** Epoch ms the response ended. */
  at?: number;
  tabId?: number;
  headers?: Record<string, string>;
  requestId?: string;
  fromCache?: boolean;
}

function completed(options: Response = {}): CompletedDetails {
  return {
    requestId: options.requestId ?? String(++nextId),
    url: options.url ?? CASOLA,
    method: "GET",
    tabId: options.tabId ?? 1,
    timeStamp: options.at ?? T0,
    statusCode: options.status ?? 200,
    responseHeaders: Object.entries(options.headers ?? {}).map(([name, value]) => ({
      name,
      value,
    })),
    ...(options.fromCache === undefined ? {} : { fromCache: options.fromCache }),
  };
}

function failed(options: Response = {}): ErrorDetails {
  return {
    requestId: String(++nextId),
    url: options.url ?? CASOLA,
    method: "POST",
    tabId: options.tabId ?? 1,
    timeStamp: options.at ?? T0,
    error: "net::ERR_CONNECTION_RESET",
  };
}

/** The log after each response in turn, as the background records them. */
function record(
  responses: readonly (CompletedDetails | ErrorDetails)[],
  s = settings(),
  log = emptyLog(),
): TrafficLog {
  return responses.reduce(
    (acc, details) => recordResponse(acc, details, s, details.timeStamp),
    log,
  );
}

function observation(overrides: Partial<Observation> = {}): Observation {
  return {
    tabId: 1,
    url: CASOLA,
    method: "GET",
    status: 200,
    start: T0,
    end: T0,
    headers: [],
    code: null,
    via: "webRequest",
    ...overrides,
  };
}

describe("what the background keeps of a response", () => {
  it("keeps only the headers that speak of the rate limit, never cookies or credentials", () => {
    const seen = observationOf(
      completed({
        status: 429,
        headers: {
          "Set-Cookie": "session=secret",
          Authorization: "Bearer secret",
          "WWW-Authenticate": "Bearer",
          "Content-Type": "application/json",
          "X-RateLimit-Limit": "100",
          "X-RateLimit-Remaining": "0",
          "x-ratelimit-reset-requests": "30s",
          RateLimit: '"default";r=0;t=30',
          "RateLimit-Policy": '"default";q=100;w=60',
          "Retry-After": "30",
          "retry-after-ms": "30000",
          Date: "Mon, 23 Nov 2026 10:00:00 GMT",
          "X-Should-Retry": "true",
        },
      }),
      undefined,
    );
    expect(seen.headers.map(([name]) => name)).toEqual([
      "x-ratelimit-limit",
      "x-ratelimit-remaining",
      "x-ratelimit-reset-requests",
      "ratelimit",
      "ratelimit-policy",
      "retry-after",
      "retry-after-ms",
      "date",
      "x-should-retry",
    ]);
    expect(JSON.stringify(seen)).not.toContain("secret");
  });

  it("times the request from onBeforeRequest and forgets the start once it ended", () => {
    const s = settings();
    const started = recordStart(
      emptyLog(),
      { requestId: "r1", url: CASOLA, method: "GET", tabId: 1, timeStamp: T0 },
      s,
    );
    expect(started.starts).toEqual({ r1: T0 });
    const log = record([completed({ requestId: "r1", at: T0 + 350 })], s, started);
    expect(log.observations).toEqual([observation({ start: T0, end: T0 + 350 })]);
    expect(log.starts).toEqual({});
  });

  it("takes the end as the start when the request's start was not seen", () => {
    const log = record([completed({ at: T0 + 350 })]);
    expect(log.observations[0]).toMatchObject({ start: T0 + 350, end: T0 + 350 });
  });

  it("records a network error as status 0", () => {
    const log = record([failed({ at: T0 + 10 })]);
    expect(log.observations).toEqual([
      observation({ method: "POST", status: 0, start: T0 + 10, end: T0 + 10 }),
    ]);
  });

  it("drops hosts that are not API hosts, and keeps those the user added", () => {
    const other = completed({ url: "https://example.com/api" });
    const empty = emptyLog();
    expect(recordResponse(empty, other, settings(), T0)).toBe(empty);
    expect(recordStart(empty, { ...other, requestId: "x", timeStamp: T0 }, settings())).toBe(empty);
    const staging = settings({ hosts: [{ host: "staging.casola.test", provider: "casola" }] });
    const log = record([completed({ url: "https://staging.casola.test/v1/jobs" })], staging);
    expect(log.observations).toHaveLength(1);
    expect(computeState(log, staging, T0, 1).hosts.map((h) => h.budget.host)).toEqual([
      "staging.casola.test",
    ]);
  });

  it("does not count a response served from the browser cache", () => {
    expect(record([completed({ fromCache: true })]).observations).toEqual([]);
  });
});

describe("the budget the background computes", () => {
  it("states the X-RateLimit headers' budget", () => {
    const log = record([
      completed({
        at: T0 + 100,
        headers: {
          "X-RateLimit-Limit": "100",
          "X-RateLimit-Remaining": "42",
          "X-RateLimit-Reset": "30",
        },
      }),
    ]);
    const state = computeState(log, settings(), T0 + 1000, 1);
    expect(state.hosts).toHaveLength(1);
    expect(state.hosts[0]?.budget).toMatchObject({
      host: "api.casola.ai",
      provider: "casola",
      limit: 100,
      remaining: 42,
      resetAt: T0 + 100 + 30_000,
      source: "headers",
    });
    expect(state.hosts[0]?.lastSeen).toBe(T0 + 100);
  });

  it("estimates cuadra's budget from the documented limit when no header tells it", () => {
    const log = record([0, 1, 2].map((i) => completed({ url: CUADRA, at: T0 + i * 1000 })));
    expect(computeState(log, settings(), T0 + 3000, 1).hosts[0]?.budget).toMatchObject({
      host: "api.cuadra.ai",
      provider: "cuadra",
      limit: 60,
      remaining: 57,
      source: "estimate",
      requestsLastMinute: 3,
    });
  });

  it("uses the limit the user set for a host", () => {
    const s = settings({ limits: [{ host: "api.casola.ai", limit: 10, windowSeconds: 60 }] });
    const log = record([completed(), completed({ at: T0 + 500 })], s);
    expect(computeState(log, s, T0 + 1000, 1).hosts[0]?.budget).toMatchObject({
      limit: 10,
      remaining: 8,
      source: "estimate",
    });
  });

  it("lists hosts most recently used first and names the asking tab's last host", () => {
    const log = record([
      completed({ url: CASOLA, at: T0, tabId: 1 }),
      completed({ url: CUADRA, at: T0 + 1000, tabId: 2 }),
      completed({ url: "https://api.eu.casola.ai/v1/jobs", at: T0 + 2000, tabId: 1 }),
    ]);
    const state = computeState(log, settings(), T0 + 3000, 2);
    expect(state.hosts.map((h) => h.budget.host)).toEqual([
      "api.eu.casola.ai",
      "api.cuadra.ai",
      "api.casola.ai",
    ]);
    expect(state.activeHost).toBe("api.cuadra.ai");
    expect(computeState(log, settings(), T0 + 3000, 1).activeHost).toBe("api.eu.casola.ai");
    expect(computeState(log, settings(), T0 + 3000, 9).activeHost).toBeNull();
    expect(computeState(log, settings(), T0 + 3000, null).activeHost).toBeNull();
  });

  it("computes only the active host for the badge when asked to", () => {
    const log = record([completed({ url: CUADRA, tabId: 2 }), completed({ tabId: 1 })]);
    const state = computeState(log, settings(), T0 + 1, 2, { activeHostOnly: true });
    expect(state.hosts.map((h) => h.budget.host)).toEqual(["api.cuadra.ai"]);
  });

  it("counts only one tab's requests in that tab's budgets", () => {
    const log = record([
      completed({ url: CUADRA, tabId: 1 }),
      completed({ url: CUADRA, tabId: 2, at: T0 + 10 }),
      completed({ url: CUADRA, tabId: 2, at: T0 + 20 }),
    ]);
    expect(tabBudgets(log, settings(), T0 + 100, 2).map((b) => b.remaining)).toEqual([58]);
    expect(computeState(log, settings(), T0 + 100, 2).hosts[0]?.budget.remaining).toBe(57);
  });

  it("sums the latest findings count of every tab, and forgets a closed tab's", () => {
    let log = setFindings(setFindings(emptyLog(), 1, 3), 2, 4);
    log = setFindings(log, 1, 1);
    expect(computeState(log, settings(), T0, null).findings).toBe(5);
    expect(computeState(dropTab(log, 2), settings(), T0, null).findings).toBe(1);
  });
});

describe("forgetting", () => {
  it("forgets responses older than the retention", () => {
    const s = settings({ retentionMinutes: 1 });
    const log = record([completed({ at: T0 }), completed({ at: T0 + 30_000 })], s);
    expect(log.observations).toHaveLength(2);
    const later = record([completed({ at: T0 + 70_000 })], s, log);
    expect(later.observations.map((o) => o.end)).toEqual([T0 + 30_000, T0 + 70_000]);
    // Reading the state forgets too, without a new response.
    expect(computeState(log, s, T0 + 95_000, 1).hosts).toEqual([]);
  });

  it("forgets starts that never ended once they are older than the retention", () => {
    const s = settings({ retentionMinutes: 1 });
    const log = recordStart(
      emptyLog(),
      { requestId: "hung", url: CASOLA, method: "GET", tabId: 1, timeStamp: T0 },
      s,
    );
    expect(prune(log, s, T0 + 59_000).starts).toEqual({ hung: T0 });
    expect(prune(log, s, T0 + 61_000).starts).toEqual({});
  });

  it(`keeps at most ${MAX_OBSERVATIONS} responses, the newest`, () => {
    const log: TrafficLog = {
      ...emptyLog(),
      observations: Array.from({ length: MAX_OBSERVATIONS + 100 }, (_, i) =>
        observation({ start: T0 + i, end: T0 + i }),
      ),
    };
    const pruned = prune(log, settings(), T0 + MAX_OBSERVATIONS + 100);
    expect(pruned.observations).toHaveLength(MAX_OBSERVATIONS);
    expect(pruned.observations[0]?.end).toBe(T0 + 100);
  });

  it("forgets a host the user removed from the settings", () => {
    const staging = settings({ hosts: [{ host: "staging.casola.test", provider: "casola" }] });
    const log = record([completed({ url: "https://staging.casola.test/v1/jobs" })], staging);
    expect(computeState(log, settings(), T0, 1)).toMatchObject({ hosts: [], activeHost: null });
  });
});

/** A request as a panel on the tab reports it. */
function reported(overrides: Partial<ObservedRequest> = {}): ObservedRequest {
  return {
    method: "GET",
    url: CASOLA,
    status: 200,
    start: T0,
    end: T0 + 100,
    headers: [],
    code: null,
    ...overrides,
  };
}

describe("what the panels report", () => {
  const tooMany = (at: number, remaining = "0") =>
    completed({ status: 429, at, headers: { "X-RateLimit-Remaining": remaining } });
  const tooManyReported = (end: number, code: string, remaining = "0") =>
    reported({
      status: 429,
      start: end - 90,
      end,
      code,
      headers: [["X-RateLimit-Remaining", remaining]],
    });

  it("counts a request webRequest never saw in the panel's tab, headers and code included", () => {
    const log = recordPanel(
      emptyLog(),
      7,
      [
        reported({
          headers: [
            ["X-RateLimit-Limit", "100"],
            ["X-RateLimit-Remaining", "42"],
            ["Set-Cookie", "session=secret"],
            ["Authorization", "Bearer secret"],
          ],
        }),
      ],
      settings(),
      T0 + 200,
    );
    expect(log.observations).toEqual([
      observation({
        tabId: 7,
        end: T0 + 100,
        headers: [
          ["x-ratelimit-limit", "100"],
          ["x-ratelimit-remaining", "42"],
        ],
        via: "panel",
      }),
    ]);
    expect(JSON.stringify(log)).not.toContain("secret");
    const state = computeState(log, settings(), T0 + 200, 7);
    expect(state.activeHost).toBe("api.casola.ai");
    expect(state.hosts[0]?.budget).toMatchObject({ remaining: 42, limit: 100 });
  });

  it("puts the panel's code to the response webRequest saw, and counts it once", () => {
    const log = recordPanel(
      record([tooMany(T0)]),
      1,
      [tooManyReported(T0 + 300, "rate_limited")],
      settings(),
      T0 + 500,
    );
    expect(log.observations).toHaveLength(1);
    expect(log.observations[0]).toMatchObject({ code: "rate_limited", via: "both", end: T0 + 300 });
    expect(computeState(log, settings(), T0 + 500, 1).hosts[0]?.errors).toEqual([
      { status: 429, code: "rate_limited", count: 1, last: T0 + 300 },
    ]);
  });

  it("counts a response webRequest reports after the panel did once", () => {
    const early = recordPanel(
      emptyLog(),
      1,
      [tooManyReported(T0 + 50, "rate_limited")],
      settings(),
      T0,
    );
    const log = record([tooMany(T0)], settings(), early);
    expect(log.observations).toHaveLength(1);
    expect(log.observations[0]).toMatchObject({ code: "rate_limited", via: "both" });
  });

  it("matches each report to the closest response of the same identity not matched yet", () => {
    const log = recordPanel(
      record([tooMany(T0), tooMany(T0 + 600)]),
      1,
      [tooManyReported(T0 + 650, "second"), tooManyReported(T0 + 20, "first")],
      settings(),
      T0 + 2000,
    );
    expect(log.observations.map((o) => [o.code, o.via])).toEqual([
      ["first", "both"],
      ["second", "both"],
    ]);
  });

  it("keeps apart what differs in tab, URL, status, rate-limit headers or by more than 0.5 s", () => {
    const before = record([tooMany(T0, "5")]);
    const log = recordPanel(
      before,
      1,
      [
        { ...tooManyReported(T0, "other-status", "5"), status: 503 },
        { ...tooManyReported(T0, "other-url", "5"), url: `${CASOLA}?page=2` },
        tooManyReported(T0, "other-headers", "4"),
        { ...tooManyReported(T0 + 600, "too-late", "5"), start: T0 + 510 },
      ],
      settings(),
      T0 + 2000,
    );
    const other = recordPanel(before, 2, [tooManyReported(T0, "other-tab", "5")], settings(), T0);
    expect(log.observations.map((o) => o.via)).toEqual([
      "webRequest",
      "panel",
      "panel",
      "panel",
      "panel",
    ]);
    expect(log.observations[0]?.code).toBeNull();
    expect(other.observations.map((o) => [o.tabId, o.via])).toEqual([
      [1, "webRequest"],
      [2, "panel"],
    ]);
  });

  it("matches on the end when webRequest missed the start", () => {
    // The worker was not listening yet when the request went out: webRequest's start is its end.
    const slow = completed({ at: T0 + 5000, headers: { "X-RateLimit-Remaining": "3" } });
    const log = recordPanel(
      record([slow]),
      1,
      [
        reported({
          start: T0,
          end: T0 + 5010,
          headers: [["x-ratelimit-remaining", "3"]],
        }),
      ],
      settings(),
      T0 + 6000,
    );
    expect(log.observations.map((o) => o.via)).toEqual(["both"]);
  });

  it("counts the same request reported again once, and writes nothing for it", () => {
    const once = recordPanel(emptyLog(), 1, [reported()], settings(), T0 + 200);
    const twice = recordPanel(once, 1, [reported()], settings(), T0 + 300);
    expect(twice).toBe(once);
    const merged = recordPanel(
      record([completed({ at: T0 + 90 })]),
      1,
      [reported()],
      settings(),
      T0,
    );
    expect(recordPanel(merged, 1, [reported()], settings(), T0 + 300)).toBe(merged);
  });

  it("counts two identical requests at the same moment as two", () => {
    const log = recordPanel(
      record([completed({ at: T0 + 100 }), completed({ at: T0 + 101 })]),
      1,
      [reported(), reported({ start: T0 + 1, end: T0 + 101 })],
      settings(),
      T0 + 200,
    );
    expect(log.observations.map((o) => o.via)).toEqual(["both", "both"]);
  });

  it("drops what is not an API host", () => {
    const log = recordPanel(
      emptyLog(),
      1,
      [reported({ url: "https://example.com/x" })],
      settings(),
      T0,
    );
    expect(log).toEqual(emptyLog());
  });

  it("groups errors by code where one is known, else by status alone", () => {
    let log = record([
      tooMany(T0),
      tooMany(T0 + 1000, "1"),
      tooMany(T0 + 2000, "2"),
      completed({ status: 500, at: T0 + 3000 }),
      failed({ at: T0 + 4000 }),
      completed({ status: 200, at: T0 + 5000 }),
    ]);
    log = recordPanel(
      log,
      1,
      [tooManyReported(T0, "rate_limited"), tooManyReported(T0 + 1000, "rate_limited", "1")],
      settings(),
      T0 + 5000,
    );
    expect(computeState(log, settings(), T0 + 6000, 1).hosts[0]?.errors).toEqual([
      { status: 0, code: null, count: 1, last: T0 + 4000 },
      { status: 500, code: null, count: 1, last: T0 + 3000 },
      { status: 429, code: null, count: 1, last: T0 + 2000 },
      { status: 429, code: "rate_limited", count: 2, last: T0 + 1000 },
    ]);
  });
});
