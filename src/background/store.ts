import type { Clock, StorageSlot } from "./ports.js";
import { type Config, TrafficState } from "./traffic-state.js";

export interface StateStore {
  /**
   * Runs `task` on the state, after every task asked for before (the first one restores the state
   * from storage). When `task` says the state changed, it is written back.
   */
  run<T>(task: (state: TrafficState) => { changed: boolean; result: T }): Promise<T>;
}

/**
 * Writes of the snapshot start at most this often. Each write saves the whole snapshot (about
 * 225 KB with the 2,000 requests kept for joining, a couple of milliseconds to serialise), so
 * steady traffic pays one per interval, not one per event; what a worker killed outright (a crash; the
 * browser stops an idle worker only after 30 s without events) can lose is the changes of the
 * last WRITE_INTERVAL_MS and the write under way (docs/decisions.md, "At most one write every 250 ms").
 */
export const WRITE_INTERVAL_MS = 250;

/**
 * The state in memory while the worker runs, and in `slot` (storage.session) for the next worker.
 * A change after a quiet spell starts its write at once, in the same turn as the event that made
 * it. Changes that come while a write is under way, or within WRITE_INTERVAL_MS of its start, go
 * out together in one write at the end of that interval: a burst of events costs two writes, and
 * steady traffic at most one per interval, not one per event.
 */
export function createStateStore(
  slot: StorageSlot,
  config: () => Promise<Config>,
  clock: Pick<Clock, "now" | "setTimeout">,
): StateStore {
  let queue: Promise<unknown> = Promise.resolve();
  let state: TrafficState | undefined;
  let writing = false;
  let dirty = false;
  /** When the latest write started. */
  let lastWrite = Number.NEGATIVE_INFINITY;
  let cancelTimer: (() => void) | undefined;

  const report = (error: unknown) => console.error("Ratelens background:", error);

  /**
   * Writes the snapshot; when storage refuses it (its quota is full), the oldest requests go,
   * half at a time, until it fits or none is left. The popup says how many went.
   */
  async function write(current: TrafficState): Promise<void> {
    for (;;) {
      try {
        await slot.set(current.snapshot());
        return;
      } catch (error) {
        if (current.size === 0) return report(error);
        current.shedOldest();
      }
    }
  }

  /** Starts the next write now, or at the end of the interval, unless one is already due. */
  function schedule(): void {
    if (!dirty || writing || cancelTimer !== undefined) return;
    const wait = lastWrite + WRITE_INTERVAL_MS - clock.now();
    if (wait <= 0) {
      void flush();
      return;
    }
    cancelTimer = clock.setTimeout(() => {
      cancelTimer = undefined;
      schedule();
    }, wait);
  }

  async function flush(): Promise<void> {
    if (state === undefined) return;
    writing = true;
    dirty = false;
    lastWrite = clock.now();
    try {
      await write(state);
    } finally {
      writing = false;
      // What changed meanwhile goes out at the end of the interval.
      schedule();
    }
  }

  const enqueue = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    // A failed task must not stop the ones after it.
    queue = run.catch(() => {});
    return run;
  };

  return {
    run: (task) =>
      enqueue(async () => {
        const current = await config();
        if (state === undefined) state = TrafficState.restore(await slot.get(), current);
        else state.configure(current);
        const { changed, result } = task(state);
        if (changed) {
          dirty = true;
          schedule();
        }
        return result;
      }),
  };
}
