import { describe, expect, it } from "vitest";
import { entry, T0 } from "../../../test/support/har.js";
import { Session } from "../session.js";
import type { BudgetState } from "./budget-tracker.js";
import type { MeterState } from "./meter.js";
import { WindowRecorder } from "./windows.js";

const HOST = "api.casola.ai";
const URL = `https://${HOST}/v1/jobs`;
const QUOTA_BODY = '{"error":{"code":"rate_limited","message":"Slow down"}}';

function meter(name: string, remaining: number | null, resetAt: number | null = null): MeterState {
  return { name, unit: "requests", limit: 10, remaining, resetAt, source: "headers" };
}

function state(meters: MeterState[], retryAfterUntil: number | null = null): BudgetState {
  const binding = meters[0];
  return {
    host: HOST,
    provider: "casola",
    limit: binding?.limit ?? null,
    remaining: binding?.remaining ?? null,
    resetAt: binding?.resetAt ?? null,
    retryAfterUntil,
    source: "headers",
    requestsLastMinute: 0,
    skewMs: 0,
    meters,
  };
}

describe("WindowRecorder", () => {
  it("opens a Retry-After window at the response and ends it at the stated time", () => {
    const recorder = new WindowRecorder();
    recorder.observe(T0, state([meter("default", 3)], T0 + 10_000));
    expect(recorder.windows).toEqual([
      { kind: "retry-after", host: HOST, from: T0, until: T0 + 10_000 },
    ]);
  });

  it("extends one window while later responses state more wait inside it", () => {
    const recorder = new WindowRecorder();
    recorder.observe(T0, state([meter("default", 3)], T0 + 10_000));
    recorder.observe(T0 + 2_000, state([meter("default", 3)], T0 + 12_000));
    expect(recorder.windows).toEqual([
      { kind: "retry-after", host: HOST, from: T0, until: T0 + 12_000 },
    ]);
  });

  it("ends the window where the budget stops holding it (a 2xx before its end)", () => {
    const recorder = new WindowRecorder();
    recorder.observe(T0, state([meter("default", 3)], T0 + 10_000));
    recorder.observe(T0 + 4_000, state([meter("default", 3)], null));
    expect(recorder.windows).toEqual([
      { kind: "retry-after", host: HOST, from: T0, until: T0 + 4_000 },
    ]);
  });

  it("starts a new window after one has run out", () => {
    const recorder = new WindowRecorder();
    recorder.observe(T0, state([meter("default", 3)], T0 + 1_000));
    recorder.observe(T0 + 5_000, state([meter("default", 3)], T0 + 6_000));
    expect(recorder.windows.map((w) => [w.from - T0, w.until - T0])).toEqual([
      [0, 1_000],
      [5_000, 6_000],
    ]);
  });

  it("shades a meter at 0 until its stated reset, naming the meter", () => {
    const recorder = new WindowRecorder();
    recorder.observe(T0, state([meter("tokens", 0, T0 + 30_000), meter("requests", 5)]));
    recorder.observe(T0 + 1_000, state([meter("tokens", 0, T0 + 30_000), meter("requests", 4)]));
    expect(recorder.windows).toEqual([
      { kind: "zero-budget", host: HOST, meter: "tokens", from: T0, until: T0 + 30_000 },
    ]);
  });

  it("ends a zero stretch at the response that shows the reset came early", () => {
    const recorder = new WindowRecorder();
    recorder.observe(T0, state([meter("default", 0, T0 + 30_000)]));
    recorder.observe(T0 + 8_000, state([meter("default", 9, T0 + 60_000)]));
    expect(recorder.windows).toEqual([
      { kind: "zero-budget", host: HOST, meter: "default", from: T0, until: T0 + 8_000 },
    ]);
  });

  it("without a stated reset, a zero stretch lasts until a response shows budget again", () => {
    const recorder = new WindowRecorder();
    recorder.observe(T0, state([meter("default", 0)]));
    recorder.observe(T0 + 3_000, state([meter("default", 0)]));
    expect(recorder.windows[0]?.until).toBe(T0 + 3_000);
    recorder.observe(T0 + 7_000, state([meter("default", 2)]));
    expect(recorder.windows).toEqual([
      { kind: "zero-budget", host: HOST, meter: "default", from: T0, until: T0 + 7_000 },
    ]);
  });

  it("opens nothing for a meter with budget left or none known, nor for a wait already over", () => {
    const recorder = new WindowRecorder();
    recorder.observe(T0, state([meter("default", 1)], T0));
    recorder.observe(T0 + 1, state([meter("default", null)], T0 - 5));
    expect(recorder.windows).toEqual([]);
  });
});

describe("Session.windows", () => {
  it("records the Retry-After a 429 states, per host, and forgets them on clear", () => {
    const session = new Session();
    session.add(
      entry({
        url: URL,
        status: 429,
        body: QUOTA_BODY,
        headers: { "Retry-After": "10", "X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "0" },
        startedDateTime: T0,
        time: 100,
      }),
      "live",
    );
    const windows = session.windows(HOST);
    expect(windows).toContainEqual({
      kind: "retry-after",
      host: HOST,
      from: T0 + 100,
      until: T0 + 10_100,
    });
    expect(windows.some((w) => w.kind === "zero-budget" && w.from === T0 + 100)).toBe(true);
    expect(session.windows("api.cuadra.ai")).toEqual([]);
    session.clear();
    expect(session.windows(HOST)).toEqual([]);
  });

  it("samples every meter with the reset and the Retry-After", () => {
    const session = new Session();
    session.add(
      entry({
        url: URL,
        headers: {
          "X-RateLimit-Limit": "60",
          "X-RateLimit-Remaining": "59",
          "X-RateLimit-Reset": "30",
        },
        startedDateTime: T0,
        time: 100,
      }),
      "live",
    );
    const [sample] = session.history(HOST);
    expect(sample).toMatchObject({
      at: T0 + 100,
      remaining: 59,
      limit: 60,
      retryAfterUntil: null,
      meters: [{ unit: "requests", remaining: 59, limit: 60 }],
    });
    expect(sample?.resetAt).toBe(sample?.meters[0]?.resetAt);
    expect(sample?.resetAt).toBeGreaterThan(T0);
  });
});
