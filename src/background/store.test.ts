import { describe, expect, it } from "vitest";
import { T0 } from "../../test/support/har.js";
import type { StorageSlot } from "./ports.js";
import { createLogStore, parseLog } from "./store.js";
import { emptyLog, type Observation } from "./traffic-log.js";

/** Lets `turns` rounds of other promise work run first, as a real storage call would. */
async function yieldTurns(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve();
}

/** A storage slot that copies through JSON and takes a varying while to answer. */
function slowSlot(initial?: unknown): StorageSlot & { value: unknown; writes: number } {
  let calls = 0;
  const slot = {
    value: initial === undefined ? undefined : JSON.parse(JSON.stringify(initial)),
    writes: 0,
    async get() {
      await yieldTurns(calls++ % 5);
      return slot.value === undefined ? undefined : JSON.parse(JSON.stringify(slot.value));
    },
    async set(value: unknown) {
      await yieldTurns(calls++ % 7);
      slot.value = JSON.parse(JSON.stringify(value));
      slot.writes++;
    },
  };
  return slot;
}

function observation(end: number): Observation {
  return {
    tabId: 1,
    url: "https://api.casola.ai/v1/jobs",
    method: "GET",
    status: 200,
    start: end,
    end,
    headers: [["x-ratelimit-remaining", "1"]],
    code: null,
    via: "webRequest",
  };
}

describe("the stored log", () => {
  it("loses no update when many arrive at once", async () => {
    const slot = slowSlot();
    const store = createLogStore(slot);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        store.update((log) => ({
          ...log,
          observations: [...log.observations, observation(T0 + i)],
        })),
      ),
    );
    const log = await store.read();
    expect(log.observations.map((o) => o.end)).toEqual(
      Array.from({ length: 50 }, (_, i) => T0 + i),
    );
    expect(slot.writes).toBe(50);
  });

  it("reads what every update asked for before has written", async () => {
    const store = createLogStore(slowSlot());
    void store.update((log) => ({ ...log, findings: { 1: 3 } }));
    expect((await store.read()).findings).toEqual({ 1: 3 });
  });

  it("writes nothing when an update changes nothing", async () => {
    const slot = slowSlot();
    const store = createLogStore(slot);
    await store.update((log) => log);
    expect(slot.writes).toBe(0);
  });

  it("goes on after an update that failed, and reports the failure to its caller", async () => {
    const store = createLogStore(slowSlot());
    const failing = store.update(() => {
      throw new Error("broken");
    });
    const next = store.update((log) => ({ ...log, findings: { 2: 1 } }));
    await expect(failing).rejects.toThrow("broken");
    expect((await next).findings).toEqual({ 2: 1 });
  });

  it("survives a new store over the same storage, as after a worker restart", async () => {
    const slot = slowSlot();
    await createLogStore(slot).update((log) => ({ ...log, observations: [observation(T0)] }));
    expect((await createLogStore(slot).read()).observations).toEqual([observation(T0)]);
  });
});

describe("reading what storage holds", () => {
  it.each([
    ["nothing", undefined],
    ["null", null],
    ["a string", "log"],
    ["a list", [observation(T0)]],
    ["fields of the wrong types", { observations: "x", starts: [], findings: 3 }],
  ])("starts empty from %s", (_, stored) => {
    expect(parseLog(stored)).toEqual(emptyLog());
  });

  it("drops the broken items and keeps the rest", () => {
    const good = observation(T0);
    const log = parseLog({
      observations: [
        good,
        null,
        { ...good, status: "200" },
        { ...good, end: Number.NaN },
        { ...good, code: 5 },
        { ...good, headers: [["date", "x"], ["broken"], 7, ["n", 1]] },
        { ...good, via: "panel" },
      ],
      starts: { a: T0, b: "soon" },
      findings: { 1: 2, 2: null },
    });
    expect(log).toEqual({
      observations: [good, { ...good, headers: [["date", "x"]] }, { ...good, via: "panel" }],
      starts: { a: T0 },
      findings: { 1: 2 },
    });
  });

  it("reads a log from before panels reported requests as webRequest's", () => {
    const { via: _, ...old } = observation(T0);
    expect(parseLog({ observations: [old], pending: [] }).observations).toEqual([observation(T0)]);
  });

  it("reads garbage in storage through the store without failing", async () => {
    const store = createLogStore(slowSlot({ observations: [{ nonsense: true }] }));
    expect(await store.read()).toEqual(emptyLog());
  });
});
