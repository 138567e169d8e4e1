import { describe, expect, it } from "vitest";
import { T0 } from "../../test/support/har.js";
import { fingerprint } from "../core/har/credentials.js";
import { HostTable } from "../core/hosts.js";
import { type RequestRecord, readRecord } from "../core/request-record.js";
import { analysedHosts, DEFAULT_SETTINGS, type Settings } from "../settings/settings.js";
import type { CompletedDetails, ErrorDetails } from "./ports.js";
import { MAX_OBSERVATIONS } from "./request-join.js";
import { type Config, TrafficState } from "./traffic-state.js";

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

function config(overrides: Partial<Settings> = {}): Config {
  const s = settings(overrides);
  return { settings: s, table: new HostTable(analysedHosts(s)) };
}

/** The state after each response in turn, as the background records them. */
function record(
  responses: readonly (CompletedDetails | ErrorDetails)[],
  state = new TrafficState(config()),
): TrafficState {
  for (const details of responses) state.recordResponse(details, details.timeStamp);
  return state;
}

/** Through JSON, as the next worker reads it back from storage.session. */
function restarted(state: TrafficState): TrafficState {
  return TrafficState.restore(JSON.parse(JSON.stringify(state.snapshot())), state.config);
}

/** A panel's report as the background reads it from the message (readRecord). */
function reported(
  overrides: Partial<Omit<RequestRecord, "rateLimit">> & { headers?: [string, string][] } = {},
): RequestRecord {
  const { headers = [], ...fields } = overrides;
  const record = readRecord({
    method: "GET",
    url: CASOLA,
    status: 200,
    start: T0,
    end: T0 + 100,
    code: null,
    ...fields,
    rateLimit: headers.map(([name, value]) => ({ name, value })),
  });
  if (record === undefined) throw new Error("not a record");
  return record;
}

const LIMITS = {
  "X-RateLimit-Limit": "100",
  "X-RateLimit-Remaining": "42",
  "X-RateLimit-Reset": "30",
};

describe("what the background keeps of a response", () => {
  it("reads only the headers that speak of the rate limit, keeps their fingerprint, never cookies", () => {
    const state = record([
      completed({ headers: { ...LIMITS, "Set-Cookie": "s=secret" } }),
      completed({ headers: LIMITS, at: T0 + 1 }),
      completed({ headers: { ...LIMITS, "X-RateLimit-Remaining": "41" }, at: T0 + 2 }),
    ]);
    const [withCookie, without, other] = state.observations().map((o) => o.headers);
    expect(withCookie).toBe(
      fingerprint("x-ratelimit-limit: 100\nx-ratelimit-remaining: 42\nx-ratelimit-reset: 30"),
    );
    expect(without).toBe(withCookie);
    expect(other).not.toBe(withCookie);
    // The values went to the Analyzer's budget.
    expect(state.stateFor(1, T0 + 10).hosts[0]?.budget).toMatchObject({
      limit: 100,
      remaining: 41,
    });
    expect(JSON.stringify(state.snapshot())).not.toContain("secret");
  });

  it("times the request from onBeforeRequest and forgets the start once it ended", () => {
    const state = new TrafficState(config());
    state.recordStart({ requestId: "r1", url: CASOLA, method: "GET", tabId: 1, timeStamp: T0 });
    record([completed({ requestId: "r1", at: T0 + 250 })], state);
    expect(state.observations()[0]).toMatchObject({ start: T0, end: T0 + 250 });
    expect(state.snapshot().starts).toEqual([]);
  });

  it("records a network error as status 0, and drops what is not an API host or from the cache", () => {
    const state = record([
      failed({ at: T0 }),
      completed({ url: "https://example.com/x", at: T0 + 1 }),
      completed({ fromCache: true, at: T0 + 2 }),
    ]);
    expect(state.observations().map((o) => o.status)).toEqual([0]);
    expect(state.stateFor(1, T0 + 10).hosts[0]?.errors).toEqual([
      { status: 0, code: null, count: 1, last: T0 },
    ]);
  });
});

describe("the state the background answers with", () => {
  it("states the X-RateLimit headers' budget, through the core's tracker", () => {
    const state = record([completed({ at: T0 + 100, headers: LIMITS })]);
    const answer = state.stateFor(1, T0 + 1000);
    expect(answer.hosts[0]?.budget).toMatchObject({
      host: "api.casola.ai",
      provider: "casola",
      limit: 100,
      remaining: 42,
      resetAt: T0 + 100 + 30_000,
      source: "headers",
    });
    expect(answer.hosts[0]?.lastSeen).toBe(T0 + 100);
  });

  it("estimates cuadra's budget from the documented limit, or from the limit the user set", () => {
    const cuadra = record([
      completed({ url: CUADRA, at: T0 }),
      completed({ url: CUADRA, at: T0 + 1 }),
    ]);
    expect(cuadra.stateFor(1, T0 + 10).hosts[0]?.budget).toMatchObject({
      limit: 60,
      remaining: 58,
      source: "estimate",
    });
    const own = record(
      [completed({ at: T0 })],
      new TrafficState(
        config({ limits: [{ host: "api.casola.ai", limit: 10, windowSeconds: 60 }] }),
      ),
    );
    expect(own.stateFor(1, T0 + 10).hosts[0]?.budget).toMatchObject({ limit: 10, remaining: 9 });
  });

  it("lists hosts most recently used first, names the tab's last host, and can answer for it alone", () => {
    const state = record([
      completed({ url: CUADRA, at: T0, tabId: 1 }),
      completed({ url: CASOLA, at: T0 + 10, tabId: 2 }),
    ]);
    const answer = state.stateFor(1, T0 + 20);
    expect(answer.hosts.map((h) => h.budget.host)).toEqual(["api.casola.ai", "api.cuadra.ai"]);
    expect(answer.activeHost).toBe("api.cuadra.ai");
    expect(
      state.stateFor(2, T0 + 20, { activeHostOnly: true }).hosts.map((h) => h.budget.host),
    ).toEqual(["api.casola.ai"]);
    expect(state.stateFor(3, T0 + 20).activeHost).toBeNull();
  });

  it("sums the latest findings count of every tab, and forgets a closed tab's", () => {
    const state = new TrafficState(config());
    expect(state.setFindings(1, 2)).toBe(true);
    expect(state.setFindings(1, 2)).toBe(false);
    state.setFindings(2, 3);
    expect(state.stateFor(null, T0).findings).toBe(5);
    state.dropTab(2);
    expect(state.stateFor(null, T0).findings).toBe(2);
  });

  it("forgets a closed tab's cost when it had findings too", () => {
    const state = new TrafficState(config());
    state.setFindings(1, 2);
    state.setCost(1, [{ host: "api.casola.ai", wastedRequests: 2, wastedSeconds: 1.5 }]);
    expect(state.dropTab(1)).toBe(true);
    expect(state.stateFor(null, T0).cost).toEqual([]);
    expect(state.stateFor(null, T0).findings).toBe(0);
  });

  it("sums each tab's latest cost per host, costliest first, and forgets a closed tab's", () => {
    const state = new TrafficState(config());
    const casola = { host: "api.casola.ai", wastedRequests: 2, wastedSeconds: 1.5 };
    const cuadra = { host: "api.cuadra.ai", wastedRequests: 3, wastedSeconds: 0.5 };
    expect(state.setCost(1, [casola])).toBe(true);
    expect(state.setCost(1, [{ ...casola }])).toBe(false);
    state.setCost(2, [cuadra, { ...casola, wastedRequests: 1 }]);
    expect(state.stateFor(null, T0).cost).toEqual([
      { host: "api.casola.ai", wastedRequests: 3, wastedSeconds: 3 },
      cuadra,
    ]);
    // The badge reads no cost.
    expect(state.stateFor(1, T0, { activeHostOnly: true }).cost).toEqual([]);
    // A tab's new report replaces its old one, not adds to it.
    state.setCost(1, [{ ...casola, wastedRequests: 5 }]);
    expect(state.stateFor(null, T0).cost[0]).toEqual({
      host: "api.casola.ai",
      wastedRequests: 6,
      wastedSeconds: 3,
    });
    expect(state.dropTab(2)).toBe(true);
    expect(state.stateFor(null, T0).cost).toEqual([{ ...casola, wastedRequests: 5 }]);
    // Through storage, the cost stays; a broken stored cost reads as none.
    const back = TrafficState.restore(JSON.parse(JSON.stringify(state.snapshot())), config());
    expect(back.stateFor(null, T0).cost).toEqual([{ ...casola, wastedRequests: 5 }]);
    const broken = { ...state.snapshot(), cost: [[1, [{ host: 7 }]], "x"] };
    expect(TrafficState.restore(broken, config()).stateFor(null, T0).cost).toEqual([]);
    state.setCost(1, []);
    expect(state.snapshot()).not.toHaveProperty("cost");
  });

  it("answers the same after a restart through storage", () => {
    const state = record([
      completed({ at: T0, headers: LIMITS }),
      completed({ url: CUADRA, status: 429, at: T0 + 5, headers: { "Retry-After": "20" } }),
    ]);
    state.setFindings(1, 4);
    state.recordPanel(
      1,
      [reported({ start: T0 + 10, end: T0 + 20, status: 402, code: "payment_required" })],
      T0 + 30,
    );
    const again = restarted(state);
    expect(again.stateFor(1, T0 + 1000)).toEqual(state.stateFor(1, T0 + 1000));
    // And it goes on joining: the panel's report of the 429 joins webRequest's record.
    again.recordPanel(
      1,
      [
        reported({
          url: CUADRA,
          status: 429,
          start: T0,
          end: T0 + 6,
          code: "rate_limit",
          headers: [["Retry-After", "20"]],
        }),
      ],
      T0 + 40,
    );
    expect(
      again.stateFor(1, T0 + 1000).hosts.find((h) => h.budget.host === "api.cuadra.ai")?.errors,
    ).toEqual([{ status: 429, code: "rate_limit", count: 1, last: T0 + 5 }]);
  });

  it("reads garbage in storage as an empty state", () => {
    for (const garbage of [undefined, null, 3, "x", { v: 1, hosts: "no", observations: [[1]] }])
      expect(TrafficState.restore(garbage, config()).stateFor(1, T0).hosts).toEqual([]);
  });
});

describe("forgetting", () => {
  it("forgets responses, hosts and tabs older than the retention", () => {
    const state = record([completed({ at: T0 }), completed({ url: CUADRA, at: T0 + 5 * 60_000 })]);
    const later = T0 + 10 * 60_000 + 1000;
    const answer = state.stateFor(1, later);
    expect(answer.hosts.map((h) => h.budget.host)).toEqual(["api.cuadra.ai"]);
    expect(state.observations()).toHaveLength(1);
    expect(state.stateFor(1, T0 + 20 * 60_000)).toMatchObject({ hosts: [], activeHost: null });
  });

  it("forgets starts that never ended once they are older than the retention", () => {
    const state = new TrafficState(config());
    state.recordStart({ requestId: "r", url: CASOLA, method: "GET", tabId: 1, timeStamp: T0 });
    expect(state.prune(T0 + 11 * 60_000)).toBe(true);
    expect(state.snapshot().starts).toEqual([]);
  });

  it(`keeps at most ${MAX_OBSERVATIONS} requests for joining, the newest, and counts them all`, () => {
    const state = record(
      Array.from({ length: MAX_OBSERVATIONS + 5 }, (_, i) =>
        completed({ url: CUADRA, at: T0 + i }),
      ),
    );
    expect(state.size).toBe(MAX_OBSERVATIONS);
    expect(state.observations()[0]?.end).toBe(T0 + 5);
    expect(state.stateFor(1, T0 + 5000).hosts[0]?.budget.requestsLastMinute).toBe(
      MAX_OBSERVATIONS + 5,
    );
  });

  it("forgets a host the user removed from the settings", () => {
    const staging = { host: "staging.casola.test", provider: "casola" as const };
    const state = record(
      [completed({ url: "https://staging.casola.test/v1", at: T0 }), completed({ at: T0 + 1 })],
      new TrafficState(config({ hosts: [staging] })),
    );
    state.configure(config());
    expect(state.stateFor(1, T0 + 10).hosts.map((h) => h.budget.host)).toEqual(["api.casola.ai"]);
    expect(state.observations()).toHaveLength(1);
  });
});

describe("the providers turned on", () => {
  const AZURE = "https://my-resource.openai.azure.com/openai/deployments/x/chat/completions";

  it("are watched like the user's hosts while on, and forgotten once off", () => {
    const state = record(
      [
        completed({ url: AZURE, at: T0, headers: { "x-ratelimit-remaining-requests": "99" } }),
        completed({ url: "https://openai.azure.com/x", at: T0 + 1 }),
        completed({ at: T0 + 2 }),
      ],
      new TrafficState(config({ presets: ["azure-openai"] })),
    );
    expect(state.stateFor(1, T0 + 10).hosts.map((h) => h.budget.host)).toEqual([
      "api.casola.ai",
      "my-resource.openai.azure.com",
    ]);
    expect(state.stateFor(1, T0 + 10).hosts[1]?.budget.provider).toBe("generic");
    state.configure(config());
    expect(state.stateFor(1, T0 + 10).hosts.map((h) => h.budget.host)).toEqual(["api.casola.ai"]);
  });
});

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
    const state = new TrafficState(config());
    state.recordPanel(
      7,
      [
        reported({
          headers: [
            ["X-RateLimit-Limit", "100"],
            ["X-RateLimit-Remaining", "42"],
            ["Authorization", "Bearer secret"],
          ],
        }),
      ],
      T0 + 200,
    );
    expect(state.observations()).toMatchObject([{ tabId: 7, via: "panel", end: T0 + 100 }]);
    expect(JSON.stringify(state.snapshot())).not.toContain("secret");
    const answer = state.stateFor(7, T0 + 200);
    expect(answer.activeHost).toBe("api.casola.ai");
    expect(answer.hosts[0]?.budget).toMatchObject({ remaining: 42, limit: 100 });
  });

  it("puts the panel's code to the response webRequest saw, and counts it once", () => {
    const state = record([tooMany(T0)]);
    state.recordPanel(1, [tooManyReported(T0 + 300, "rate_limited")], T0 + 500);
    expect(state.observations()).toMatchObject([
      { code: "rate_limited", via: "both", end: T0 + 300 },
    ]);
    expect(state.stateFor(1, T0 + 500).hosts[0]?.errors).toEqual([
      { status: 429, code: "rate_limited", count: 1, last: T0 },
    ]);
    expect(state.stateFor(1, T0 + 500).hosts[0]?.budget.requestsLastMinute).toBe(1);
  });

  it("counts a response webRequest reports after the panel did once", () => {
    const state = new TrafficState(config());
    state.recordPanel(1, [tooManyReported(T0 + 50, "rate_limited")], T0);
    record([tooMany(T0)], state);
    expect(state.observations()).toMatchObject([{ code: "rate_limited", via: "both" }]);
    expect(state.stateFor(1, T0 + 500).hosts[0]?.budget.requestsLastMinute).toBe(1);
  });

  it("matches each report to the closest response of the same identity not matched yet", () => {
    const state = record([tooMany(T0), tooMany(T0 + 600)]);
    state.recordPanel(
      1,
      [tooManyReported(T0 + 650, "second"), tooManyReported(T0 + 20, "first")],
      T0 + 2000,
    );
    expect(state.observations().map((o) => [o.code, o.via])).toEqual([
      ["first", "both"],
      ["second", "both"],
    ]);
  });

  it("keeps apart what differs in tab, URL, status, rate-limit headers or by more than 0.5 s", () => {
    const state = record([tooMany(T0, "5")]);
    state.recordPanel(
      1,
      [
        { ...tooManyReported(T0, "other-status", "5"), status: 503 },
        { ...tooManyReported(T0, "other-url", "5"), url: `${CASOLA}?page=2` },
        tooManyReported(T0, "other-headers", "4"),
        { ...tooManyReported(T0 + 600, "too-late", "5"), start: T0 + 510 },
      ],
      T0 + 2000,
    );
    state.recordPanel(2, [tooManyReported(T0, "other-tab", "5")], T0 + 2000);
    expect(state.observations().map((o) => [o.tabId, o.via])).toEqual([
      [1, "webRequest"],
      [1, "panel"],
      [1, "panel"],
      [1, "panel"],
      [1, "panel"],
      [2, "panel"],
    ]);
  });

  it("matches on the end when webRequest missed the start", () => {
    const state = record([completed({ at: T0 + 5000, headers: { "X-RateLimit-Remaining": "3" } })]);
    state.recordPanel(
      1,
      [reported({ start: T0, end: T0 + 5010, headers: [["x-ratelimit-remaining", "3"]] })],
      T0 + 6000,
    );
    expect(state.observations().map((o) => o.via)).toEqual(["both"]);
  });

  it("counts the same request reported again once, and reports no change for it", () => {
    const state = new TrafficState(config());
    expect(state.recordPanel(1, [reported()], T0 + 200)).toBe(true);
    expect(state.recordPanel(1, [reported()], T0 + 300)).toBe(false);
    const merged = record([completed({ at: T0 + 90 })]);
    merged.recordPanel(1, [reported()], T0 + 200);
    expect(merged.recordPanel(1, [reported()], T0 + 300)).toBe(false);
    expect(restarted(merged).recordPanel(1, [reported()], T0 + 300)).toBe(false);
  });

  it("counts two identical requests at the same moment as two", () => {
    const state = record([completed({ at: T0 + 100 }), completed({ at: T0 + 101 })]);
    state.recordPanel(1, [reported(), reported({ start: T0 + 1, end: T0 + 101 })], T0 + 200);
    expect(state.observations().map((o) => o.via)).toEqual(["both", "both"]);
  });

  it("groups errors by code where one is known, else by status alone", () => {
    const state = record([tooMany(T0), tooMany(T0 + 1000), tooMany(T0 + 2000, "1")]);
    state.recordPanel(1, [tooManyReported(T0 + 1000, "quota_exceeded")], T0 + 3000);
    expect(state.stateFor(1, T0 + 3000).hosts[0]?.errors).toEqual([
      { status: 429, code: null, count: 2, last: T0 + 2000 },
      { status: 429, code: "quota_exceeded", count: 1, last: T0 + 1000 },
    ]);
  });
});
