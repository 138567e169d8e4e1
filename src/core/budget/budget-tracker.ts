import { CUADRA_LIMITS } from "../catalog/cuadra.js";
import { retryAfterDelaySeconds } from "../decode/decode-error.js";
import { isTime } from "../guards.js";
import type { Exchange } from "../har/exchange.js";
import { parseHttpDate } from "../headers/parse-http-date.js";
import {
  parseRateLimitHeaders,
  type RateLimitHeaders,
  rateLimitResourceOf,
} from "../headers/parse-rate-limit-headers.js";
import { parseRetryAfter } from "../headers/parse-retry-after.js";
import { isRecord } from "../is-record.js";
import type { BudgetSource, HostBudget, LimitOrigin, LimitSetting, ProviderId } from "../types.js";

/** The rate-limit window assumed when neither a header nor a setting names one. */
export const DEFAULT_WINDOW_MS = 60_000;
/** A `Date` header has one-second resolution: a smaller difference is not evidence of skew. */
const SKEW_RESOLUTION_MS = 1000;
/** Reset times are stated in whole seconds. */
const RESET_TOLERANCE_MS = 1000;
const MAX_WINDOWS = 8;

/** A stretch of time in which a request to the host is sent into an exhausted budget. */
export interface ExhaustionWindow {
  from: number;
  until: number;
  /** Requests starting within this much of `until` are not counted: the stated time is rounded. */
  toleranceMs: number;
  index: number;
  reason: "remaining-zero" | "retry-after";
  status: number;
  limit: number | undefined;
  retryAfterSeconds: number | undefined;
}

/** One of a host's budgets: requests, tokens, a GitHub resource, an IETF policy. */
export interface MeterState {
  name: string;
  limit: number | null;
  remaining: number | null;
  /** Epoch ms, local clock. */
  resetAt: number | null;
  source: BudgetSource;
  limitFrom?: LimitOrigin;
}

/** The budget of one host at a moment, richer than the CLI's JSON for the panel and popup. */
export interface BudgetState {
  host: string;
  provider: ProviderId | null;
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
  /** Every budget of the host, the binding one (the figures above) first; at least one. */
  meters: MeterState[];
}

interface HeaderObservation {
  at: number;
  limit: number | undefined;
  remaining: number | undefined;
  resetAt: number | undefined;
}

/** The budget of one host, or of one named resource of it ("" when the host names none). */
interface HostState {
  host: string;
  resource: string;
  provider: ProviderId | null;
  header: HeaderObservation | undefined;
  /** Requests started after the latest header observation: what its figures do not count. */
  sinceHeader: number;
  learnedLimit: number | undefined;
  learnedWindowMs: number | undefined;
  /** Start times, oldest first, trimmed to the rate-limit window from `head`. */
  starts: number[];
  head: number;
  retryAfterUntil: number | undefined;
  spans: ExhaustionWindow[];
  skewMs: number;
  sawHeaders: boolean;
}

/** One host's (or one resource's) budget state as `BudgetTracker.snapshot()` writes it. */
export type HostStateSnapshot = Omit<HostState, "head">;

export interface BudgetSnapshot {
  v: 1;
  states: HostStateSnapshot[];
}

/** Start times a snapshot keeps per budget: far beyond any documented limit. */
const MAX_SNAPSHOT_STARTS = 5000;

const optionalTime = (value: unknown): number | undefined => (isTime(value) ? value : undefined);

/** A deep copy through JSON: what a snapshot holds must survive storage exactly so. */
function structuredCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function spanFrom(value: unknown): ExhaustionWindow | undefined {
  if (!isRecord(value)) return undefined;
  const { from, until, toleranceMs, index, reason, status } = value;
  if (!isTime(from) || !isTime(until) || !isTime(toleranceMs) || !isTime(index)) return undefined;
  if (reason !== "remaining-zero" && reason !== "retry-after") return undefined;
  if (!isTime(status)) return undefined;
  return {
    from,
    until,
    toleranceMs,
    index,
    reason,
    status,
    limit: optionalTime(value.limit),
    retryAfterSeconds: optionalTime(value.retryAfterSeconds),
  };
}

function hostStateFrom(value: unknown): HostState | undefined {
  if (!isRecord(value)) return undefined;
  const { host, resource, provider, header } = value;
  if (typeof host !== "string" || typeof resource !== "string") return undefined;
  if (!(provider === null || typeof provider === "string")) return undefined;
  if (!Array.isArray(value.starts) || !Array.isArray(value.spans)) return undefined;
  let restoredHeader: HeaderObservation | undefined;
  if (isRecord(header) && isTime(header.at)) {
    restoredHeader = {
      at: header.at,
      limit: optionalTime(header.limit),
      remaining: optionalTime(header.remaining),
      resetAt: optionalTime(header.resetAt),
    };
  }
  return {
    host,
    resource,
    provider: provider as ProviderId | null,
    header: restoredHeader,
    sinceHeader: optionalTime(value.sinceHeader) ?? 0,
    learnedLimit: optionalTime(value.learnedLimit),
    learnedWindowMs: optionalTime(value.learnedWindowMs),
    starts: value.starts.filter(isTime),
    head: 0,
    retryAfterUntil: optionalTime(value.retryAfterUntil),
    spans: value.spans.map(spanFrom).filter((s): s is ExhaustionWindow => s !== undefined),
    skewMs: optionalTime(value.skewMs) ?? 0,
    sawHeaders: value.sawHeaders === true,
  };
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
  stated: Pick<RateLimitHeaders, "resetAtServer" | "resetDeltaSeconds">,
  at: number,
  skewMs: number,
): number | undefined {
  if (stated.resetAtServer !== undefined) return stated.resetAtServer - skewMs;
  if (stated.resetDeltaSeconds !== undefined) return at + stated.resetDeltaSeconds * 1000;
  return undefined;
}

/**
 * The budget per host, updated one exchange at a time in O(1) amortised: what the headers say,
 * else docs/decisions.md's "**The estimate.**"; per resource as in "**One budget per (host,
 * `x-ratelimit-resource`).**"; and exhausted only by headers ("**Only headers exhaust a budget.**").
 */
export class BudgetTracker {
  /** host -> resource ("" for the host's only budget) -> state. */
  readonly #hosts = new Map<string, Map<string, HostState>>();
  readonly #settings: ReadonlyMap<string, LimitSetting>;

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
   * (the extension's background worker). Only the start times the rate-limit window still counts are kept.
   */
  snapshot(): BudgetSnapshot {
    const states: HostStateSnapshot[] = [];
    for (const byResource of this.#hosts.values()) {
      for (const state of byResource.values()) {
        const { starts, head, ...rest } = state;
        states.push(
          structuredCopy({ ...rest, starts: starts.slice(head).slice(-MAX_SNAPSHOT_STARTS) }),
        );
      }
    }
    return { v: 1, states };
  }

  /** A tracker in the state `snapshot` describes; what is broken in it is left out. */
  static restore(snapshot: unknown, settings: readonly LimitSetting[] = []): BudgetTracker {
    const tracker = new BudgetTracker(settings);
    if (!isRecord(snapshot) || snapshot.v !== 1 || !Array.isArray(snapshot.states)) return tracker;
    for (const item of snapshot.states) {
      const state = hostStateFrom(item);
      if (state === undefined) continue;
      let byResource = tracker.#hosts.get(state.host);
      if (byResource === undefined) {
        byResource = new Map();
        tracker.#hosts.set(state.host, byResource);
      }
      byResource.set(state.resource, state);
    }
    return tracker;
  }

  #state(host: string, resource: string, provider: ProviderId | null): HostState {
    let states = this.#hosts.get(host);
    if (states === undefined) {
      states = new Map();
      this.#hosts.set(host, states);
    }
    let state = states.get(resource);
    if (state === undefined) {
      state = {
        host,
        resource,
        provider,
        header: undefined,
        sinceHeader: 0,
        learnedLimit: undefined,
        learnedWindowMs: undefined,
        starts: [],
        head: 0,
        retryAfterUntil: undefined,
        spans: [],
        skewMs: 0,
        sawHeaders: false,
      };
      states.set(resource, state);
    } else if (state.provider === null && provider !== null) {
      state.provider = provider;
    }
    return state;
  }

  #limitFor(state: HostState): { limit: number; windowMs: number; from: LimitOrigin } | undefined {
    const setting =
      this.#settings.get(state.host) ?? this.#settings.get(state.host.replace(/:\d+$/, ""));
    const fallback = setting
      ? { limit: setting.limit, windowMs: setting.windowSeconds * 1000, from: "setting" as const }
      : { ...documentedLimit(state.provider), from: "documented" as const };
    const learned = state.learnedLimit !== undefined;
    const limit = state.learnedLimit ?? fallback.limit;
    if (limit === undefined) return undefined;
    return {
      limit,
      windowMs: state.learnedWindowMs ?? fallback.windowMs ?? DEFAULT_WINDOW_MS,
      from: learned ? "headers" : fallback.from,
    };
  }

  #windowMs(state: HostState): number {
    return Math.max(this.#limitFor(state)?.windowMs ?? DEFAULT_WINDOW_MS, DEFAULT_WINDOW_MS);
  }

  /**
   * The exhaustion span a request starting at `start` walked into, if any. A Retry-After holds for
   * the whole host; "0 remaining" only for the budget the request drew on (`resource`, from its
   * own response: a request to GitHub's search is not sent into an exhausted core).
   */
  exhaustedAt(host: string, start: number, resource = ""): ExhaustionWindow | undefined {
    let found: ExhaustionWindow | undefined;
    for (const state of this.#hosts.get(host)?.values() ?? []) {
      for (const span of state.spans) {
        if (span.reason === "remaining-zero" && state.resource !== resource) continue;
        if (start < span.from || start >= span.until - span.toleranceMs) continue;
        if (found === undefined || span.from >= found.from) found = span;
      }
    }
    return found;
  }

  /** Counts the request and reads whatever its response says of the budget. */
  observe(exchange: Exchange, provider: ProviderId | null): void {
    if (!Number.isFinite(exchange.start)) return;
    const resource = rateLimitResourceOf(exchange.responseHeaders) ?? "";
    const state = this.#state(exchange.host, resource, provider);
    this.#countRequest(state, exchange.start);

    const at = exchange.end;
    const skew = skewOf(exchange);
    if (exchange.responseHeaders.has("date")) state.skewMs = skew;
    const stated = parseRateLimitHeaders(exchange.responseHeaders);
    if (stated !== undefined) {
      state.sawHeaders = true;
      const resetAt = resetAtOf(stated, at, skew);
      // Responses can finish out of order: only the newest one says what the limit is now.
      if (state.header === undefined || at >= state.header.at) {
        if (stated.limit !== undefined) state.learnedLimit = stated.limit;
        if (stated.windowSeconds !== undefined && stated.windowSeconds > 0) {
          state.learnedWindowMs = stated.windowSeconds * 1000;
        }
        state.header = {
          at,
          limit: stated.limit ?? state.learnedLimit,
          remaining: stated.remaining,
          resetAt,
        };
        state.sinceHeader = 0;
      }
      if (stated.remaining === 0 && resetAt !== undefined && resetAt > at) {
        this.#pushSpan(state, {
          from: at,
          until: resetAt,
          toleranceMs: RESET_TOLERANCE_MS,
          index: exchange.index,
          reason: "remaining-zero",
          status: exchange.status,
          limit: stated.limit ?? state.learnedLimit,
          retryAfterSeconds: undefined,
        });
      } else if (stated.remaining !== undefined && stated.remaining > 0) {
        // The budget is back: a later request is not sent into the old reset.
        for (const span of state.spans) {
          if (span.reason === "remaining-zero" && span.from <= at && span.until > at)
            span.until = at;
        }
      }
    }

    const header = state.header;
    if (
      stated === undefined &&
      exchange.status >= 200 &&
      exchange.status < 400 &&
      header?.remaining === 0 &&
      header.resetAt === undefined &&
      exchange.start >= header.at
    ) {
      // "0 remaining" with no reset (Cuadra's 429 sends Remaining 0 and Retry-After, no reset)
      // would hold for a whole window; a success sent after it is evidence the window has moved
      // on, so the stated figure ends where this request was accepted and the estimate counts
      // from there. A stated reset time stands: a success before it may not have drawn on the
      // budget at all (a free or cached endpoint).
      header.resetAt = exchange.start;
    }

    const retryAfter =
      exchange.status >= 400 ? parseRetryAfter(exchange.responseHeaders) : undefined;
    if (retryAfter !== undefined) {
      const seconds = retryAfterDelaySeconds(retryAfter, exchange);
      const until = at + seconds * 1000;
      if (state.retryAfterUntil === undefined || until > state.retryAfterUntil)
        state.retryAfterUntil = until;
      if (exchange.status === 429 || exchange.status === 503) {
        this.#pushSpan(state, {
          from: at,
          until,
          toleranceMs: retryAfter.kind === "date" ? 1000 : 500,
          index: exchange.index,
          reason: "retry-after",
          status: exchange.status,
          limit: undefined,
          retryAfterSeconds: seconds,
        });
      }
    }
  }

  #countRequest(state: HostState, start: number): void {
    state.starts.push(start);
    if (state.header !== undefined && start >= state.header.at) state.sinceHeader++;
    const horizon = start - this.#windowMs(state);
    while (state.head < state.starts.length && (state.starts[state.head] ?? 0) < horizon)
      state.head++;
    // Compact now and then so the array does not grow with the whole session.
    if (state.head > 1024 && state.head * 2 > state.starts.length) {
      state.starts = state.starts.slice(state.head);
      state.head = 0;
    }
  }

  #pushSpan(state: HostState, span: ExhaustionWindow): void {
    state.spans.push(span);
    if (state.spans.length > MAX_WINDOWS) state.spans.shift();
  }

  #countSince(
    state: HostState,
    since: number,
    now: number,
  ): { count: number; oldest: number | undefined } {
    let count = 0;
    let oldest: number | undefined;
    for (let i = state.head; i < state.starts.length; i++) {
      const start = state.starts[i] ?? 0;
      if (start >= since && start <= now) {
        count++;
        if (oldest === undefined || start < oldest) oldest = start;
      }
    }
    return { count, oldest };
  }

  /**
   * The budget as of `now`: the headers while they hold, else an estimate, always labelled. A
   * host with named resources reports the binding one (least remaining) and lists them all.
   */
  stateAt(host: string, now: number): BudgetState | undefined {
    const states = [...(this.#hosts.get(host)?.values() ?? [])];
    const [only] = states;
    if (only === undefined) return undefined;
    if (states.length === 1 && only.resource === "") return this.#stateOf(only, now);
    // Requests that got no rate-limit answer ("") count in the burn rate, not as a budget.
    const named = states.filter((s) => s.resource !== "");
    const listed = named.map((s) => ({ state: s, budget: this.#stateOf(s, now) }));
    if (listed.length === 0) return this.#stateOf(only, now);
    let binding = listed[0] as (typeof listed)[number];
    for (const item of listed) {
      const remaining = item.budget.remaining;
      if (
        remaining !== null &&
        (binding.budget.remaining === null || remaining < binding.budget.remaining)
      )
        binding = item;
    }
    const all = states.map((s) => this.#stateOf(s, now));
    const retryAfters = all.map((b) => b.retryAfterUntil).filter((t): t is number => t !== null);
    const others = listed
      .filter((item) => item !== binding)
      .sort((a, b) => a.state.resource.localeCompare(b.state.resource));
    return {
      ...binding.budget,
      retryAfterUntil: retryAfters.length === 0 ? null : Math.max(...retryAfters),
      requestsLastMinute: all.reduce((sum, b) => sum + b.requestsLastMinute, 0),
      meters: [binding, ...others].map(({ state, budget }) => ({
        ...meterOf(budget),
        name: state.resource,
      })),
    };
  }

  #stateOf(state: HostState, now: number): BudgetState {
    const budget = this.#figuresOf(state, now);
    return { ...budget, meters: [{ ...meterOf(budget), name: "requests" }] };
  }

  #figuresOf(state: HostState, now: number): Omit<BudgetState, "meters"> {
    const host = state.host;
    const requestsLastMinute = this.#countSince(state, now - 60_000, now).count;
    const retryAfterUntil =
      state.retryAfterUntil !== undefined && state.retryAfterUntil > now
        ? state.retryAfterUntil
        : null;
    const base = {
      host,
      provider: state.provider,
      retryAfterUntil,
      requestsLastMinute,
      skewMs: state.skewMs,
    };
    const header = state.header;
    const limits = this.#limitFor(state);
    const headerHolds =
      header?.remaining !== undefined &&
      (header.resetAt !== undefined
        ? now < header.resetAt
        : now < header.at + (limits?.windowMs ?? DEFAULT_WINDOW_MS));
    if (header !== undefined && header.remaining !== undefined && headerHolds) {
      const limit = header.limit ?? limits?.limit ?? null;
      // A server that says "limit 0, remaining 1" contradicts itself: never more left than the limit.
      const left = Math.max(0, header.remaining - state.sinceHeader);
      const counted = {
        ...base,
        limit,
        remaining: limit === null ? left : Math.min(limit, left),
        resetAt: header.resetAt ?? null,
      };
      if (state.sinceHeader === 0) return { ...counted, source: "headers" };
      // Counted down from the header's remaining: the limit is the header's, else the fallback's.
      const from = header.limit !== undefined ? "headers" : limits?.from;
      return from === undefined
        ? { ...counted, source: "estimate" }
        : { ...counted, source: "estimate", limitFrom: from };
    }
    if (limits === undefined) {
      return { ...base, limit: null, remaining: null, resetAt: null, source: "estimate" };
    }
    const since = Math.max(now - limits.windowMs, header?.resetAt ?? Number.NEGATIVE_INFINITY);
    const { count, oldest } = this.#countSince(state, since, now);
    return {
      ...base,
      limit: limits.limit,
      remaining: Math.max(0, limits.limit - count),
      resetAt: oldest === undefined ? null : oldest + limits.windowMs,
      source: "estimate",
      limitFrom: limits.from,
    };
  }

  /** Hosts worth a budget line: API hosts, and any other host that stated a limit. */
  reportedHosts(): string[] {
    return [...this.#hosts]
      .filter(([, states]) =>
        [...states.values()].some(
          (s) =>
            s.provider === "casola" ||
            s.provider === "cuadra" ||
            s.sawHeaders ||
            s.retryAfterUntil !== undefined,
        ),
      )
      .map(([host]) => host);
  }
}

function meterOf(budget: Omit<BudgetState, "meters">): Omit<MeterState, "name"> {
  const { limit, remaining, resetAt, source, limitFrom } = budget;
  return limitFrom === undefined
    ? { limit, remaining, resetAt, source }
    : { limit, remaining, resetAt, source, limitFrom };
}

function iso(ms: number | null): string | null {
  return ms === null || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
}

export function toHostBudget(state: BudgetState): HostBudget {
  const budget: HostBudget = {
    host: state.host,
    provider: state.provider,
    limit: state.limit,
    remaining: state.remaining,
    resetAt: iso(state.resetAt),
    retryAfterUntil: iso(state.retryAfterUntil),
    source: state.source,
  };
  // Only hosts that name their budgets get the two fields: every other line stays as it was.
  const [binding] = state.meters;
  if (state.meters.length > 1 && binding !== undefined) {
    budget.resource = binding.name;
    budget.resources = state.meters
      .map(({ name, limit, remaining, resetAt, source }) => ({
        resource: name,
        limit,
        remaining,
        resetAt: iso(resetAt),
        source,
      }))
      .sort((a, b) => a.resource.localeCompare(b.resource));
  }
  return budget;
}
