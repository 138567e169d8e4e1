import { isTime } from "../guards.js";
import { isRecord } from "../is-record.js";
import type { ProviderId } from "../types.js";
import type { ExhaustionWindow, HeaderObservation, MeterRecord } from "./meter.js";

/** What the tracker keeps of one host: its meters, and what holds for the host as a whole. */
export interface HostState {
  host: string;
  provider: ProviderId | null;
  /** By name, in the order first seen. */
  meters: Map<string, MeterRecord>;
  /** Start times of every request to the host, for the burn rate, trimmed from `head`. */
  starts: number[];
  head: number;
  /** The latest Retry-After in force for the views, and when its response ended. */
  retryAfterUntil: number | undefined;
  retryAfterFrom: number | undefined;
  sawRetryAfter: boolean;
  /** Retry-After windows of 429s and 503s, for the rules: a 2xx does not shorten them. */
  spans: ExhaustionWindow[];
  skewMs: number;
}

type MeterSnapshot = Omit<MeterRecord, "head">;

/** One host's state as `BudgetTracker.snapshot()` writes it. */
export type HostStateSnapshot = Omit<HostState, "head" | "meters"> & { meters: MeterSnapshot[] };

export interface BudgetSnapshot {
  v: 2;
  states: HostStateSnapshot[];
}

/** Start times a snapshot keeps per list: far beyond any documented limit. */
const MAX_SNAPSHOT_STARTS = 5000;

const optionalTime = (value: unknown): number | undefined => (isTime(value) ? value : undefined);

/** A deep copy through JSON: what a snapshot holds must survive storage exactly so. */
function structuredCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function liveStarts(list: { starts: number[]; head: number }): number[] {
  return list.starts.slice(list.head).slice(-MAX_SNAPSHOT_STARTS);
}

export function snapshotOf(state: HostState): HostStateSnapshot {
  const { head, meters, starts, ...rest } = state;
  return structuredCopy({
    ...rest,
    starts: liveStarts(state),
    meters: [...meters.values()].map((meter) => {
      const { head: _, ...rest } = meter;
      return { ...rest, starts: liveStarts(meter) };
    }),
  });
}

function spanFrom(value: unknown): ExhaustionWindow | undefined {
  if (!isRecord(value)) return undefined;
  const { from, until, toleranceMs, index, reason, status, meter, unit } = value;
  if (!isTime(from) || !isTime(until) || !isTime(toleranceMs) || !isTime(index)) return undefined;
  if (reason !== "remaining-zero" && reason !== "retry-after") return undefined;
  if (!isTime(status)) return undefined;
  const span: ExhaustionWindow = {
    from,
    until,
    toleranceMs,
    index,
    reason,
    status,
    limit: optionalTime(value.limit),
    retryAfterSeconds: optionalTime(value.retryAfterSeconds),
  };
  if (typeof meter === "string") span.meter = meter;
  if (unit === "requests" || unit === "tokens") span.unit = unit;
  return span;
}

function spansFrom(value: unknown[]): ExhaustionWindow[] {
  return value.map(spanFrom).filter((s): s is ExhaustionWindow => s !== undefined);
}

function meterFrom(value: unknown): MeterRecord | undefined {
  if (!isRecord(value)) return undefined;
  const { name, unit, header } = value;
  if (typeof name !== "string" || (unit !== "requests" && unit !== "tokens")) return undefined;
  if (!Array.isArray(value.starts) || !Array.isArray(value.spans)) return undefined;
  let restored: HeaderObservation | undefined;
  if (isRecord(header) && isTime(header.at)) {
    restored = {
      at: header.at,
      limit: optionalTime(header.limit),
      remaining: optionalTime(header.remaining),
      resetAt: optionalTime(header.resetAt),
    };
  }
  return {
    name,
    unit,
    scoped: value.scoped === true,
    header: restored,
    sinceHeader: optionalTime(value.sinceHeader) ?? 0,
    learnedLimit: optionalTime(value.learnedLimit),
    learnedWindowMs: optionalTime(value.learnedWindowMs),
    starts: value.starts.filter(isTime),
    head: 0,
    spans: spansFrom(value.spans),
    sawHeaders: value.sawHeaders === true,
  };
}

/** A host's state from a snapshot, or undefined when it is broken; broken meters are left out. */
export function hostStateFrom(value: unknown): HostState | undefined {
  if (!isRecord(value)) return undefined;
  const { host, provider } = value;
  if (typeof host !== "string") return undefined;
  if (!(provider === null || typeof provider === "string")) return undefined;
  if (!Array.isArray(value.starts) || !Array.isArray(value.spans) || !Array.isArray(value.meters))
    return undefined;
  const meters = new Map<string, MeterRecord>();
  for (const item of value.meters) {
    const meter = meterFrom(item);
    if (meter !== undefined) meters.set(meter.name, meter);
  }
  return {
    host,
    provider: provider as ProviderId | null,
    meters,
    starts: value.starts.filter(isTime),
    head: 0,
    retryAfterUntil: optionalTime(value.retryAfterUntil),
    retryAfterFrom: optionalTime(value.retryAfterFrom),
    sawRetryAfter: value.sawRetryAfter === true,
    spans: spansFrom(value.spans),
    skewMs: optionalTime(value.skewMs) ?? 0,
  };
}
