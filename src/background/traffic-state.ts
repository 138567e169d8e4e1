import { type BudgetSnapshot, BudgetTracker } from "../core/budget/budget-tracker.js";
import { redactUrl } from "../core/export/redact-har.js";
import { toExchange } from "../core/har/exchange.js";
import { isRateLimitHeader } from "../core/headers/is-rate-limit-header.js";
import { type HostTable, urlParts } from "../core/hosts.js";
import { isRecord } from "../core/is-record.js";
import type { HarEntry } from "../core/types.js";
import type {
  BackgroundState,
  ErrorCount,
  HostView,
  ObservedRequest,
} from "../messaging/protocol.js";
import type { Settings } from "../settings/settings.js";
import type { CompletedDetails, ErrorDetails, RequestDetails } from "./ports.js";

/**
 * The background's analysis state, updated one event at a time: the core's budget per host
 * (its BudgetTracker, the code the panel and the CLI use), the errors per host by code, each tab's
 * hosts and its panel's findings count, and the recent requests, indexed by identity, that the
 * other side's report of the same request joins. Each event costs O(1) amortised; nothing is ever
 * replayed. `snapshot()` is the whole of it as JSON, for storage.session.
 */

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
  /** The rate-limit response headers, `name: value` lines, names lower-case, sorted. */
  headers: string;
  /** The code the panel decoded from the body, once it reports it. */
  code: string | null;
  via: Via;
}

/** The settings and the host table built from them, once per change. */
export interface Config {
  settings: Settings;
  table: HostTable;
}

/** Requests kept for joining: enough for a long session at a brisk pace, oldest go first. */
export const MAX_OBSERVATIONS = 2000;
const MAX_STARTS = 500;
const MAX_HOSTS = 64;
const MAX_TABS = 256;
/** Error times kept per host: the count saturates there. */
const MAX_ERRORS_PER_HOST = 1000;
/**
 * The time part of a request's identity. DevTools' HAR entries carry no id webRequest knows, and
 * both stamp the same request from slightly different steps of the network stack (measured over 27
 * requests of the demo's scenarios: at most 3 ms apart at the start, 7 ms at the end). Two reports
 * are one request when tab, method, URL, status and rate-limit headers are equal and they started
 * or ended within this much of each other; the closest such one wins.
 */
export const MATCH_MS = 500;
const MAX_URL_CHARS = 2048;
const MAX_HEADER_CHARS = 256;
/** Hosts and tabs are swept for age at most this often (requests and starts on every event). */
const SWEEP_MS = 1000;

/**
 * The URL as the background keeps it: secret query parameters and URL passwords redacted (the
 * HAR export's redaction, so both sides of a join redact alike), then cut to MAX_URL_CHARS. The
 * state goes to storage.session: an API key in a query string must never reach it.
 */
function clipUrl(url: string): string {
  const redacted = redactUrl(url);
  return redacted.length > MAX_URL_CHARS ? redacted.slice(0, MAX_URL_CHARS) : redacted;
}

function hostOf(url: string): string {
  return urlParts(url)?.host ?? url;
}

/** The rate-limit headers of a response as one comparable string: lower-case names, sorted. */
export function rateLimitHeaders(
  headers: readonly { name: string; value?: string | undefined }[],
): string {
  const kept: string[] = [];
  for (const { name, value } of headers) {
    if (typeof value === "string" && isRateLimitHeader(name))
      kept.push(`${name.toLowerCase()}: ${value.slice(0, MAX_HEADER_CHARS)}`);
  }
  return kept.sort().join("\n");
}

/** The observation of a finished request; a network error (no status code) has status 0. */
export function observationOf(
  details: CompletedDetails | ErrorDetails,
  start: number | undefined,
): Observation {
  const end = Math.round(details.timeStamp);
  const headers =
    "responseHeaders" in details ? rateLimitHeaders(details.responseHeaders ?? []) : "";
  const status =
    "statusCode" in details && Number.isInteger(details.statusCode) ? details.statusCode : 0;
  return {
    tabId: details.tabId,
    url: clipUrl(details.url),
    method: details.method.toUpperCase(),
    status,
    start: Math.min(end, Math.round(start ?? end)),
    end,
    headers,
    code: null,
    via: "webRequest",
  };
}

/** The observation of a request a panel on tab `tabId` reported. */
export function panelObservationOf(tabId: number, observed: ObservedRequest): Observation {
  const end = Math.round(observed.end);
  return {
    tabId,
    url: clipUrl(observed.url),
    method: observed.method.toUpperCase(),
    status: Number.isInteger(observed.status) && observed.status > 0 ? observed.status : 0,
    start: Math.min(end, Math.round(observed.start)),
    end,
    headers: rateLimitHeaders(observed.headers.map(([name, value]) => ({ name, value }))),
    code: observed.code,
    via: "panel",
  };
}

/** The least HAR entry the core reads an observation from: no bodies, rate-limit headers only. */
export function toHarEntry(observation: Observation): HarEntry {
  const time = Math.max(0, observation.end - observation.start);
  const headers = observation.headers === "" ? [] : observation.headers.split("\n");
  return {
    startedDateTime: new Date(observation.start).toISOString(),
    time,
    request: {
      method: observation.method,
      url: observation.url,
      httpVersion: "",
      cookies: [],
      headers: [],
      queryString: [],
      headersSize: -1,
      bodySize: -1,
    },
    response: {
      status: observation.status,
      statusText: "",
      httpVersion: "",
      cookies: [],
      headers: headers.map((line) => {
        const at = line.indexOf(": ");
        return { name: line.slice(0, at), value: line.slice(at + 2) };
      }),
      content: { size: 0, mimeType: "" },
      redirectURL: "",
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 0, wait: time, receive: 0 },
  };
}

/** A request's identity without its time: what two reports of it always agree on. */
function identityOf(o: Observation): string {
  return `${o.tabId} ${o.method} ${o.status} ${o.url}\n${o.headers}`;
}

/** Time slots of MATCH_MS: a counterpart within MATCH_MS is in the same slot or a neighbour. */
function slotKeys(identity: string, o: Observation): string[] {
  const s = Math.floor(o.start / MATCH_MS);
  const e = Math.floor(o.end / MATCH_MS);
  return [`${identity}\ns${s}`, `${identity}\ne${e}`];
}

function nearbySlots(identity: string, o: Observation): string[] {
  const s = Math.floor(o.start / MATCH_MS);
  const e = Math.floor(o.end / MATCH_MS);
  const keys: string[] = [];
  for (const d of [-1, 0, 1]) keys.push(`${identity}\ns${s + d}`, `${identity}\ne${e + d}`);
  return keys;
}

/** How far apart two reports of the same identity are, or undefined beyond MATCH_MS. */
function gap(a: Observation, b: Observation): number | undefined {
  const apart = Math.min(Math.abs(a.start - b.start), Math.abs(a.end - b.end));
  return apart <= MATCH_MS ? apart : undefined;
}

/** DevTools' record of a request does not change: the same times are the same report again. */
function exactKey(identity: string, o: Observation): string {
  return `${identity}\n${o.start}-${o.end}`;
}

function errorKey(status: number, code: string | null): string {
  return `${status} ${code ?? ""}`;
}

const isError = (status: number): boolean => status >= 400 || status === 0;

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

/** Stored form of the state, version 1. Tuples keep it compact. */
export interface StateSnapshot {
  v: 1;
  budget: BudgetSnapshot;
  hosts: [host: string, lastSeen: number, errors: [number, string | null, number[]][]][];
  tabs: [tabId: number, hosts: [string, number][]][];
  findings: [tabId: number, count: number][];
  starts: [requestId: string, at: number][];
  observations: [
    tabId: number,
    method: string,
    url: string,
    status: number,
    headers: string,
    start: number,
    end: number,
    code: string | null,
    via: Via,
  ][];
  /** Requests dropped because storage was full, when any were. */
  dropped?: number;
}

export interface StateOptions {
  /** Only the tab's active host: what the badge needs. */
  activeHostOnly?: boolean;
}

export class TrafficState {
  #config: Config;
  #tracker: BudgetTracker;
  readonly #hosts = new Map<string, HostRecord>();
  /** tab -> host -> end of the tab's latest response from it. */
  readonly #tabs = new Map<number, Map<string, number>>();
  readonly #findings = new Map<number, number>();
  /** Start times of requests still under way, by webRequest's requestId, oldest first. */
  readonly #starts = new Map<string, number>();
  /** In the order recorded, oldest first, from #head. */
  #observations: Observation[] = [];
  #head = 0;
  /** Observations seen by one side only, by identity and time slot: where the other side looks. */
  readonly #unjoined = new Map<string, Observation[]>();
  /** Exact keys of what panels reported, so a report repeated is counted once. */
  readonly #reported = new Set<string>();
  #index = 0;
  #swept = Number.NEGATIVE_INFINITY;
  /** Requests dropped because storage was full. */
  #storageDropped = 0;

  constructor(config: Config) {
    this.#config = config;
    this.#tracker = new BudgetTracker(config.settings.limits);
  }

  get config(): Config {
    return this.#config;
  }

  /** How many requests are kept for joining (each counted once). */
  get size(): number {
    return this.#observations.length - this.#head;
  }

  observations(): Observation[] {
    return this.#observations.slice(this.#head);
  }

  /**
   * Storage refused the snapshot (its quota): drops the oldest half of the requests kept for
   * joining, at least one, and says how many went. The budgets and error counts stay.
   */
  shedOldest(): number {
    const drop = Math.max(1, Math.floor(this.size / 2));
    const before = this.size;
    for (let i = 0; i < drop; i++) this.#dropOldest();
    const dropped = before - this.size;
    this.#storageDropped += dropped;
    return dropped;
  }

  /** New settings: their limits apply to what was seen; hosts no longer API hosts are forgotten. */
  configure(config: Config): void {
    if (config === this.#config) return;
    this.#config = config;
    this.#tracker = BudgetTracker.restore(this.#tracker.snapshot(), config.settings.limits);
    const { table } = config;
    for (const host of [...this.#hosts.keys()]) {
      if (!table.isApiHost(`https://${host}/`)) this.#forgetHost(host);
    }
    const kept = this.observations().filter((o) => table.isApiHost(o.url));
    if (kept.length !== this.size) this.#reindex(kept);
  }

  /** Notes when an API request started, so its observation has its real duration. */
  recordStart(details: RequestDetails): boolean {
    if (!this.#config.table.isApiHost(details.url)) return false;
    this.#starts.delete(details.requestId);
    this.#starts.set(details.requestId, Math.round(details.timeStamp));
    if (this.#starts.size > MAX_STARTS) {
      const oldest = this.#starts.keys().next().value;
      if (oldest !== undefined) this.#starts.delete(oldest);
    }
    return true;
  }

  /** Records a finished API request (the rest is dropped). Returns whether anything changed. */
  recordResponse(details: CompletedDetails | ErrorDetails, now: number): boolean {
    const start = this.#starts.get(details.requestId);
    const known = this.#starts.delete(details.requestId);
    // Served from the browser's cache: no request reached the API.
    if ("fromCache" in details && details.fromCache === true) return known;
    if (!this.#config.table.isApiHost(details.url)) return known;
    this.#prune(now);
    const observation = observationOf(details, start);
    if (observation.end < this.#horizon(now)) return known;
    // A panel on the tab may have reported this very request first.
    const reported = this.#counterpart(observation, "panel");
    if (reported !== undefined) {
      this.#join(reported);
      reported.via = "both";
    } else this.#count(observation);
    return true;
  }

  /**
   * Records the requests a panel on tab `tabId` captured: each is counted once, whether webRequest
   * saw it too (the page's site granted) or not, and however often panels report it again.
   */
  recordPanel(tabId: number, reports: readonly ObservedRequest[], now: number): boolean {
    let changed = false;
    this.#prune(now);
    const horizon = this.#horizon(now);
    for (const report of reports) {
      const observation = panelObservationOf(tabId, report);
      if (!this.#config.table.isApiHost(observation.url) || observation.end < horizon) continue;
      const exact = exactKey(identityOf(observation), observation);
      if (this.#reported.has(exact)) continue;
      changed = true;
      this.#reported.add(exact);
      const seen = this.#counterpart(observation, "webRequest");
      if (seen === undefined) {
        this.#count(observation);
        continue;
      }
      // One request seen by both: the panel's record, with its code and times.
      this.#join(seen);
      if (isError(seen.status) && seen.code !== observation.code)
        this.#recode(seen, observation.code);
      seen.via = "both";
      seen.code = observation.code;
      seen.start = observation.start;
      seen.end = observation.end;
    }
    return changed;
  }

  setFindings(tabId: number, count: number): boolean {
    if (this.#findings.get(tabId) === count) return false;
    this.#findings.set(tabId, count);
    return true;
  }

  /** A closed tab has no panel any more: its findings no longer count. */
  dropTab(tabId: number): boolean {
    const had = this.#findings.delete(tabId);
    return this.#tabs.delete(tabId) || had;
  }

  /** Forgets what is older than the retention. Returns whether anything was forgotten. */
  prune(now: number): boolean {
    this.#swept = Number.NEGATIVE_INFINITY;
    return this.#prune(now);
  }

  /** The answer to `getState`: every API host's budget and errors as of `now`. */
  stateFor(tabId: number | null, now: number, options: StateOptions = {}): BackgroundState {
    this.prune(now);
    const activeHost = tabId === null ? null : this.#activeHost(tabId);
    const hosts: HostView[] = [];
    const ordered = [...this.#hosts].sort(([, a], [, b]) => b.lastSeen - a.lastSeen);
    for (const [host, record] of ordered) {
      if (options.activeHostOnly && host !== activeHost) continue;
      const budget = this.#tracker.stateAt(host, now);
      if (budget === undefined) continue;
      const errors: ErrorCount[] = [];
      // The badge shows the budget alone: the error lists are for the popup.
      if (!options.activeHostOnly)
        for (const { status, code, ends } of record.errors.values()) {
          if (ends.length > 0)
            errors.push({ status, code, count: ends.length, last: Math.max(...ends) });
        }
      errors.sort((a, b) => b.last - a.last);
      hosts.push({ budget, errors, lastSeen: record.lastSeen });
    }
    let findings = 0;
    for (const n of this.#findings.values()) findings += n;
    const state: BackgroundState = { now, hosts, activeHost, findings };
    if (this.#storageDropped > 0) state.storageDropped = this.#storageDropped;
    return state;
  }

  snapshot(): StateSnapshot {
    return {
      v: 1,
      budget: this.#tracker.snapshot(),
      hosts: [...this.#hosts].map(([host, record]) => [
        host,
        record.lastSeen,
        [...record.errors.values()].map((e) => [e.status, e.code, [...e.ends]]),
      ]),
      tabs: [...this.#tabs].map(([tabId, hosts]) => [tabId, [...hosts]]),
      findings: [...this.#findings],
      starts: [...this.#starts],
      observations: this.observations().map((o) => [
        o.tabId,
        o.method,
        o.url,
        o.status,
        o.headers,
        o.start,
        o.end,
        o.code,
        o.via,
      ]),
      ...(this.#storageDropped > 0 ? { dropped: this.#storageDropped } : {}),
    };
  }

  /** The state `value` (a snapshot from storage) describes; anything broken reads as empty. */
  static restore(value: unknown, config: Config): TrafficState {
    const state = new TrafficState(config);
    if (!isRecord(value) || value.v !== 1) return state;
    state.#tracker = BudgetTracker.restore(value.budget, config.settings.limits);
    for (const item of list(value.hosts)) {
      if (!Array.isArray(item)) continue;
      const [host, lastSeen, errors] = item;
      if (typeof host !== "string" || !isTime(lastSeen)) continue;
      const record: HostRecord = { lastSeen, errors: new Map(), errorCount: 0 };
      for (const error of list(errors)) {
        if (!Array.isArray(error)) continue;
        const [status, code, ends] = error;
        if (!Number.isInteger(status) || !(code === null || typeof code === "string")) continue;
        const times = list(ends).filter(isTime);
        record.errors.set(errorKey(status, code), { status, code, ends: times });
        record.errorCount += times.length;
      }
      state.#hosts.set(host, record);
    }
    for (const item of list(value.tabs)) {
      if (!Array.isArray(item) || !Number.isInteger(item[0])) continue;
      const hosts = new Map<string, number>();
      for (const pair of list(item[1])) {
        if (Array.isArray(pair) && typeof pair[0] === "string" && isTime(pair[1]))
          hosts.set(pair[0], pair[1]);
      }
      state.#tabs.set(item[0], hosts);
    }
    for (const item of list(value.findings)) {
      if (Array.isArray(item) && Number.isInteger(item[0]) && isTime(item[1]))
        state.#findings.set(item[0], item[1]);
    }
    for (const item of list(value.starts)) {
      if (Array.isArray(item) && typeof item[0] === "string" && isTime(item[1]))
        state.#starts.set(item[0], item[1]);
    }
    const observations: Observation[] = [];
    for (const item of list(value.observations)) {
      const observation = observationFrom(item);
      if (observation !== undefined) observations.push(observation);
    }
    state.#reindex(observations.slice(-MAX_OBSERVATIONS));
    if (isTime(value.dropped)) state.#storageDropped = value.dropped;
    return state;
  }

  #horizon(now: number): number {
    return now - this.#config.settings.retentionMinutes * 60_000;
  }

  /** Counts a request: the budget, the host's errors, the tab's hosts, the join index. */
  #count(observation: Observation): void {
    const exchange = toExchange(toHarEntry(observation), this.#index++);
    this.#tracker.observe(exchange, this.#config.table.providerOf(exchange.parts) ?? null);
    const host = exchange.host;
    let record = this.#hosts.get(host);
    if (record === undefined) {
      record = { lastSeen: observation.end, errors: new Map(), errorCount: 0 };
      this.#hosts.set(host, record);
      if (this.#hosts.size > MAX_HOSTS) this.#forgetHost(this.#leastRecentHost());
    }
    record.lastSeen = Math.max(record.lastSeen, observation.end);
    if (isError(observation.status)) this.#addError(record, observation);
    if (observation.tabId >= 0) {
      let hosts = this.#tabs.get(observation.tabId);
      if (hosts === undefined) {
        hosts = new Map();
        this.#tabs.set(observation.tabId, hosts);
        if (this.#tabs.size > MAX_TABS) {
          const oldest = this.#tabs.keys().next().value;
          if (oldest !== undefined) this.#tabs.delete(oldest);
        }
      }
      if ((hosts.get(host) ?? Number.NEGATIVE_INFINITY) <= observation.end) {
        // Re-inserted last, so the newest of equal times wins.
        hosts.delete(host);
        hosts.set(host, observation.end);
      }
    }
    this.#append(observation);
  }

  #addError(record: HostRecord, observation: Observation): void {
    const key = errorKey(observation.status, observation.code);
    let times = record.errors.get(key);
    if (times === undefined) {
      times = { status: observation.status, code: observation.code, ends: [] };
      record.errors.set(key, times);
    }
    times.ends.push(observation.end);
    record.errorCount++;
    if (record.errorCount > MAX_ERRORS_PER_HOST) {
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

  /** The panel decoded a code for an error webRequest saw with its status only. */
  #recode(seen: Observation, code: string | null): void {
    const record = this.#hosts.get(hostOf(seen.url));
    if (record === undefined) return;
    const before = record.errors.get(errorKey(seen.status, seen.code));
    const at = before?.ends.lastIndexOf(seen.end) ?? -1;
    if (before === undefined || at < 0) return;
    before.ends.splice(at, 1);
    if (before.ends.length === 0) record.errors.delete(errorKey(seen.status, seen.code));
    record.errorCount--;
    this.#addError(record, { ...seen, code });
  }

  #append(observation: Observation): void {
    this.#observations.push(observation);
    this.#addToIndex(observation);
    while (this.size > MAX_OBSERVATIONS) this.#dropOldest();
  }

  #addToIndex(observation: Observation): void {
    const identity = identityOf(observation);
    if (observation.via !== "webRequest") this.#reported.add(exactKey(identity, observation));
    if (observation.via === "both") return;
    for (const key of slotKeys(identity, observation)) {
      const slot = this.#unjoined.get(key);
      if (slot === undefined) this.#unjoined.set(key, [observation]);
      else slot.push(observation);
    }
  }

  /** Takes a now joined observation out of the index the other side looks in. */
  #join(observation: Observation): void {
    for (const key of slotKeys(identityOf(observation), observation)) {
      const slot = this.#unjoined.get(key);
      if (slot === undefined) continue;
      const at = slot.indexOf(observation);
      if (at >= 0) slot.splice(at, 1);
      if (slot.length === 0) this.#unjoined.delete(key);
    }
  }

  /** The observation seen by `other` alone that is `observation`'s request, closest in time. */
  #counterpart(observation: Observation, other: Via): Observation | undefined {
    let best: Observation | undefined;
    let bestGap = Number.POSITIVE_INFINITY;
    for (const key of nearbySlots(identityOf(observation), observation)) {
      for (const candidate of this.#unjoined.get(key) ?? []) {
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

  #dropOldest(): void {
    const oldest = this.#observations[this.#head];
    if (oldest === undefined) return;
    this.#head++;
    this.#join(oldest);
    if (oldest.via !== "webRequest") this.#reported.delete(exactKey(identityOf(oldest), oldest));
    // Compact now and then so the array does not grow with the whole session.
    if (this.#head > 1024 && this.#head * 2 > this.#observations.length) {
      this.#observations = this.#observations.slice(this.#head);
      this.#head = 0;
    }
  }

  #reindex(observations: Observation[]): void {
    this.#observations = [];
    this.#head = 0;
    this.#unjoined.clear();
    this.#reported.clear();
    for (const observation of observations) {
      this.#observations.push(observation);
      this.#addToIndex(observation);
    }
  }

  #prune(now: number): boolean {
    const horizon = this.#horizon(now);
    let changed = false;
    for (let o = this.#observations[this.#head]; o !== undefined && o.end < horizon; ) {
      this.#dropOldest();
      changed = true;
      o = this.#observations[this.#head];
    }
    for (const [id, at] of this.#starts) {
      if (at >= horizon) break;
      this.#starts.delete(id);
      changed = true;
    }
    if (now - this.#swept < SWEEP_MS) return changed;
    this.#swept = now;
    for (const [host, record] of [...this.#hosts]) {
      if (record.lastSeen < horizon) {
        this.#forgetHost(host);
        changed = true;
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
    for (const [tabId, hosts] of [...this.#tabs]) {
      for (const [host, end] of [...hosts]) {
        if (end < horizon || !this.#hosts.has(host)) {
          hosts.delete(host);
          changed = true;
        }
      }
      if (hosts.size === 0) this.#tabs.delete(tabId);
    }
    return changed;
  }

  #forgetHost(host: string): void {
    this.#hosts.delete(host);
    this.#tracker.forget(host);
    for (const hosts of this.#tabs.values()) hosts.delete(host);
  }

  #leastRecentHost(): string {
    let least: [string, number] | undefined;
    for (const [host, record] of this.#hosts) {
      if (least === undefined || record.lastSeen < least[1]) least = [host, record.lastSeen];
    }
    return least?.[0] ?? "";
  }

  #activeHost(tabId: number): string | null {
    let newest: [string, number] | undefined;
    for (const [host, end] of this.#tabs.get(tabId) ?? []) {
      if (newest === undefined || end >= newest[1]) newest = [host, end];
    }
    return newest?.[0] ?? null;
  }
}

function isTime(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function observationFrom(value: unknown): Observation | undefined {
  if (!Array.isArray(value)) return undefined;
  const [tabId, method, url, status, headers, start, end, code, via] = value;
  if (
    !Number.isInteger(tabId) ||
    typeof method !== "string" ||
    typeof url !== "string" ||
    !Number.isInteger(status) ||
    typeof headers !== "string" ||
    !isTime(start) ||
    !isTime(end) ||
    !(code === null || typeof code === "string") ||
    !(via === "webRequest" || via === "panel" || via === "both")
  )
    return undefined;
  return { tabId, url, method, status, start, end, headers, code, via };
}
