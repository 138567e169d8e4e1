import type { StorageSlot } from "./ports.js";
import { type Config, TrafficState } from "./traffic-state.js";

export interface StateStore {
  /**
   * Runs `task` on the state, after every task asked for before (the first one restores the state
   * from storage). When `task` says the state changed, it is written back.
   */
  run<T>(task: (state: TrafficState) => { changed: boolean; result: T }): Promise<T>;
}

/**
 * The state in memory while the worker runs, and in `slot` (storage.session) for the next worker.
 * Every change starts its write at once, in the same turn as the event that made it: a worker the
 * browser stops right after an event loses nothing a write per event would have kept. While a
 * write is under way, the changes that arrive meanwhile go out together in the next one, so a
 * burst of events costs two writes, not one each.
 */
export function createStateStore(slot: StorageSlot, config: () => Promise<Config>): StateStore {
  let queue: Promise<unknown> = Promise.resolve();
  let state: TrafficState | undefined;
  let writing = false;
  let dirty = false;

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

  async function flush(): Promise<void> {
    writing = true;
    try {
      while (dirty && state !== undefined) {
        dirty = false;
        await write(state);
      }
    } finally {
      writing = false;
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
          if (!writing) void flush();
        }
        return result;
      }),
  };
}
