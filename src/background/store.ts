import type { StorageSlot } from "./ports.js";
import {
  emptyLog,
  MAX_OBSERVATIONS,
  type Observation,
  type TrafficLog,
  type Via,
} from "./traffic-log.js";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isTime(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function observationFrom(value: unknown): Observation | undefined {
  if (!isRecord(value)) return undefined;
  const { tabId, url, method, status, start, end, headers, code, via } = value;
  if (
    typeof tabId !== "number" ||
    !Number.isInteger(tabId) ||
    typeof url !== "string" ||
    typeof method !== "string" ||
    typeof status !== "number" ||
    !Number.isInteger(status) ||
    !isTime(start) ||
    !isTime(end) ||
    !Array.isArray(headers) ||
    !(code === null || typeof code === "string")
  )
    return undefined;
  const pairs: [string, string][] = [];
  for (const pair of headers) {
    if (Array.isArray(pair) && typeof pair[0] === "string" && typeof pair[1] === "string")
      pairs.push([pair[0], pair[1]]);
  }
  return { tabId, url, method, status, start, end, headers: pairs, code, via: viaFrom(via) };
}

/** A log written before panels reported requests holds webRequest's alone. */
function viaFrom(value: unknown): Via {
  return value === "panel" || value === "both" ? value : "webRequest";
}

function numbers(value: unknown): Record<string, number> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter(([, n]) => isTime(n))) as Record<
    string,
    number
  >;
}

function list<T>(value: unknown, read: (item: unknown) => T | undefined): T[] {
  if (!Array.isArray(value)) return [];
  return value.map(read).filter((item): item is T => item !== undefined);
}

/** The log from whatever storage holds: a broken item is dropped, anything else reads as empty. */
export function parseLog(value: unknown): TrafficLog {
  if (!isRecord(value)) return emptyLog();
  return {
    observations: list(value.observations, observationFrom).slice(-MAX_OBSERVATIONS),
    starts: numbers(value.starts),
    findings: numbers(value.findings),
  };
}

export interface LogStore {
  /** The log as stored, after every update asked for before. */
  read(): Promise<TrafficLog>;
  /**
   * Applies `change` to the stored log, one update at a time, so that concurrent events never
   * overwrite each other. Returning the same log writes nothing. Resolves to the log after it.
   */
  update(change: (log: TrafficLog) => TrafficLog | Promise<TrafficLog>): Promise<TrafficLog>;
}

export function createLogStore(slot: StorageSlot): LogStore {
  let queue: Promise<unknown> = Promise.resolve();

  const enqueue = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    // A failed task must not stop the ones after it.
    queue = run.catch(() => {});
    return run;
  };

  const load = async (): Promise<TrafficLog> => parseLog(await slot.get());

  return {
    read: () => enqueue(load),
    update: (change) =>
      enqueue(async () => {
        const before = await load();
        const after = await change(before);
        if (after !== before) await slot.set(after);
        return after;
      }),
  };
}
