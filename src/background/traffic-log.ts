import { type BudgetState, BudgetTracker } from "../core/budget/budget-tracker.js";
import { toExchange } from "../core/har/exchange.js";
import { HostTable, urlParts } from "../core/hosts.js";
import type { HarEntry } from "../core/types.js";
import type {
  BackgroundState,
  DecodedReport,
  ErrorCount,
  HostView,
} from "../messaging/protocol.js";
import type { Settings } from "../settings/settings.js";
import type { CompletedDetails, ErrorDetails, RequestDetails } from "./ports.js";

/**
 * The background's whole state: a log of compact observations of API traffic, kept in session
 * storage and replayed through the core whenever a figure is needed, so a stopped service worker
 * loses nothing. Every function here is pure and returns a new log (or the same one when nothing
 * changed, so the caller can skip the write).
 */

/** What the background keeps of one API response it saw through webRequest. */
export interface Observation {
  tabId: number;
  url: string;
  method: string;
  /** 0 for a network error: no response arrived. */
  status: number;
  /** Epoch ms the request started and its response ended. */
  start: number;
  end: number;
  /** Only the response headers that speak of the rate limit, names lower-case. */
  headers: [name: string, value: string][];
  /** The code the panel decoded from the body, once it reports it. */
  code: string | null;
}

export interface TrafficLog {
  /** In the order the responses ended, oldest first. */
  observations: Observation[];
  /** Start times of requests still under way, by webRequest's requestId. */
  starts: Record<string, number>;
  /** The latest findings count each tab's panel reported, by tab id. */
  findings: Record<string, number>;
  /** Decoded reports that arrived before their response's observation, kept briefly. */
  pending: DecodedReport[];
}

/** Enough for a long session at a brisk pace; bounded so session storage stays small. */
export const MAX_OBSERVATIONS = 2000;
const MAX_STARTS = 500;
const MAX_PENDING = 200;
/** How long a decoded report waits for the observation it belongs to. */
const PENDING_MS = 30_000;
/** The panel's end time and webRequest's may differ a little: a report matches within this. */
const MATCH_MS = 2000;
const MAX_URL_CHARS = 2048;
const MAX_HEADER_CHARS = 256;

const RELEVANT_HEADERS = new Set([
  "retry-after",
  "retry-after-ms",
  "date",
  "ratelimit",
  "ratelimit-policy",
  "ratelimit-limit",
  "ratelimit-remaining",
  "ratelimit-reset",
  "x-should-retry",
]);

export function emptyLog(): TrafficLog {
  return { observations: [], starts: {}, findings: {}, pending: [] };
}

/** Whether a response header says something of the rate limit; cookies and auth never do. */
export function isRateLimitHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return RELEVANT_HEADERS.has(lower) || lower.startsWith("x-ratelimit-");
}

function clipUrl(url: string): string {
  return url.length > MAX_URL_CHARS ? url.slice(0, MAX_URL_CHARS) : url;
}

function hostOf(url: string): string {
  return urlParts(url)?.host ?? url;
}

function retentionMs(settings: Settings): number {
  return settings.retentionMinutes * 60_000;
}

/** The observation of a finished request; a network error (no status code) has status 0. */
export function observationOf(
  details: CompletedDetails | ErrorDetails,
  start: number | undefined,
): Observation {
  const end = Math.round(details.timeStamp);
  const headers: [string, string][] = [];
  if ("responseHeaders" in details) {
    for (const { name, value } of details.responseHeaders ?? []) {
      if (typeof value === "string" && isRateLimitHeader(name))
        headers.push([name.toLowerCase(), value.slice(0, MAX_HEADER_CHARS)]);
    }
  }
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
  };
}

/** Notes when an API request started, so its observation has its real duration. */
export function recordStart(
  log: TrafficLog,
  details: RequestDetails,
  settings: Settings,
): TrafficLog {
  if (!new HostTable(settings.hosts).isApiHost(details.url)) return log;
  return {
    ...log,
    starts: { ...log.starts, [details.requestId]: Math.round(details.timeStamp) },
  };
}

function distance(report: DecodedReport, observation: Observation): number | undefined {
  if (
    observation.code !== null ||
    observation.url !== clipUrl(report.url) ||
    observation.status !== report.status
  )
    return undefined;
  const gap = Math.abs(report.at - observation.end);
  return gap < MATCH_MS ? gap : undefined;
}

/** The index of the item with the smallest gap (-1 when none matches); the latest on a tie. */
function closest<T>(items: readonly T[], gapOf: (item: T) => number | undefined): number {
  let best = -1;
  let bestGap = Number.POSITIVE_INFINITY;
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    const gap = item === undefined ? undefined : gapOf(item);
    if (gap !== undefined && gap < bestGap) {
      best = i;
      bestGap = gap;
    }
  }
  return best;
}

/** Records a finished API request (the rest is dropped) and prunes the log. */
export function recordResponse(
  log: TrafficLog,
  details: CompletedDetails | ErrorDetails,
  settings: Settings,
  now: number,
): TrafficLog {
  const known = Object.hasOwn(log.starts, details.requestId);
  const starts = known ? { ...log.starts } : log.starts;
  const start = known ? starts[details.requestId] : undefined;
  if (known) delete starts[details.requestId];
  // Served from the browser's cache: no request reached the API.
  if ("fromCache" in details && details.fromCache === true) return known ? { ...log, starts } : log;
  if (!new HostTable(settings.hosts).isApiHost(details.url))
    return known ? { ...log, starts } : log;

  let observation = observationOf(details, start);
  let pending = log.pending;
  const waiting = closest(pending, (report) => distance(report, observation));
  const report = pending[waiting];
  if (report !== undefined) {
    observation = { ...observation, code: report.code };
    pending = pending.filter((_, i) => i !== waiting);
  }
  return prune(
    { ...log, starts, pending, observations: [...log.observations, observation] },
    settings,
    now,
  );
}

/** Puts the panel's decoded codes to the responses they belong to; early ones wait a little. */
export function attachReports(
  log: TrafficLog,
  reports: readonly DecodedReport[],
  now: number,
): TrafficLog {
  const useful = reports.filter((r) => r.code !== null).sort((a, b) => a.at - b.at);
  if (useful.length === 0) return log;
  const observations = [...log.observations];
  const pending = [...log.pending];
  for (const report of useful) {
    // The unmatched observation closest in time to the report; the most recent on a tie.
    const index = closest(observations, (observation) => distance(report, observation));
    const observation = observations[index];
    if (observation !== undefined) observations[index] = { ...observation, code: report.code };
    else if (report.at >= now - PENDING_MS) pending.push({ ...report, url: clipUrl(report.url) });
  }
  return { ...log, observations, pending: prunePending(pending, now) };
}

export function setFindings(log: TrafficLog, tabId: number, count: number): TrafficLog {
  if (log.findings[String(tabId)] === count) return log;
  return { ...log, findings: { ...log.findings, [String(tabId)]: count } };
}

/** A closed tab has no panel any more: its findings no longer count. */
export function dropTab(log: TrafficLog, tabId: number): TrafficLog {
  const key = String(tabId);
  if (!Object.hasOwn(log.findings, key)) return log;
  const findings = { ...log.findings };
  delete findings[key];
  return { ...log, findings };
}

function prunePending(pending: readonly DecodedReport[], now: number): DecodedReport[] {
  return pending.filter((r) => r.at >= now - PENDING_MS).slice(-MAX_PENDING);
}

/** Forgets what is older than the retention, or beyond the caps, or no longer an API host. */
export function prune(log: TrafficLog, settings: Settings, now: number): TrafficLog {
  const horizon = now - retentionMs(settings);
  const table = new HostTable(settings.hosts);
  const observations = log.observations
    .filter((o) => o.end >= horizon && table.isApiHost(o.url))
    .slice(-MAX_OBSERVATIONS);
  const starts = Object.fromEntries(
    Object.entries(log.starts)
      .filter(([, at]) => at >= horizon)
      .sort(([, a], [, b]) => a - b)
      .slice(-MAX_STARTS),
  );
  return { ...log, observations, starts, pending: prunePending(log.pending, now) };
}

/** The least HAR entry the core reads an observation from: no bodies, rate-limit headers only. */
export function toHarEntry(observation: Observation): HarEntry {
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
      headers: observation.headers.map(([name, value]) => ({ name, value })),
      content: { size: 0, mimeType: "" },
      redirectURL: "",
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 0, wait: time, receive: 0 },
  };
}

function errorKey(status: number, code: string | null): string {
  return `${status} ${code ?? ""}`;
}

/** Replays observations through the core: one view per host, most recently used first. */
function hostViews(
  observations: readonly Observation[],
  settings: Settings,
  now: number,
): HostView[] {
  const table = new HostTable(settings.hosts);
  const tracker = new BudgetTracker(settings.limits);
  const lastSeen = new Map<string, number>();
  const errors = new Map<string, Map<string, ErrorCount>>();
  // In order of start, as the CLI reads a recording; sort is stable for equal starts.
  const ordered = [...observations].sort((a, b) => a.start - b.start);
  ordered.forEach((observation, index) => {
    const exchange = toExchange(toHarEntry(observation), index);
    tracker.observe(exchange, table.providerOf(exchange.parts) ?? null);
    const host = exchange.host;
    lastSeen.set(host, Math.max(lastSeen.get(host) ?? Number.NEGATIVE_INFINITY, observation.end));
    const { status, code } = observation;
    if (status >= 400 || status === 0) {
      let byKey = errors.get(host);
      if (byKey === undefined) {
        byKey = new Map();
        errors.set(host, byKey);
      }
      const key = errorKey(status, code);
      const count = byKey.get(key);
      if (count === undefined) byKey.set(key, { status, code, count: 1, last: observation.end });
      else {
        count.count++;
        count.last = Math.max(count.last, observation.end);
      }
    }
  });
  const views: HostView[] = [];
  for (const [host, seen] of [...lastSeen].sort(([, a], [, b]) => b - a)) {
    const budget = tracker.stateAt(host, now);
    if (budget === undefined) continue;
    const hostErrors = [...(errors.get(host)?.values() ?? [])].sort((a, b) => b.last - a.last);
    views.push({ budget, errors: hostErrors, lastSeen: seen });
  }
  return views;
}

/** The host the tab's newest response came from, if the tab has any API traffic. */
export function activeHostOf(
  observations: readonly Observation[],
  tabId: number | null,
): string | null {
  if (tabId === null) return null;
  let newest: Observation | undefined;
  for (const observation of observations) {
    if (observation.tabId === tabId && (newest === undefined || observation.end >= newest.end))
      newest = observation;
  }
  return newest === undefined ? null : hostOf(newest.url);
}

export interface StateOptions {
  /** Only the tab's active host: what the badge needs, at a fraction of the cost. */
  activeHostOnly?: boolean;
}

/** The answer to `getState`: every API host's budget and errors as of `now`. */
export function computeState(
  log: TrafficLog,
  settings: Settings,
  now: number,
  tabId: number | null,
  options: StateOptions = {},
): BackgroundState {
  const { observations } = prune(log, settings, now);
  const activeHost = activeHostOf(observations, tabId);
  const replayed = options.activeHostOnly
    ? observations.filter((o) => activeHost !== null && hostOf(o.url) === activeHost)
    : observations;
  const findings = Object.values(log.findings).reduce((sum, n) => sum + n, 0);
  return { now, hosts: hostViews(replayed, settings, now), activeHost, findings };
}

/** The budgets as one tab's own traffic alone would have them, most recently used host first. */
export function tabBudgets(
  log: TrafficLog,
  settings: Settings,
  now: number,
  tabId: number,
): BudgetState[] {
  const { observations } = prune(log, settings, now);
  return hostViews(
    observations.filter((o) => o.tabId === tabId),
    settings,
    now,
  ).map((view) => view.budget);
}
