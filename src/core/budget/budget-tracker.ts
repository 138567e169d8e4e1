import { CUADRA_LIMITS } from "../catalog/cuadra.js";
import { retryAfterDelaySeconds, type StatedWait } from "../decode/stated-wait.js";
import type { Exchange } from "../har/exchange.js";
import type { HeaderMap } from "../headers/header-map.js";
import { parseHttpDate } from "../headers/parse-http-date.js";
import { type MeterReading, parseMeters } from "../headers/parse-meters.js";
import { parseRetryAfter } from "../headers/parse-retry-after.js";
import { isRecord } from "../is-record.js";
import type { BudgetSource, HostBudget, LimitOrigin, LimitSetting, ProviderId } from "../types.js";
import {
  type BudgetSnapshot,
  type HostState,
  hostStateFrom,
  snapshotOf,
} from "./budget-snapshot.js";
import {
  bindingFirst,
  countRequest,
  DEFAULT_WINDOW_MS,
  type ExhaustionWindow,
  endUnresetZero,
  type Fallback,
  isKnown,
  type MeterRecord,
  type MeterState,
  meterStateAt,
  newMeter,
  pushSpan,
  readMeter,
  trimStarts,
  windowMsOf,
} from "./meter.js";

export type { BudgetSnapshot } from "./budget-snapshot.js";
export type { ExhaustionWindow, MeterState } from "./meter.js";
export { DEFAULT_WINDOW_MS } from "./meter.js";

/** A `Date` header has one-second resolution: a smaller difference is not evidence of skew. */
const SKEW_RESOLUTION_MS = 1000;
/** The meter a request draws on when its response names none: the host's count of requests. */
const DEFAULT_METER = "requests";

/** The budget of one host at a moment, richer than the CLI's JSON for the panel and popup. */
export interface BudgetState {
  host: string;
  provider: ProviderId | null;
  /** The binding meter's figures (the first of `meters`). */
  limit: number | null;
  remaining: number | null;
  resetAt: number | null;
  retryAfterUntil: number | null;
  source: BudgetSource;
  /**
   * An estimate with a known limit: where that limit came from, so that views label it without
   * guessing. Absent when the headers hold or no limit is known. Not in the CLI's JSON.
   */
  limitFrom?: LimitOrigin;
  /** Requests started in the last minute: the burn rate per minute. */
  requestsLastMinute: number;
  /** Server clock minus local clock, from the latest `Date` header (0 when under a second). */
  skewMs: number;
  /** Every meter of the host, the binding one (whose figures are above) first. */
  meters: MeterState[];
}

export function documentedLimit(
  provider: ProviderId | null,
): { limit: number; windowMs: number } | undefined {
  return provider === "cuadra"
    ? { limit: CUADRA_LIMITS.perUser, windowMs: CUADRA_LIMITS.windowSeconds * 1000 }
    : undefined;
}

export function skewOf(exchange: Exchange): number {
  const serverNow = parseHttpDate(exchange.responseHeaders.get("date"));
  if (serverNow === undefined) return 0;
  const skew = serverNow - exchange.end;
  return Math.abs(skew) < SKEW_RESOLUTION_MS ? 0 : skew;
}

/**
 * When a stated budget resets, on this computer's clock: an absolute reset time corrected for the
 * server's clock skew, or a delta counted from the response's end (`at`).
 */
export function resetAtOf(
  stated: Pick<MeterReading, "resetAtServer" | "resetDeltaSeconds">,
  at: number,
  skewMs: number,
): number | undefined {
  if (stated.resetAtServer !== undefined) return stated.resetAtServer - skewMs;
  if (stated.resetDeltaSeconds !== undefined) return at + stated.resetDeltaSeconds * 1000;
  return undefined;
}

/**
 * The budgets per host, updated one exchange at a time in O(meters) amortised: each meter from the
 * headers, else docs/decisions.md's "**The estimate.**"; several per host as in "**Meters.**"; and
 * exhausted only by headers ("**Only headers exhaust a budget.**").
 */
export class BudgetTracker {
  readonly #hosts = new Map<string, HostState>();
  readonly #settings: ReadonlyMap<string, LimitSetting>;
  /** The last response's meters: the rule asks for them just before `observe` reads them again. */
  #parsed: { headers: HeaderMap; readings: MeterReading[] } | undefined;

  constructor(settings: readonly LimitSetting[] = []) {
    this.#settings = new Map(settings.map((s) => [s.host.toLowerCase(), s]));
  }

  hosts(): string[] {
    return [...this.#hosts.keys()];
  }

  /** Forgets everything about `host`, as if it had never been observed. */
  forget(host: string): void {
    this.#hosts.delete(host);
  }

  /**
   * The tracker's state as plain JSON-safe data, for a caller that must keep it across restarts
   * (the extension's background worker). Only the start times a window still counts are kept.
   */
  snapshot(): BudgetSnapshot {
    return { v: 2, states: [...this.#hosts.values()].map(snapshotOf) };
  }

  /** A tracker in the state `snapshot` describes; what is broken in it is left out. */
  static restore(snapshot: unknown, settings: readonly LimitSetting[] = []): BudgetTracker {
    const tracker = new BudgetTracker(settings);
    if (!isRecord(snapshot) || snapshot.v !== 2 || !Array.isArray(snapshot.states)) return tracker;
    for (const item of snapshot.states) {
      const state = hostStateFrom(item);
      if (state !== undefined) tracker.#hosts.set(state.host, state);
    }
    return tracker;
  }

  #readings(headers: HeaderMap): MeterReading[] {
    if (this.#parsed?.headers !== headers)
      this.#parsed = { headers, readings: parseMeters(headers) };
    return this.#parsed.readings;
  }

  #state(host: string, provider: ProviderId | null): HostState {
    let state = this.#hosts.get(host);
    if (state === undefined) {
      state = {
        host,
        provider,
        meters: new Map(),
        starts: [],
        head: 0,
        retryAfterUntil: undefined,
        retryAfterFrom: undefined,
        sawRetryAfter: false,
        spans: [],
        skewMs: 0,
      };
      this.#hosts.set(host, state);
    } else if (state.provider === null && provider !== null) {
      state.provider = provider;
    }
    return state;
  }

  #meter(state: HostState, reading: Pick<MeterReading, "name" | "unit" | "scoped">): MeterRecord {
    let meter = state.meters.get(reading.name);
    if (meter === undefined) {
      meter = newMeter(reading.name, reading.unit, reading.scoped === true);
      state.meters.set(reading.name, meter);
    }
    return meter;
  }

  #fallback(state: HostState): Fallback | undefined {
    const setting =
      this.#settings.get(state.host) ?? this.#settings.get(state.host.replace(/:\d+$/, ""));
    if (setting !== undefined) {
      return { limit: setting.limit, windowMs: setting.windowSeconds * 1000, from: "setting" };
    }
    const documented = documentedLimit(state.provider);
    return documented === undefined ? undefined : { ...documented, from: "documented" };
  }

  /**
   * The exhaustion span a request starting at `start` walked into, if any. A Retry-After holds for
   * the whole host; "0 remaining" only for the meters the request drew on (`meters`, named by its
   * own response: a request to GitHub's search is not sent into an exhausted core). A response
   * naming none drew on every meter the host does not scope to a resource.
   */
  exhaustedAt(
    host: string,
    start: number,
    meters?: readonly string[],
  ): ExhaustionWindow | undefined {
    const state = this.#hosts.get(host);
    if (state === undefined) return undefined;
    let found: ExhaustionWindow | undefined;
    const consider = (span: ExhaustionWindow) => {
      if (start < span.from || start >= span.until - span.toleranceMs) return;
      if (found === undefined || span.from >= found.from) found = span;
    };
    for (const meter of state.meters.values()) {
      const drawn = meters === undefined ? !meter.scoped : meters.includes(meter.name);
      if (drawn) for (const span of meter.spans) consider(span);
    }
    // Last, so that of a 429 saying both "0 remaining" and Retry-After, the Retry-After is named.
    for (const span of state.spans) consider(span);
    return found;
  }

  /** exhaustedAt for a request, by the meters its own response names. */
  exhaustedBy(exchange: Exchange): ExhaustionWindow | undefined {
    const readings = this.#readings(exchange.responseHeaders);
    const names = readings.length === 0 ? undefined : readings.map((r) => r.name);
    return this.exhaustedAt(exchange.host, exchange.start, names);
  }

  /**
   * Counts the request and reads whatever its response says of the budget. `wait` is a wait the
   * server stated elsewhere than in the headers (Google's RetryInfo), when the headers state none.
   */
  observe(
    exchange: Exchange,
    provider: ProviderId | null,
    wait?: Pick<StatedWait, "seconds" | "dated">,
  ): void {
    if (!Number.isFinite(exchange.start)) return;
    const state = this.#state(exchange.host, provider);
    const fallback = this.#fallback(state);
    state.starts.push(exchange.start);
    trimStarts(state, exchange.start - DEFAULT_WINDOW_MS);

    const readings = this.#readings(exchange.responseHeaders);
    const at = exchange.end;
    const skew = skewOf(exchange);
    if (exchange.responseHeaders.has("date")) state.skewMs = skew;
    if (readings.length === 0) {
      // A response that states no meter still drew one from each meter counted in requests that
      // no resource scopes (an IETF policy, Mistral's requests-minute), else from the host's own.
      const drawn = [...state.meters.values()].filter((m) => m.unit === "requests" && !m.scoped);
      if (drawn.length === 0)
        drawn.push(this.#meter(state, { name: DEFAULT_METER, unit: "requests" }));
      for (const meter of drawn) {
        countRequest(meter, exchange.start, windowMsOf(meter, fallback));
        if (exchange.status >= 200 && exchange.status < 400) endUnresetZero(meter, exchange.start);
      }
    }
    for (const reading of readings) {
      const meter = this.#meter(state, reading);
      countRequest(meter, exchange.start, windowMsOf(meter, fallback));
      readMeter(meter, reading, at, resetAtOf(reading, at, skew), exchange);
    }

    if (exchange.status >= 200 && exchange.status < 300) {
      // The server is answering again: a Retry-After stated before this request left is over.
      if (state.retryAfterFrom !== undefined && exchange.start >= state.retryAfterFrom) {
        state.retryAfterUntil = undefined;
        state.retryAfterFrom = undefined;
      }
      return;
    }
    if (exchange.status < 400) return;
    const header = parseRetryAfter(exchange.responseHeaders);
    const stated =
      header === undefined
        ? wait
        : { seconds: retryAfterDelaySeconds(header, exchange), dated: header.kind === "date" };
    if (stated === undefined) return;
    const until = at + stated.seconds * 1000;
    state.sawRetryAfter = true;
    if (state.retryAfterUntil === undefined || until > state.retryAfterUntil) {
      state.retryAfterUntil = until;
      state.retryAfterFrom = at;
    }
    if (exchange.status === 429 || exchange.status === 503) {
      pushSpan(state.spans, {
        from: at,
        until,
        toleranceMs: stated.dated ? 1000 : 500,
        index: exchange.index,
        reason: "retry-after",
        status: exchange.status,
        limit: undefined,
        retryAfterSeconds: stated.seconds,
      });
    }
  }

  /**
   * The budget as of `now`: every meter from its headers while they hold, else an estimate, always
   * labelled; the binding one first and as the host's own figures.
   */
  stateAt(host: string, now: number): BudgetState | undefined {
    const state = this.#hosts.get(host);
    if (state === undefined) return undefined;
    const fallback = this.#fallback(state);
    const records = [...state.meters.values()];
    // A meter that knows nothing (requests that got no rate-limit answer) is left out next to
    // meters that do: it counts in the burn rate, not as a budget.
    const known = records.filter((m) => isKnown(m, fallback));
    const listed = (known.length > 0 ? known : records.slice(0, 1)).map((m) =>
      meterStateAt(m, fallback, now),
    );
    const meters = bindingFirst(
      listed.length > 0
        ? listed
        : [
            {
              name: DEFAULT_METER,
              unit: "requests",
              limit: null,
              remaining: null,
              resetAt: null,
              source: "estimate",
            },
          ],
    );
    const binding = meters[0] as MeterState;
    let requestsLastMinute = 0;
    for (let i = state.head; i < state.starts.length; i++) {
      const start = state.starts[i] ?? 0;
      if (start >= now - 60_000 && start <= now) requestsLastMinute++;
    }
    const budget: BudgetState = {
      host,
      provider: state.provider,
      limit: binding.limit,
      remaining: binding.remaining,
      resetAt: binding.resetAt,
      retryAfterUntil:
        state.retryAfterUntil !== undefined && state.retryAfterUntil > now
          ? state.retryAfterUntil
          : null,
      source: binding.source,
      requestsLastMinute,
      skewMs: state.skewMs,
      meters,
    };
    if (binding.limitFrom !== undefined) budget.limitFrom = binding.limitFrom;
    return budget;
  }

  /** Hosts worth a budget line: API hosts, and any other host that stated a limit or a wait. */
  reportedHosts(): string[] {
    return [...this.#hosts.values()]
      .filter(
        (s) =>
          s.provider === "casola" ||
          s.provider === "cuadra" ||
          s.sawRetryAfter ||
          [...s.meters.values()].some((m) => m.sawHeaders),
      )
      .map((s) => s.host);
  }
}

function iso(ms: number | null): string | null {
  return ms === null || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
}

export function toHostBudget(state: BudgetState): HostBudget {
  return {
    host: state.host,
    provider: state.provider,
    limit: state.limit,
    remaining: state.remaining,
    resetAt: iso(state.resetAt),
    retryAfterUntil: iso(state.retryAfterUntil),
    source: state.source,
    meters: state.meters.map(({ name, limit, remaining, resetAt, source }) => ({
      name,
      limit,
      remaining,
      resetAt: iso(resetAt),
      source,
    })),
  };
}
