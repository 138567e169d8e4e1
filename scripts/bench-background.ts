/**
 * The background's cost per webRequest event, after 100 and after 10,000 earlier events: the
 * state update (TrafficState.recordResponse) plus the badge's answer for the tab, which is what
 * the worker does on every response; and, apart, one snapshot for storage.session. Run with
 * `npm run bench:background`. Timings vary with the machine: no test asserts them.
 */
import { performance } from "node:perf_hooks";
import { TrafficState } from "../src/background/traffic-state.js";
import { HostTable } from "../src/core/hosts.js";
import type { CompletedDetails } from "../src/platform/ports/background.js";
import { DEFAULT_SETTINGS } from "../src/settings/settings.js";
import { T0 } from "../test/support/har.js";

const HOSTS = ["https://api.casola.ai/v1/jobs", "https://api.cuadra.ai/v1/chat"];
const MEASURED = 2000;
const ROUNDS = 7;

function event(i: number): CompletedDetails {
  return {
    requestId: String(i),
    url: `${HOSTS[i % 2]}?n=${i % 50}`,
    method: "GET",
    tabId: 1 + (i % 4),
    timeStamp: T0 + i * 200,
    statusCode: i % 10 === 0 ? 429 : 200,
    responseHeaders: [
      { name: "X-RateLimit-Limit", value: "1000" },
      { name: "X-RateLimit-Remaining", value: String(1000 - (i % 1000)) },
      { name: "X-RateLimit-Reset", value: "30" },
      { name: "Content-Type", value: "application/json" },
    ],
  };
}

function stateAfter(prior: number): TrafficState {
  // Retention long enough that nothing ages out during the run: the worst case for the caps.
  const settings = { ...DEFAULT_SETTINGS, hosts: [], limits: [], retentionMinutes: 24 * 60 };
  const state = new TrafficState({ settings, table: new HostTable(settings.hosts) });
  for (let i = 0; i < prior; i++) state.recordResponse(event(i), T0 + i * 200);
  return state;
}

/** Median over rounds of the mean µs per event for MEASURED events after `prior` ones. */
function perEvent(prior: number): { micros: number; snapshotMicros: number; bytes: number } {
  const means: number[] = [];
  const snapshots: number[] = [];
  let bytes = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const state = stateAfter(prior);
    const begin = performance.now();
    for (let i = prior; i < prior + MEASURED; i++) {
      const details = event(i);
      state.recordResponse(details, details.timeStamp);
      state.stateFor(details.tabId, details.timeStamp, { activeHostOnly: true });
    }
    means.push(((performance.now() - begin) * 1000) / MEASURED);
    const at = performance.now();
    const json = JSON.stringify(state.snapshot());
    snapshots.push((performance.now() - at) * 1000);
    bytes = json.length;
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  return { micros: median(means), snapshotMicros: median(snapshots), bytes };
}

perEvent(100); // warm up the JIT
const small = perEvent(100);
const large = perEvent(10_000);
const f = (n: number) => n.toFixed(1).padStart(9);
console.log("background per-event cost (recordResponse + badge state), median of 7 rounds");
console.log("prior events      µs/event   snapshot µs   snapshot bytes");
console.log(`       100      ${f(small.micros)}     ${f(small.snapshotMicros)}   ${small.bytes}`);
console.log(`    10,000      ${f(large.micros)}     ${f(large.snapshotMicros)}   ${large.bytes}`);
console.log(`ratio 10,000 / 100: ${(large.micros / small.micros).toFixed(2)}x per event`);
