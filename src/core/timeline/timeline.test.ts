import { describe, expect, it } from "vitest";
import { CASOLA, call, har, T0 } from "../../../test/support/har.js";
import {
  internalError,
  ok,
  postJob,
  rateLimitError,
  rateLimited,
} from "../../../test/support/traffic.js";
import { Session } from "../session.js";
import type { HarEntry } from "../types.js";
import { marksIn, statusClass, type Timeline, TimelineBuilder } from "./timeline.js";

function timelineOf(session: Session, builder = new TimelineBuilder()): Timeline {
  return builder.update(session.entries, session.chains().chains);
}

function imported(entries: HarEntry[]): Session {
  const session = new Session();
  session.import({ entries: har(entries).log.entries as HarEntry[] });
  return session;
}

/** Lanes as [key, indices, rules]. */
function lanes(timeline: Timeline) {
  return timeline.lanes.map((lane) => [lane.key, lane.marks.map((m) => m.index), lane.rules]);
}

/** A client that retries a 429 after 1 s while its Retry-After said 30 s, then gets a 2xx. */
const IMPATIENT = [
  call({ at: 0, ...postJob, status: 429, headers: rateLimited(30, 60), json: rateLimitError }),
  call({ at: 1, ...postJob, status: 429, headers: rateLimited(29, 60), json: rateLimitError }),
  call({ at: 2, ...postJob, status: 200, json: ok }),
];

describe("the timeline model", () => {
  it("draws a flagged chain in one lane, with its rules, the waits and the wasted attempts", () => {
    const session = imported(IMPATIENT);
    const timeline = timelineOf(session);
    expect(lanes(timeline)).toEqual([["chain:0", [0, 1, 2], ["retry-after-ignored"]]]);
    const [first, second, third] = timeline.lanes[0]?.marks ?? [];
    expect(first).toMatchObject({ index: 0, start: T0, end: T0 + 100, statusClass: "429" });
    expect(first?.statedWaitMs).toBe(30_000);
    expect(first?.retryOf).toBeUndefined();
    // The retry waited 0.9 s after the 429's end, where the server asked for 30 s.
    expect(second).toMatchObject({ retryOf: 0, waitMs: 900, statedWaitMs: 29_000 });
    // The failed retry was wasted; the 2xx at the end, flagged or not, was not.
    expect([first, second, third].map((m) => m?.wasted)).toEqual([false, true, false]);
    const chain = session.chains().chains[0];
    expect(chain?.wastedRequests).toBe(1);
    expect(timeline.lanes[0]).toMatchObject({ kind: "chain", severity: "error", method: "POST" });
    expect(timeline.from).toBe(T0);
    expect(timeline.until).toBe(T0 + 2100);
  });

  it("draws a healthy retry chain too, without rules, and puts the rest in one lane per host", () => {
    const session = imported([
      call({ at: 0, url: `${CASOLA}/models`, status: 200, json: { data: [] } }),
      call({ at: 1, url: `${CASOLA}/jobs/7`, status: 500, json: internalError }),
      // A patient retry: two seconds of backoff after a 500 that stated no wait.
      call({ at: 3.1, url: `${CASOLA}/jobs/7`, status: 200, json: ok }),
      call({ at: 4, url: "https://api.cuadra.ai/v1/usage", status: 200, json: {} }),
      call({ at: 5, url: `${CASOLA}/models`, status: 200, json: { data: [] } }),
    ]);
    const timeline = timelineOf(session);
    expect(session.chains().chains).toEqual([]);
    expect(lanes(timeline)).toEqual([
      ["host:api.casola.ai", [0, 4], []],
      ["host:api.cuadra.ai", [3], []],
      ["chain:1", [1, 2], []],
    ]);
    expect(timeline.mark(2)).toMatchObject({ retryOf: 1, waitMs: 2000, wasted: false });
    expect(timeline.mark(1)?.statedWaitMs).toBeUndefined();
    expect(timeline.lanes[2]?.severity).toBeUndefined();
  });

  it("does not chain a request sent again after a 2xx (near miss)", () => {
    const session = imported([
      call({ at: 0, ...postJob, status: 200, json: ok }),
      call({ at: 0.5, ...postJob, status: 200, json: ok }),
    ]);
    expect(lanes(timelineOf(session))).toEqual([["host:api.casola.ai", [0, 1], []]]);
    expect(timelineOf(session).mark(1)?.retryOf).toBeUndefined();
  });

  it("gives a flagged request that no one retried a lane of its own, with its rule", () => {
    const session = imported([
      call({
        at: 0,
        url: `${CASOLA}/jobs/1`,
        status: 429,
        headers: rateLimited(20, 60),
        json: rateLimitError,
      }),
      call({ at: 0.05, url: `${CASOLA}/models`, status: 200, json: { data: [] } }),
      // Another request sent into the Retry-After: rate-limit-exhausted, one attempt.
      call({ at: 5, ...postJob, status: 200, json: ok }),
    ]);
    const timeline = timelineOf(session);
    expect(lanes(timeline)).toEqual([
      ["host:api.casola.ai", [0, 1], []],
      ["chain:2", [2], ["rate-limit-exhausted"]],
    ]);
    expect(timeline.mark(2)?.wasted).toBe(false);
    expect(timeline.laneOf(2)?.severity).toBe("warning");
  });

  it("reads only the entries added since the last update, and lifts a request into the chain that retries it", () => {
    const session = new Session();
    const builder = new TimelineBuilder();
    session.add(IMPATIENT[0] as HarEntry, "live");
    const chains = session.chains().chains;
    const before = builder.update(session.entries, chains);
    // A 429 no one retried yet: a single request of its host.
    expect(lanes(before)).toEqual([["host:api.casola.ai", [0], []]]);
    // Nothing new: the same timeline, not built again.
    expect(builder.update(session.entries, chains)).toBe(before);
    session.add(IMPATIENT[1] as HarEntry, "live");
    session.add(IMPATIENT[2] as HarEntry, "live");
    const after = timelineOf(session, builder);
    expect(lanes(after)).toEqual([["chain:0", [0, 1, 2], ["retry-after-ignored"]]]);
    // A cleared session starts over.
    session.clear();
    expect(lanes(timelineOf(session, builder))).toEqual([]);
    expect(Number.isNaN(timelineOf(session, builder).from)).toBe(true);
  });

  it("builds the same chain from a file whose entries are out of order", () => {
    const [a, b, c] = IMPATIENT as [HarEntry, HarEntry, HarEntry];
    // log.entries: the last retry first, the first attempt last.
    const session = imported([c, b, a]);
    const timeline = timelineOf(session);
    expect(lanes(timeline)).toEqual([["chain:2", [2, 1, 0], ["retry-after-ignored"]]]);
    expect(timeline.lanes[0]?.marks.map((m) => m.start)).toEqual([T0, T0 + 1000, T0 + 2000]);
  });

  it("keeps the host's Retry-After window beside the chain (Session.windows)", () => {
    const session = imported(IMPATIENT);
    const windows = session.windows("api.casola.ai");
    expect(windows.some((w) => w.kind === "retry-after" && w.from === T0 + 100)).toBe(true);
  });

  it("finds the marks that reach into a range by bisection", () => {
    const timeline = timelineOf(imported(IMPATIENT));
    const lane = timeline.lanes[0];
    if (lane === undefined) throw new Error("no lane");
    expect(marksIn(lane, T0 + 50, T0 + 1050).map((m) => m.index)).toEqual([0, 1]);
    expect(marksIn(lane, T0 + 1500, T0 + 1900).map((m) => m.index)).toEqual([]);
    expect(marksIn(lane, T0 + 2050, T0 + 9000).map((m) => m.index)).toEqual([2]);
  });

  it("classes statuses: 2xx, 429, other 4xx, 5xx and no response", () => {
    expect([200, 304, 429, 401, 503, 0, -1].map(statusClass)).toEqual([
      "success",
      "success",
      "429",
      "4xx",
      "5xx",
      "none",
      "none",
    ]);
  });
});
