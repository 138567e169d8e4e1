import { describe, expect, it } from "vitest";
import { FakeClock } from "../../test/support/fake-clock.js";
import { HostTable } from "../core/hosts.js";
import { DEFAULT_SETTINGS } from "../settings/settings.js";
import type { CompletedDetails, StorageSlot } from "./ports.js";
import { createStateStore, WRITE_INTERVAL_MS } from "./store.js";
import { type Config, TrafficState } from "./traffic-state.js";

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

const settings = { ...DEFAULT_SETTINGS, hosts: [], limits: [] };
const config: Config = { settings, table: new HostTable(settings.hosts) };

/** storage.session: each write kept, through JSON; `hold` makes writes wait until released. */
class Slot implements StorageSlot {
  writes: unknown[] = [];
  hold: Promise<void> | undefined;
  async get() {
    return undefined;
  }
  async set(value: unknown) {
    const copy = JSON.parse(JSON.stringify(value));
    await this.hold;
    this.writes.push(copy);
  }
  /** How many requests the latest write holds. */
  get kept(): number {
    const last = this.writes.at(-1);
    return last === undefined ? -1 : TrafficState.restore(last, config).size;
  }
}

function response(i: number, at: number): CompletedDetails {
  return {
    requestId: String(i),
    url: `https://api.casola.ai/v1/jobs/${i}`,
    method: "GET",
    tabId: 1,
    timeStamp: at,
    statusCode: 200,
  };
}

function setup() {
  const slot = new Slot();
  const clock = new FakeClock();
  const store = createStateStore(slot, async () => config, clock);
  let n = 0;
  const record = () => {
    const details = response(n++, clock.time);
    return store.run((s) => ({ changed: s.recordResponse(details, clock.time), result: null }));
  };
  return { slot, clock, store, record };
}

describe("the state store's writes", () => {
  it("starts the write of a change after a quiet spell at once", async () => {
    const { slot, record } = setup();
    await record();
    await settle();
    expect(slot.writes).toHaveLength(1);
    expect(slot.kept).toBe(1);
  });

  it(`writes the changes of the next ${WRITE_INTERVAL_MS} ms together, at its end`, async () => {
    const { slot, clock, record } = setup();
    await record();
    for (let i = 0; i < 5; i++) {
      clock.advance(40);
      await record();
    }
    await settle();
    expect(slot.writes).toHaveLength(1);
    clock.advance(WRITE_INTERVAL_MS - 200 - 1);
    await settle();
    expect(slot.writes).toHaveLength(1);
    clock.advance(1);
    await settle();
    expect(slot.writes).toHaveLength(2);
    expect(slot.kept).toBe(6);
    // Nothing left to write: no more writes.
    clock.advance(10 * WRITE_INTERVAL_MS);
    await settle();
    expect(slot.writes).toHaveLength(2);
  });

  it("writes what changed during a slow write once it is done, with nothing lost", async () => {
    const { slot, clock, record } = setup();
    let release = () => {};
    slot.hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    await record();
    clock.advance(WRITE_INTERVAL_MS * 3);
    await record();
    await record();
    await settle();
    expect(slot.writes).toHaveLength(0);
    slot.hold = undefined;
    release();
    await settle();
    // The interval had passed while the first write was under way: the next one starts at once.
    expect(slot.writes).toHaveLength(2);
    expect(slot.kept).toBe(3);
  });

  it(`makes at most one write per ${WRITE_INTERVAL_MS} ms under steady traffic`, async () => {
    const { slot, clock, record } = setup();
    // 20 responses a second for 5 s.
    for (let i = 0; i < 100; i++) {
      await record();
      await settle();
      clock.advance(50);
    }
    clock.advance(WRITE_INTERVAL_MS);
    await settle();
    expect(slot.writes.length).toBeLessThanOrEqual(5000 / WRITE_INTERVAL_MS + 1);
    expect(slot.kept).toBe(100);
  });

  it("loses what waits for its turn when the worker is killed, and only that", async () => {
    const { slot, clock, record } = setup();
    await record();
    clock.advance(10);
    await record();
    await settle();
    // The worker is killed: its timers die with it.
    clock.dropTimers();
    clock.advance(WRITE_INTERVAL_MS);
    await settle();
    expect(slot.writes).toHaveLength(1);
    expect(slot.kept).toBe(1);
  });
});
