import { Analyzer, type AnalyzerOptions, type AnalyzerSnapshot } from "../core/analyzer.js";
import { isTime } from "../core/guards.js";
import { fingerprint } from "../core/har/credentials.js";
import { isRateLimitHeader } from "../core/headers/is-rate-limit-header.js";
import { type HostTable, urlParts } from "../core/hosts.js";
import { isRecord } from "../core/is-record.js";
import { redactUrl } from "../core/redact/redact-har.js";
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
 * The background's analysis state, updated one event at a time: the core's `Analyzer` (the engine
 * the panel and the CLI feed, here without rules or kept entries:
 * docs/decisions.md, "The background's Analyzer keeps budgets, not findings"), which keeps
 * the budget per host and decides what is an error; the errors per host by code, each tab's hosts
 * and its panel's findings count; and the recent requests, indexed by identity, that the other
 * side's report of the same request joins. Each event costs O(1) amortised; nothing is ever
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
  /**
   * The fingerprint of the rate-limit response headers (their `name: value` lines, names
   * lower-case, sorted; "" for none): all a join compares of them. The values went to the
   * Analyzer when the request was counted, and are not kept.
   */
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

/** A response header as the background keeps it: name lower-case, value clipped. */
type Header = { name: string; value: string };

/** A request as one side reported it: what is kept of it, and the headers it is counted with. */
interface Report {
  observation: Observation;
  rateLimit: Header[];
}

/** The rate-limit headers of a response, names lower-case, sorted: all the background reads. */
export function rateLimitHeaders(
  headers: readonly { name: string; value?: string | undefined }[],
): Header[] {
  const kept: { line: string; header: Header }[] = [];
  for (const { name, value } of headers) {
    if (typeof value !== "string" || !isRateLimitHeader(name)) continue;
    const header = { name: name.toLowerCase(), value: value.slice(0, MAX_HEADER_CHARS) };
    kept.push({ line: `${header.name}: ${header.value}`, header });
  }
  return kept.sort((a, b) => (a.line < b.line ? -1 : a.line > b.line ? 1 : 0)).map((k) => k.header);
}

/**
 * What a join compares of the headers: a fingerprint (FNV-1a and the length) of their lines, in
 * place of the lines, which made most of the snapshot written on every change.
 */
function headersKey(headers: readonly Header[]): string {
  return headers.length === 0
    ? ""
    : fingerprint(headers.map((h) => `${h.name}: ${h.value}`).join("\n"));
}

/** The report of a finished request; a network error (no status code) has status 0. */
function responseReport(
  details: CompletedDetails | ErrorDetails,
  start: number | undefined,
): Report {
  const end = Math.round(details.timeStamp);
  const rateLimit =
    "responseHeaders" in details ? rateLimitHeaders(details.responseHeaders ?? []) : [];
  const status =
    "statusCode" in details && Number.isInteger(details.statusCode) ? details.statusCode : 0;
  const observation: Observation = {
    tabId: details.tabId,
    url: clipUrl(details.url),
    method: details.method.toUpperCase(),
    status,
    start: Math.min(end, Math.round(start ?? end)),
    end,
    headers: headersKey(rateLimit),
    code: null,
    via: "webRequest",
  };
  return { observation, rateLimit };
}

/** The report of a request a panel on tab `tabId` captured. */
function panelReport(tabId: number, observed: ObservedRequest): Report {
  const end = Math.round(observed.end);
  const rateLimit = rateLimitHeaders(observed.headers.map(([name, value]) => ({ name, value })));
  const observation: Observation = {
    tabId,
    url: clipUrl(observed.url),
    method: observed.method.toUpperCase(),
    status: Number.isInteger(observed.status) && observed.status > 0 ? observed.status : 0,
    start: Math.min(end, Math.round(observed.start)),
    end,
    headers: headersKey(rateLimit),
    code: observed.code,
    via: "panel",
  };
  return { observation, rateLimit };
}

/**
 * The HAR entry the Analyzer reads a request from: what webRequest or the panel's report gives
 * (method, URL, status, times, the rate-limit headers), without bodies or request headers.
 */
function harEntryOf({ observation, rateLimit }: Report): HarEntry {
  const time = Math.max(0, observation.end - observation.start);
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
      headers: rateLimit,
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

function errorKey(status: number, code: string | null): string {
  return `${status} ${code ?? ""}`;
}

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

/**
 * Stored form of the state, version 2 (version 1 kept the BudgetTracker's snapshot and the
 * headers' lines; storage.session does not outlive an update, so it is read as empty). Tuples
 * keep it compact.
 */
export interface StateSnapshot {
  v: 2;
  /** The Analyzer's budgets and counts (`Analyzer.snapshot()`). */
  analyzer: AnalyzerSnapshot;
  hosts: [host: string, lastSeen: number, errors: [number, string | null, number[]][]][];
  tabs: [tabId: number, hosts: [string, number][]][];
  findings: [tabId: number, count: number][];
  starts: [requestId: string, at: number][];
  observations: [
    tabId: number,
    method: string,
    url: string,
    status: number,
    /** The headers' fingerprint (Observation.headers). */
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

/**
 * The background's Analyzer: budgets and counts only, no rules, no entries kept
 * (docs/decisions.md, "The background's Analyzer keeps budgets, not findings").
 */
function analyzerOptions(settings: Settings): AnalyzerOptions {
  return { hosts: settings.hosts, limits: settings.limits, keepEntries: false, rules: false };
}

export class TrafficState {
  #config: Config;
  #analyzer: Analyzer;
  readonly #hosts = new Map<string, HostRecord>();
  /** tab -> host -> end of the tab's latest response from it. */
  readonly #tabs = new Map<number, Map<string, number>>();
  readonly #findings = new Map<number, number>();
  /** Start times of requests still under way, by webRequest's requestId, oldest first. */
  readonly #starts = new Map<string, number>();
  /** In the order recorded, oldest first, from #head. */
  #observations: Observation[] = [];
  #head = 0;
  /** The join index: by identity, then by time slot. */
  readonly #index = new Map<string, Joinable>();
  #swept = Number.NEGATIVE_INFINITY;
  /** Requests dropped because storage was full. */
  #storageDropped = 0;

  constructor(config: Config) {
    this.#config = config;
    this.#analyzer = new Analyzer(analyzerOptions(config.settings));
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
    this.#analyzer = Analyzer.restore(this.#analyzer.snapshot(), analyzerOptions(config.settings));
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
    const report = responseReport(details, start);
    const { observation } = report;
    if (observation.end < this.#horizon(now)) return known;
    // A panel on the tab may have reported this very request first.
    const reported = this.#counterpart(observation, "panel");
    if (reported === undefined) return this.#count(report) || known;
    this.#join(reported);
    reported.via = "both";
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
    for (const observed of reports) {
      const report = panelReport(tabId, observed);
      const { observation } = report;
      if (!this.#config.table.isApiHost(observation.url) || observation.end < horizon) continue;
      const identity = identityOf(observation);
      if (this.#index.get(identity)?.reported.has(timesOf(observation))) continue;
      const seen = this.#counterpart(observation, "webRequest");
      if (seen === undefined) {
        if (this.#count(report)) changed = true;
        continue;
      }
      changed = true;
      this.#joinable(identity).reported.add(timesOf(observation));
      // One request seen by both: the panel's record, with its code and times. #recode moves an
      // error counted under webRequest's bare status to the panel's code (a success has none).
      this.#join(seen);
      if (seen.code !== observation.code) this.#recode(seen, observation.code);
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
    // Hosts and error times are swept at most once per SWEEP_MS: the badge asks on every event,
    // and a full sweep reads every error time kept. (getState prunes in full before it asks.)
    this.#prune(now);
    const activeHost = tabId === null ? null : this.#activeHost(tabId);
    const hosts: HostView[] = [];
    const ordered = [...this.#hosts].sort(([, a], [, b]) => b.lastSeen - a.lastSeen);
    for (const [host, record] of ordered) {
      if (options.activeHostOnly && host !== activeHost) continue;
      const budget = this.#analyzer.budgetOf(host, now);
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
      v: 2,
      analyzer: this.#analyzer.snapshot(),
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
    if (!isRecord(value) || value.v !== 2) return state;
    state.#analyzer = Analyzer.restore(value.analyzer, analyzerOptions(config.settings));
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

  /**
   * Counts a request: the Analyzer (its budget), the host's errors, the tab's hosts, the join
   * index. False, and nothing kept, for what the Analyzer does not read as a request.
   */
  #count(report: Report): boolean {
    const { observation } = report;
    const analysis = this.#analyzer.add(harEntryOf(report), this.#analyzer.entriesRead);
    if (analysis === undefined) return false;
    const host = analysis.host;
    let record = this.#hosts.get(host);
    if (record === undefined) {
      record = { lastSeen: observation.end, errors: new Map(), errorCount: 0 };
      this.#hosts.set(host, record);
      if (this.#hosts.size > MAX_HOSTS) this.#forgetHost(this.#leastRecentHost());
    }
    record.lastSeen = Math.max(record.lastSeen, observation.end);
    // An error is what the core decodes as one (status >= 400, or no response).
    if (analysis.error !== undefined) this.#addError(record, observation);
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
    return true;
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

  /** Takes a now joined observation out of the index the other side looks in. */
  #join(observation: Observation): void {
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

  /** The observation seen by `other` alone that is `observation`'s request, closest in time. */
  #counterpart(observation: Observation, other: Via): Observation | undefined {
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

  #dropOldest(): void {
    const oldest = this.#observations[this.#head];
    if (oldest === undefined) return;
    this.#head++;
    this.#join(oldest);
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

  #reindex(observations: Observation[]): void {
    this.#observations = [];
    this.#head = 0;
    this.#index.clear();
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
    this.#analyzer.forget(host);
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
