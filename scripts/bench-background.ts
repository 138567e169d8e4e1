/**
 * The background's cost per webRequest event after 100 and after 10,000 earlier events: the state
 * update (TrafficState.recordResponse, which feeds the core's Analyzer) plus the badge's answer
 * for the tab, which is what the worker does on every response. Each row times a small batch of
 * events on a fresh copy of the state at its size (restored from its snapshot), so that it
 * measures that size and not the state the batch grows into. Then the write: bytes and time of one
 * snapshot as storage.session gets it (JSON.stringify stands in for the browser's serialisation),
 * and how many writes the state store makes under steady traffic. Run with
 * `npm run bench:background`. Timings vary with the machine: no test asserts them.
 */
import { performance } from "node:perf_hooks";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import type { Clock } from "../src/background/ports.js";
import { createStateStore, WRITE_INTERVAL_MS } from "../src/background/store.js";
import { type Config, TrafficState } from "../src/background/traffic-state.js";
import { HostTable } from "../src/core/hosts.js";
import type { CompletedDetails } from "../src/platform/ports/background.js";
import { DEFAULT_SETTINGS } from "../src/settings/settings.js";
import { T0 } from "../test/support/har.js";

const HOSTS = ["https://api.casola.ai/v1/jobs", "https://api.cuadra.ai/v1/chat"];
/** Events timed per round, on a fresh copy of the state. */
const BATCH = 50;
const ROUNDS = 101;
const WARMUP_ROUNDS = 20;
/** Event spacing in the state built up: 5 a second. */
const SPACING_MS = 200;

function event(i: number): CompletedDetails {
  return {
    requestId: String(i),
    url: `${HOSTS[i % 2]}?n=${i % 50}`,
    method: "GET",
    tabId: 1 + (i % 4),
    timeStamp: T0 + i * SPACING_MS,
    statusCode: i % 10 === 0 ? 429 : 200,
    responseHeaders: [
      { name: "X-RateLimit-Limit", value: "1000" },
      { name: "X-RateLimit-Remaining", value: String(1000 - (i % 1000)) },
      { name: "X-RateLimit-Reset", value: "30" },
      { name: "Content-Type", value: "application/json" },
    ],
  };
}

// Retention long enough that nothing ages out during the run: the worst case for the caps.
const settings = { ...DEFAULT_SETTINGS, hosts: [], limits: [], retentionMinutes: 24 * 60 };
const config: Config = { settings, table: new HostTable(settings.hosts) };

function stateAfter(prior: number): TrafficState {
  const state = new TrafficState(config);
  for (let i = 0; i < prior; i++) state.recordResponse(event(i), T0 + i * SPACING_MS);
  return state;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

interface Row {
  prior: number;
  kept: number;
  micros: number;
  writeMicros: number;
  bytes: number;
}

/**
 * The collector, to start every batch with the same empty young generation: otherwise a batch
 * pays for the garbage of the copy made before it, more for the larger state.
 */
v8.setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as () => void;

/**
 * Per prior size, the median over rounds of the mean µs per event of BATCH events after `prior`
 * ones. The sizes take turns round by round, so that a busy machine slows both rows alike.
 */
function measure(priors: readonly number[]): Row[] {
  const sizes = priors.map((prior) => {
    const built = stateAfter(prior);
    return {
      prior,
      kept: built.size,
      stored: JSON.parse(JSON.stringify(built.snapshot())) as unknown,
      means: [] as number[],
      writes: [] as number[],
      bytes: 0,
    };
  });
  for (let round = -WARMUP_ROUNDS; round < ROUNDS; round++) {
    for (const size of sizes) {
      const { prior } = size;
      const state = TrafficState.restore(size.stored, config);
      collect();
      const begin = performance.now();
      for (let i = prior; i < prior + BATCH; i++) {
        const details = event(i);
        state.recordResponse(details, details.timeStamp);
        state.stateFor(details.tabId, details.timeStamp, { activeHostOnly: true });
      }
      const elapsed = performance.now() - begin;
      const at = performance.now();
      const json = JSON.stringify(state.snapshot());
      const written = performance.now() - at;
      if (round < 0) continue;
      size.means.push((elapsed * 1000) / BATCH);
      size.writes.push(written * 1000);
      size.bytes = json.length;
    }
  }
  return sizes.map(({ prior, kept, means, writes, bytes }) => ({
    prior,
    kept,
    micros: median(means),
    writeMicros: median(writes),
    bytes,
  }));
}

/** A clock whose time the simulation moves, timers included. */
class SimulatedClock implements Clock {
  time = T0;
  #timers: { at: number; callback: () => void; cancelled: boolean }[] = [];
  now = () => this.time;
  setTimeout = (callback: () => void, ms: number) => {
    const timer = { at: this.time + ms, callback, cancelled: false };
    this.#timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  };
  advanceTo(time: number): void {
    this.time = time;
    const due = this.#timers.filter((t) => t.at <= time && !t.cancelled);
    this.#timers = this.#timers.filter((t) => t.at > time && !t.cancelled);
    for (const timer of due) timer.callback();
  }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Writes the state store makes for `events` responses `spacing` ms apart, and what they cost. */
async function writesFor(events: number, spacing: number) {
  const clock = new SimulatedClock();
  let writes = 0;
  let bytes = 0;
  const slot = {
    get: async () => undefined,
    set: async (value: unknown) => {
      writes++;
      bytes += JSON.stringify(value).length;
    },
  };
  const store = createStateStore(slot, async () => config, clock);
  for (let i = 0; i < events; i++) {
    clock.advanceTo(T0 + i * spacing);
    const details = { ...event(i), timeStamp: clock.time };
    await store.run((s) => ({ changed: s.recordResponse(details, clock.time), result: 0 }));
    await settle();
  }
  clock.advanceTo(clock.time + WRITE_INTERVAL_MS);
  await settle();
  return { writes, bytes };
}

const rows = measure([100, 10_000]);
const [small, large] = rows as [Row, Row];
const f = (n: number, width = 9) => n.toFixed(1).padStart(width);
console.log(
  `background per-event cost (recordResponse + badge state): median of ${ROUNDS} rounds of ${BATCH} events,`,
);
console.log("each on a fresh copy of the state after the prior events");
console.log("prior events   kept for joining   µs/event   snapshot write: ms   bytes");
for (const row of rows) {
  const prior = row.prior.toLocaleString("en-US").padStart(12);
  const write = (row.writeMicros / 1000).toFixed(2).padStart(18);
  console.log(
    `${prior}   ${String(row.kept).padStart(16)}  ${f(row.micros)}   ${write}   ${row.bytes}`,
  );
}
console.log(`ratio 10,000 / 100: ${(large.micros / small.micros).toFixed(2)}x per event`);
console.log(
  `snapshot writes under steady traffic: at most one per ${WRITE_INTERVAL_MS} ms (before: one per event)`,
);
for (const [perSecond, seconds] of [
  [2, 30],
  [5, 30],
  [50, 10],
] as const) {
  const events = perSecond * seconds;
  const { writes, bytes } = await writesFor(events, 1000 / perSecond);
  console.log(
    `  ${String(perSecond).padStart(3)} events/s for ${seconds} s: ${events} events, ${writes} writes, ${(bytes / 1e6).toFixed(1)} MB written`,
  );
}
