import type { MeterReading } from "../headers/parse-meters.js";
import type { BudgetSource, LimitOrigin } from "../types.js";

/** The rate-limit window assumed when neither a header nor a setting names one. */
export const DEFAULT_WINDOW_MS = 60_000;
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
  /** The meter at 0 ("remaining-zero" only): `requests`, `tokens`, GitHub's `search`, ... */
  meter?: string;
  unit?: MeterReading["unit"];
}

/**
 * One of the budgets a host keeps at once (docs/decisions.md "**Meters.**"): `requests`, `tokens`,
 * GitHub's `core` or `search`, an IETF policy's name.
 */
export interface MeterState {
  name: string;
  /** Whether each request draws one from it (`requests`) or an amount it alone knows (`tokens`). */
  unit: MeterReading["unit"];
  limit: number | null;
  remaining: number | null;
  resetAt: number | null;
  source: BudgetSource;
  /** An estimate with a known limit: where that limit came from, so that views label it. */
  limitFrom?: LimitOrigin;
}

export interface HeaderObservation {
  at: number;
  limit: number | undefined;
  remaining: number | undefined;
  resetAt: number | undefined;
}

/** What the tracker keeps of one meter of one host. */
export interface MeterRecord {
  name: string;
  unit: MeterReading["unit"];
  /** Only requests whose own response names it draw on it (GitHub's resources). */
  scoped: boolean;
  header: HeaderObservation | undefined;
  /** Requests counted after the latest header observation: what its figures do not count. */
  sinceHeader: number;
  learnedLimit: number | undefined;
  learnedWindowMs: number | undefined;
  /** Start times of the requests drawn on it, oldest first, trimmed to its window from `head`. */
  starts: number[];
  head: number;
  spans: ExhaustionWindow[];
  sawHeaders: boolean;
}

/** The limit an estimate counts against, and where it came from. */
export interface Fallback {
  limit: number;
  windowMs: number;
  from: "setting" | "documented";
}

export function newMeter(name: string, unit: MeterRecord["unit"], scoped: boolean): MeterRecord {
  return {
    name,
    unit,
    scoped,
    header: undefined,
    sinceHeader: 0,
    learnedLimit: undefined,
    learnedWindowMs: undefined,
    starts: [],
    head: 0,
    spans: [],
    sawHeaders: false,
  };
}

function limitsOf(
  meter: MeterRecord,
  fallback: Fallback | undefined,
): { limit: number; windowMs: number; from: LimitOrigin } | undefined {
  // A setting or a documented limit counts requests: a token budget only knows what it stated.
  const usable = meter.unit === "requests" ? fallback : undefined;
  const limit = meter.learnedLimit ?? usable?.limit;
  if (limit === undefined) return undefined;
  return {
    limit,
    windowMs: meter.learnedWindowMs ?? usable?.windowMs ?? DEFAULT_WINDOW_MS,
    from: meter.learnedLimit !== undefined ? "headers" : (usable?.from ?? "headers"),
  };
}

export function windowMsOf(meter: MeterRecord, fallback: Fallback | undefined): number {
  return Math.max(limitsOf(meter, fallback)?.windowMs ?? DEFAULT_WINDOW_MS, DEFAULT_WINDOW_MS);
}

export function pushSpan(spans: ExhaustionWindow[], span: ExhaustionWindow): void {
  spans.push(span);
  if (spans.length > MAX_WINDOWS) spans.shift();
}

/** Counts a request drawn on the meter: only requests meters count them one by one. */
export function countRequest(meter: MeterRecord, start: number, windowMs: number): void {
  if (meter.unit !== "requests") return;
  meter.starts.push(start);
  if (meter.header !== undefined && start >= meter.header.at) meter.sinceHeader++;
  trimStarts(meter, start - windowMs);
}

/** Drops start times before `horizon`, compacting now and then so the array does not grow. */
export function trimStarts(list: { starts: number[]; head: number }, horizon: number): void {
  while (list.head < list.starts.length && (list.starts[list.head] ?? 0) < horizon) list.head++;
  if (list.head > 1024 && list.head * 2 > list.starts.length) {
    list.starts = list.starts.slice(list.head);
    list.head = 0;
  }
}

/**
 * Reads one meter of a response that ended at `at` (resetAt already on this computer's clock).
 * Responses can finish out of order: only the newest says what the figures are now.
 */
export function readMeter(
  meter: MeterRecord,
  reading: MeterReading,
  at: number,
  resetAt: number | undefined,
  exchange: { index: number; status: number },
): void {
  meter.sawHeaders = true;
  if (meter.header === undefined || at >= meter.header.at) {
    if (reading.limit !== undefined) meter.learnedLimit = reading.limit;
    if (reading.windowSeconds !== undefined && reading.windowSeconds > 0) {
      meter.learnedWindowMs = reading.windowSeconds * 1000;
    }
    meter.header = {
      at,
      limit: reading.limit ?? meter.learnedLimit,
      remaining: reading.remaining,
      resetAt,
    };
    meter.sinceHeader = 0;
  }
  if (reading.remaining === 0 && resetAt !== undefined && resetAt > at) {
    pushSpan(meter.spans, {
      from: at,
      until: resetAt,
      toleranceMs: RESET_TOLERANCE_MS,
      index: exchange.index,
      reason: "remaining-zero",
      status: exchange.status,
      limit: reading.limit ?? meter.learnedLimit,
      retryAfterSeconds: undefined,
      meter: meter.name,
      unit: meter.unit,
    });
  } else if (reading.remaining !== undefined && reading.remaining > 0) {
    // The budget is back: a later request is not sent into the old reset.
    for (const span of meter.spans) {
      if (span.from <= at && span.until > at) span.until = at;
    }
  }
}

/**
 * "0 remaining" with no reset (Cuadra's 429 sends Remaining 0 and Retry-After, no reset) would hold
 * for a whole window; a success sent after it, whose response states nothing, is evidence the
 * window has moved on, so the stated figure ends where that request was accepted and the estimate
 * counts from there. A stated reset time stands: a success before it may not have drawn on the
 * budget at all (a free or cached endpoint).
 */
export function endUnresetZero(meter: MeterRecord, start: number): void {
  const header = meter.header;
  if (
    header?.remaining === 0 &&
    header.resetAt === undefined &&
    start >= header.at &&
    meter.unit === "requests"
  ) {
    header.resetAt = start;
  }
}

function countSince(
  meter: MeterRecord,
  since: number,
  now: number,
): { count: number; oldest: number | undefined } {
  let count = 0;
  let oldest: number | undefined;
  for (let i = meter.head; i < meter.starts.length; i++) {
    const start = meter.starts[i] ?? 0;
    if (start >= since && start <= now) {
      count++;
      if (oldest === undefined || start < oldest) oldest = start;
    }
  }
  return { count, oldest };
}

/** Whether the meter is worth a line next to others: it stated something or has a limit to count. */
export function isKnown(meter: MeterRecord, fallback: Fallback | undefined): boolean {
  return meter.sawHeaders || limitsOf(meter, fallback) !== undefined;
}

/** The meter as of `now`: the headers while they hold, else an estimate, always labelled. */
export function meterStateAt(
  meter: MeterRecord,
  fallback: Fallback | undefined,
  now: number,
): MeterState {
  const { name, unit } = meter;
  const header = meter.header;
  const limits = limitsOf(meter, fallback);
  const headerHolds =
    header?.remaining !== undefined &&
    (header.resetAt !== undefined
      ? now < header.resetAt
      : now < header.at + (limits?.windowMs ?? DEFAULT_WINDOW_MS));
  if (header !== undefined && header.remaining !== undefined && headerHolds) {
    const limit = header.limit ?? limits?.limit ?? null;
    // A server that says "limit 0, remaining 1" contradicts itself: never more left than the limit.
    const left = Math.max(0, header.remaining - meter.sinceHeader);
    const counted = {
      name,
      unit,
      limit,
      remaining: limit === null ? left : Math.min(limit, left),
      resetAt: header.resetAt ?? null,
    };
    if (meter.sinceHeader === 0) return { ...counted, source: "headers" };
    // Counted down from the header's remaining: the limit is the header's, else the fallback's.
    const from = header.limit !== undefined ? "headers" : limits?.from;
    return from === undefined
      ? { ...counted, source: "estimate" }
      : { ...counted, source: "estimate", limitFrom: from };
  }
  if (limits === undefined) {
    return { name, unit, limit: null, remaining: null, resetAt: null, source: "estimate" };
  }
  if (meter.unit !== "requests") {
    // Past its reset a token budget is full again as far as anyone here can tell.
    return {
      name,
      unit,
      limit: limits.limit,
      remaining: limits.limit,
      resetAt: null,
      source: "estimate",
      limitFrom: limits.from,
    };
  }
  const since = Math.max(now - limits.windowMs, header?.resetAt ?? Number.NEGATIVE_INFINITY);
  const { count, oldest } = countSince(meter, since, now);
  return {
    name,
    unit,
    limit: limits.limit,
    remaining: Math.max(0, limits.limit - count),
    resetAt: oldest === undefined ? null : oldest + limits.windowMs,
    source: "estimate",
    limitFrom: limits.from,
  };
}

/**
 * docs/decisions.md "**Meters.**": the least remaining / limit binds, a meter at 0 first, meters without a
 * limit after those with one (the least remaining first), a meter that knows nothing last.
 */
function bindingKey(meter: MeterState): [number, number] {
  if (meter.remaining === 0) return [0, 0];
  if (meter.remaining === null) return [3, 0];
  if (meter.limit === null || meter.limit <= 0) return [2, meter.remaining];
  return [1, meter.remaining / meter.limit];
}

/** The binding meter first, then the others by name. */
export function bindingFirst(meters: readonly MeterState[]): MeterState[] {
  let binding: MeterState | undefined;
  for (const meter of meters) {
    if (binding === undefined) {
      binding = meter;
      continue;
    }
    const [a, b] = bindingKey(meter);
    const [c, d] = bindingKey(binding);
    if (a < c || (a === c && b < d)) binding = meter;
  }
  if (binding === undefined) return [];
  const rest = meters.filter((m) => m !== binding).sort((x, y) => x.name.localeCompare(y.name));
  return [binding, ...rest];
}
