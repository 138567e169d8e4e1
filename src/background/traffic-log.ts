import { type BudgetState, BudgetTracker } from "../core/budget/budget-tracker.js";
import { toExchange } from "../core/har/exchange.js";
import { isRateLimitHeader } from "../core/headers/is-rate-limit-header.js";
import { HostTable, urlParts } from "../core/hosts.js";
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
 * The background's whole state: a log of compact observations of API traffic, kept in session
 * storage and replayed through the core whenever a figure is needed, so a stopped service worker
 * loses nothing. Every function here is pure and returns a new log (or the same one when nothing
 * changed, so the caller can skip the write).
 */

/** Who saw a request: webRequest, a Ratelens panel on its tab, or both (counted once). */
export type Via = "webRequest" | "panel" | "both";

/** What the background keeps of one API response. */
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
  via: Via;
}

export interface TrafficLog {
  /** In the order they were recorded, oldest first. */
  observations: Observation[];
  /** Start times of requests still under way, by webRequest's requestId. */
  starts: Record<string, number>;
  /** The latest findings count each tab's panel reported, by tab id. */
  findings: Record<string, number>;
}

/** Enough for a long session at a brisk pace; bounded so session storage stays small. */
export const MAX_OBSERVATIONS = 2000;
const MAX_STARTS = 500;
/**
 * How far apart the panel's and webRequest's times of one request may be: both come from the
 * browser's network stack but stamp slightly different steps (measured over 27 requests of the
 * demo's scenarios: at most 3 ms apart at the start, 7 ms at the end).
 */
export const MATCH_MS = 500;
const MAX_URL_CHARS = 2048;
const MAX_HEADER_CHARS = 256;

export function emptyLog(): TrafficLog {
  return { observations: [], starts: {}, findings: {} };
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

/** The rate-limit headers of a response, names lower-case, values clipped. */
function rateLimitHeaders(
  headers: readonly { name: string; value?: string | undefined }[],
): [string, string][] {
  const kept: [string, string][] = [];
  for (const { name, value } of headers) {
    if (typeof value === "string" && isRateLimitHeader(name))
      kept.push([name.toLowerCase(), value.slice(0, MAX_HEADER_CHARS)]);
  }
  return kept;
}

/** The observation of a finished request; a network error (no status code) has status 0. */
export function observationOf(
  details: CompletedDetails | ErrorDetails,
  start: number | undefined,
): Observation {
  const end = Math.round(details.timeStamp);
  const headers =
    "responseHeaders" in details ? rateLimitHeaders(details.responseHeaders ?? []) : [];
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

function headerKey(headers: readonly [string, string][]): string {
  return headers
    .map(([name, value]) => `${name}: ${value}`)
    .sort()
    .join("\n");
}

/**
 * Whether two observations can be the same request, times aside: same tab, method, URL, status
 * and rate-limit headers (which, where a server sends them, differ from one response to the next).
 */
function sameRequest(a: Observation, b: Observation): boolean {
  return (
    a.tabId === b.tabId &&
    a.method === b.method &&
    a.url === b.url &&
    a.status === b.status &&
    headerKey(a.headers) === headerKey(b.headers)
  );
}

/**
 * How far apart in time two observations of the same request are, or undefined when they are not
 * the same request. webRequest may miss a start (the worker was not listening yet): then its start
 * is its end, so the closer of the two gaps decides.
 */
function gap(a: Observation, b: Observation): number | undefined {
  if (!sameRequest(a, b)) return undefined;
  const apart = Math.min(Math.abs(a.start - b.start), Math.abs(a.end - b.end));
  return apart <= MATCH_MS ? apart : undefined;
}

/**
 * The index of the observation seen by `other` alone that is `observation`'s request, closest in
 * time (the latest on a tie), or -1. Each request is matched once: one seen by both is done.
 */
function counterpart(
  observations: readonly Observation[],
  observation: Observation,
  other: Via,
): number {
  let best = -1;
  let bestGap = Number.POSITIVE_INFINITY;
  for (let i = observations.length - 1; i >= 0; i--) {
    const candidate = observations[i];
    if (candidate === undefined || candidate.via !== other) continue;
    const apart = gap(candidate, observation);
    if (apart !== undefined && apart < bestGap) {
      best = i;
      bestGap = apart;
    }
  }
  return best;
}

/**
 * One request seen by both, kept as the panel's record: its code, and its times, which a panel
 * reopened on the tab reports again unchanged (webRequest's differ by a few ms).
 */
function merged(fromPanel: Observation): Observation {
  return { ...fromPanel, via: "both" };
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

  const observation = observationOf(details, start);
  const observations = [...log.observations];
  // A panel on the tab may have reported this very request first.
  const index = counterpart(observations, observation, "panel");
  const reported = observations[index];
  if (reported !== undefined) observations[index] = merged(reported);
  else observations.push(observation);
  return prune({ ...log, starts, observations }, settings, now);
}

/**
 * Records the requests a panel on tab `tabId` captured: each is counted once, whether webRequest
 * saw it too (the page's site granted) or not, and however often panels report it again (a panel
 * reopened backfills what an earlier one reported).
 */
export function recordPanel(
  log: TrafficLog,
  tabId: number,
  reports: readonly ObservedRequest[],
  settings: Settings,
  now: number,
): TrafficLog {
  const table = new HostTable(settings.hosts);
  const observations = [...log.observations];
  let changed = false;
  for (const report of reports) {
    const observation = panelObservationOf(tabId, report);
    if (!table.isApiHost(observation.url)) continue;
    // DevTools' record of a request does not change: the same times are the same request.
    const again = observations.some(
      (o) =>
        o.via !== "webRequest" &&
        o.start === observation.start &&
        o.end === observation.end &&
        sameRequest(o, observation),
    );
    if (again) continue;
    changed = true;
    const index = counterpart(observations, observation, "webRequest");
    const seen = observations[index];
    if (seen !== undefined) observations[index] = merged(observation);
    else observations.push(observation);
  }
  return changed ? prune({ ...log, observations }, settings, now) : log;
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
  return { ...log, observations, starts };
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
