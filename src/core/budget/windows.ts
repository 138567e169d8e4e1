import type { BudgetState } from "./budget-tracker.js";

/**
 * A stretch of time the budget says to wait out: a Retry-After the server stated (`retry-after`),
 * or a meter at 0 until its reset (`zero-budget`). Epoch ms.
 */
export interface BudgetWindow {
  kind: "retry-after" | "zero-budget";
  host: string;
  /** zero-budget: the meter at 0. */
  meter?: string;
  from: number;
  until: number;
}

/** Windows kept per host; the oldest half goes when full, never the newest. */
const MAX_WINDOWS = 2_000;

/** A window still growing, and whether its end is known (a stated reset) or only seen so far. */
interface Open {
  stretch: BudgetWindow;
  /** The end is the meter's stated reset, not the last time it was seen at 0. */
  resetKnown: boolean;
}

/**
 * Follows one host's budget as each of its responses is read, and keeps its windows in order of
 * start. It reads only the budget's own figures, so the windows are the ones the Budget view
 * counts down: a 2xx that ends a Retry-After ends its window there, a reset that comes early
 * ends a zero-budget stretch at the response that shows it.
 */
export class WindowRecorder {
  readonly #windows: BudgetWindow[] = [];
  #retry: BudgetWindow | undefined;
  readonly #zero = new Map<string, Open>();

  get windows(): readonly BudgetWindow[] {
    return this.#windows;
  }

  /** The host's budget as of `at`, just after a response of the host was read. */
  observe(at: number, state: BudgetState): void {
    this.#observeRetry(at, state);
    const atZero = new Set<string>();
    for (const meter of state.meters) {
      if (meter.remaining !== 0) continue;
      atZero.add(meter.name);
      const reset = meter.resetAt !== null && meter.resetAt > at ? meter.resetAt : undefined;
      const open = this.#zero.get(meter.name);
      if (open === undefined) {
        const started = {
          kind: "zero-budget" as const,
          host: state.host,
          meter: meter.name,
          from: at,
        };
        this.#zero.set(meter.name, {
          stretch: this.#push({ ...started, until: reset ?? at }),
          resetKnown: reset !== undefined,
        });
      } else {
        open.stretch.until = Math.max(open.stretch.until, reset ?? at);
        open.resetKnown = reset !== undefined || open.resetKnown;
      }
    }
    for (const [name, open] of this.#zero) {
      if (atZero.has(name)) continue;
      // Back above 0: before the stated reset, the reset came early; without one, now is the end.
      open.stretch.until = open.resetKnown ? Math.min(open.stretch.until, at) : at;
      this.#zero.delete(name);
    }
  }

  #observeRetry(at: number, state: BudgetState): void {
    const until = state.retryAfterUntil;
    const open = this.#retry;
    if (until === null || until <= at) {
      // The budget no longer holds a wait (a 2xx ended it, or it ran out): the window ends here.
      if (open !== undefined) open.until = Math.max(open.from, Math.min(open.until, at));
      this.#retry = undefined;
      return;
    }
    if (open !== undefined && open.until >= at) {
      open.until = until;
      return;
    }
    this.#retry = this.#push({ kind: "retry-after", host: state.host, from: at, until });
  }

  #push(started: BudgetWindow): BudgetWindow {
    if (this.#windows.length >= MAX_WINDOWS) this.#windows.splice(0, MAX_WINDOWS / 2);
    this.#windows.push(started);
    return started;
  }
}
