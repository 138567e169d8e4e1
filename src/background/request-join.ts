import { fingerprint } from "../core/har/credentials.js";
import type { RequestRecord } from "../core/request-record.js";

/** Who saw a request: webRequest, a Ratelens panel on its tab, or both (counted once). */
export type Via = "webRequest" | "panel" | "both";

/** What the background keeps of one API request, until it ages out, for joining. */
export interface Observation {
  tabId: number;
  url: string;
  method: string;
  /** 0 for a network error: no response arrived. */
  status: number;
  /** Epoch ms the request started and its response ended. */
  start: number;
  end: number;
  /**
   * The fingerprint of the rate-limit response headers (their `name: value` lines, sorted; "" for
   * none): all a join compares of them. The values went to the Analyzer when the request was
   * counted, and are not kept.
   */
  headers: string;
  /** The code the panel decoded from the body, once it reports it. */
  code: string | null;
  via: Via;
}

/** Requests kept for joining: enough for a long session at a brisk pace, oldest go first. */
export const MAX_OBSERVATIONS = 2000;
/**
 * The time part of a request's identity. DevTools' HAR entries carry no id webRequest knows, and
 * both stamp the same request from slightly different steps of the network stack (measured over 27
 * requests of the demo's scenarios: at most 3 ms apart at the start, 7 ms at the end). Two reports
 * are one request when tab, method, URL, status and rate-limit headers are equal and they started
 * or ended within this much of each other; the closest such one wins.
 */
export const MATCH_MS = 500;

/** What the join keeps of a record seen on tab `tabId` by `via`. */
export function observationOf(tabId: number, record: RequestRecord, via: Via): Observation {
  const { url, method, status, start, end, rateLimit, code } = record;
  // A fingerprint (FNV-1a and the length) of the header lines, in place of the lines, which
  // would make most of the snapshot written on every change.
  const headers =
    rateLimit.length === 0
      ? ""
      : fingerprint(rateLimit.map((h) => `${h.name}: ${h.value}`).join("\n"));
  return { tabId, url, method, status, start, end, headers, code, via };
}

/** A request's identity without its time: what two reports of it always agree on. */
function identityOf(o: Observation): string {
  return `${o.tabId} ${o.method} ${o.status} ${o.url}\n${o.headers}`;
}

/**
 * Time slots of MATCH_MS, by start (even numbers) and by end (odd): a counterpart within MATCH_MS
 * is in the same slot or a neighbour.
 */
function slotsOf(o: Observation): [number, number] {
  return [Math.floor(o.start / MATCH_MS) * 2, Math.floor(o.end / MATCH_MS) * 2 + 1];
}

function nearbySlots(o: Observation): number[] {
  const [s, e] = slotsOf(o);
  return [s - 2, s, s + 2, e - 2, e, e + 2];
}

/** How far apart two reports of the same identity are, or undefined beyond MATCH_MS. */
function gap(a: Observation, b: Observation): number | undefined {
  const apart = Math.min(Math.abs(a.start - b.start), Math.abs(a.end - b.end));
  return apart <= MATCH_MS ? apart : undefined;
}

/** DevTools' record of a request does not change: the same times are the same report again. */
function timesOf(o: Observation): string {
  return `${o.start}-${o.end}`;
}

/** The join index of one identity. */
interface Joinable {
  /** Observations seen by one side only, by time slot (slotsOf): where the other side looks. */
  unjoined: Map<number, Observation[]>;
  /** The times (timesOf) of what panels reported, so a report repeated is counted once. */
  reported: Set<string>;
}

/**
 * The recent requests, in the order counted, indexed by identity and time slot, so that the other
 * side's report of the same request finds it in O(1) amortised and it is counted once.
 */
export class RequestJoin {
  /** In the order recorded, oldest first, from #head. */
  #observations: Observation[] = [];
  #head = 0;
  /** By identity, then by time slot. */
  readonly #index = new Map<string, Joinable>();

  constructor(observations: readonly Observation[] = []) {
    for (const observation of observations.slice(-MAX_OBSERVATIONS)) {
      this.#observations.push(observation);
      this.#addToIndex(observation);
    }
  }

  get size(): number {
    return this.#observations.length - this.#head;
  }

  list(): Observation[] {
    return this.#observations.slice(this.#head);
  }

  /** Keeps a request just counted, so that the other side's report of it finds it. */
  add(observation: Observation): void {
    this.#observations.push(observation);
    this.#addToIndex(observation);
    while (this.size > MAX_OBSERVATIONS) this.dropOldest();
  }

  /** Whether a panel reported these very times of the request before. */
  reported(observation: Observation): boolean {
    return this.#index.get(identityOf(observation))?.reported.has(timesOf(observation)) ?? false;
  }

  /** The observation seen by `other` alone that is `observation`'s request, closest in time. */
  counterpart(observation: Observation, other: Via): Observation | undefined {
    const joinable = this.#index.get(identityOf(observation));
    if (joinable === undefined) return undefined;
    let best: Observation | undefined;
    let bestGap = Number.POSITIVE_INFINITY;
    for (const key of nearbySlots(observation)) {
      for (const candidate of joinable.unjoined.get(key) ?? []) {
        if (candidate.via !== other) continue;
        const apart = gap(candidate, observation);
        if (apart === undefined || apart > bestGap) continue;
        // The latest on a tie.
        if (apart === bestGap && best !== undefined && candidate.end <= best.end) continue;
        best = candidate;
        bestGap = apart;
      }
    }
    return best;
  }

  /**
   * `seen` is the request `report` describes too: both sides saw it. It takes the panel's code
   * and times when the report is the panel's, and the other side stops looking for it.
   */
  join(seen: Observation, report: Observation): void {
    this.#unindex(seen);
    if (report.via === "panel") {
      this.#joinable(identityOf(report)).reported.add(timesOf(report));
      seen.code = report.code;
      seen.start = report.start;
      seen.end = report.end;
    }
    seen.via = "both";
  }

  dropOldest(): void {
    const oldest = this.#observations[this.#head];
    if (oldest === undefined) return;
    this.#head++;
    this.#unindex(oldest);
    if (oldest.via !== "webRequest") {
      const identity = identityOf(oldest);
      const joinable = this.#index.get(identity);
      joinable?.reported.delete(timesOf(oldest));
      if (joinable !== undefined) this.#tidy(identity, joinable);
    }
    // Compact now and then so the array does not grow with the whole session.
    if (this.#head > 1024 && this.#head * 2 > this.#observations.length) {
      this.#observations = this.#observations.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Forgets what ended before `horizon`. Returns whether anything went. */
  prune(horizon: number): boolean {
    let changed = false;
    for (let o = this.#observations[this.#head]; o !== undefined && o.end < horizon; ) {
      this.dropOldest();
      changed = true;
      o = this.#observations[this.#head];
    }
    return changed;
  }

  #joinable(identity: string): Joinable {
    let joinable = this.#index.get(identity);
    if (joinable === undefined) {
      joinable = { unjoined: new Map(), reported: new Set() };
      this.#index.set(identity, joinable);
    }
    return joinable;
  }

  /** Forgets an identity with nothing left to join. */
  #tidy(identity: string, joinable: Joinable): void {
    if (joinable.unjoined.size === 0 && joinable.reported.size === 0) this.#index.delete(identity);
  }

  #addToIndex(observation: Observation): void {
    const joinable = this.#joinable(identityOf(observation));
    if (observation.via !== "webRequest") joinable.reported.add(timesOf(observation));
    if (observation.via === "both") return;
    for (const key of slotsOf(observation)) {
      const slot = joinable.unjoined.get(key);
      if (slot === undefined) joinable.unjoined.set(key, [observation]);
      else slot.push(observation);
    }
  }

  /** Takes an observation out of the index the other side looks in. */
  #unindex(observation: Observation): void {
    const identity = identityOf(observation);
    const joinable = this.#index.get(identity);
    if (joinable === undefined) return;
    for (const key of slotsOf(observation)) {
      const slot = joinable.unjoined.get(key);
      if (slot === undefined) continue;
      const at = slot.indexOf(observation);
      if (at >= 0) slot.splice(at, 1);
      if (slot.length === 0) joinable.unjoined.delete(key);
    }
    this.#tidy(identity, joinable);
  }
}
