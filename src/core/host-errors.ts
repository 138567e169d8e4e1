import { isTime } from "./guards.js";

/** A host's errors of one kind, for the popup. */
export interface ErrorCount {
  status: number;
  /** The decoded code (a panel reads bodies); null when only the status is known. */
  code: string | null;
  count: number;
  /** Epoch ms of the latest such error. */
  last: number;
}

/** Error times kept per host: the count saturates there. */
const MAX_ERRORS_PER_HOST = 1000;

interface ErrorTimes {
  status: number;
  code: string | null;
  /** End times, in the order recorded. */
  ends: number[];
}

interface HostRecord {
  lastSeen: number;
  errors: Map<string, ErrorTimes>;
  errorCount: number;
}

/** Stored form: per host its latest response and its errors' end times by status and code. */
export type HostErrorsSnapshot = [
  host: string,
  lastSeen: number,
  errors: [status: number, code: string | null, ends: number[]][],
][];

function keyOf(status: number, code: string | null): string {
  return `${status} ${code ?? ""}`;
}

/**
 * Each host's latest response and its errors by status and code, with their times, so that a
 * caller with a retention window (the background) can count only the recent ones.
 */
export class HostErrors {
  readonly #hosts = new Map<string, HostRecord>();

  get size(): number {
    return this.#hosts.size;
  }

  /** A response from `host` ended at `end`; `error` when it was one. */
  seen(host: string, end: number, error: { status: number; code: string | null } | undefined) {
    let record = this.#hosts.get(host);
    if (record === undefined) {
      record = { lastSeen: end, errors: new Map(), errorCount: 0 };
      this.#hosts.set(host, record);
    }
    record.lastSeen = Math.max(record.lastSeen, end);
    if (error !== undefined) this.#add(record, error.status, error.code, end);
  }

  /** An error counted without its code (at `end`) gets one: it counts under that code. */
  recode(host: string, status: number, from: string | null, to: string | null, end: number) {
    const record = this.#hosts.get(host);
    const before = record?.errors.get(keyOf(status, from));
    const at = before?.ends.lastIndexOf(end) ?? -1;
    if (record === undefined || before === undefined || at < 0) return;
    before.ends.splice(at, 1);
    if (before.ends.length === 0) record.errors.delete(keyOf(status, from));
    record.errorCount--;
    this.#add(record, status, to, end);
  }

  lastSeen(host: string): number | undefined {
    return this.#hosts.get(host)?.lastSeen;
  }

  /** Hosts with their latest response, most recent first. */
  byRecency(): [host: string, lastSeen: number][] {
    return [...this.#hosts]
      .map(([host, record]): [string, number] => [host, record.lastSeen])
      .sort((a, b) => b[1] - a[1]);
  }

  leastRecent(): string | undefined {
    let least: [string, number] | undefined;
    for (const [host, record] of this.#hosts) {
      if (least === undefined || record.lastSeen < least[1]) least = [host, record.lastSeen];
    }
    return least?.[0];
  }

  /** The host's errors by status and code, latest first. */
  errorsOf(host: string): ErrorCount[] {
    const errors: ErrorCount[] = [];
    for (const { status, code, ends } of this.#hosts.get(host)?.errors.values() ?? []) {
      if (ends.length > 0)
        errors.push({ status, code, count: ends.length, last: Math.max(...ends) });
    }
    return errors.sort((a, b) => b.last - a.last);
  }

  forget(host: string): void {
    this.#hosts.delete(host);
  }

  /**
   * Forgets hosts not seen since `horizon` (returned) and the error times before it. `changed`
   * says whether anything went.
   */
  prune(horizon: number): { forgotten: string[]; changed: boolean } {
    const forgotten: string[] = [];
    let changed = false;
    for (const [host, record] of this.#hosts) {
      if (record.lastSeen < horizon) {
        forgotten.push(host);
        continue;
      }
      for (const [key, times] of record.errors) {
        const before = times.ends.length;
        times.ends = times.ends.filter((end) => end >= horizon);
        record.errorCount -= before - times.ends.length;
        if (times.ends.length === 0) record.errors.delete(key);
        if (times.ends.length !== before) changed = true;
      }
    }
    for (const host of forgotten) this.#hosts.delete(host);
    return { forgotten, changed: changed || forgotten.length > 0 };
  }

  snapshot(): HostErrorsSnapshot {
    return [...this.#hosts].map(([host, record]) => [
      host,
      record.lastSeen,
      [...record.errors.values()].map((e) => [e.status, e.code, [...e.ends]]),
    ]);
  }

  /** The ledger `value` describes; what is broken is left out. */
  static restore(value: unknown): HostErrors {
    const ledger = new HostErrors();
    for (const item of Array.isArray(value) ? value : []) {
      if (!Array.isArray(item)) continue;
      const [host, lastSeen, errors] = item;
      if (typeof host !== "string" || !isTime(lastSeen)) continue;
      const record: HostRecord = { lastSeen, errors: new Map(), errorCount: 0 };
      for (const error of Array.isArray(errors) ? errors : []) {
        if (!Array.isArray(error)) continue;
        const [status, code, ends] = error;
        if (!Number.isInteger(status) || !(code === null || typeof code === "string")) continue;
        const times = (Array.isArray(ends) ? ends : []).filter(isTime);
        record.errors.set(keyOf(status, code), { status, code, ends: times });
        record.errorCount += times.length;
      }
      ledger.#hosts.set(host, record);
    }
    return ledger;
  }

  #add(record: HostRecord, status: number, code: string | null, end: number): void {
    const key = keyOf(status, code);
    let times = record.errors.get(key);
    if (times === undefined) {
      times = { status, code, ends: [] };
      record.errors.set(key, times);
    }
    times.ends.push(end);
    record.errorCount++;
    if (record.errorCount <= MAX_ERRORS_PER_HOST) return;
    // The oldest error time goes first.
    let oldest: ErrorTimes | undefined;
    for (const t of record.errors.values()) {
      const first = t.ends[0];
      if (first !== undefined && (oldest === undefined || first < (oldest.ends[0] ?? 0)))
        oldest = t;
    }
    oldest?.ends.shift();
    record.errorCount--;
  }
}
