import type { AnalyzerSnapshot } from "../core/analyzer.js";
import { isTime } from "../core/guards.js";
import { isRecord } from "../core/is-record.js";
import type { HostCost } from "../messaging/protocol.js";
import { isHostCost } from "../messaging/rpc.js";
import type { Observation, Via } from "./request-join.js";

/**
 * Stored form of the background's state, in storage.session (which does not outlive an update:
 * another version reads as empty). Tuples keep it compact.
 */
export interface StateSnapshot {
  v: 3;
  /** The Analyzer's budgets, counts and per-host errors (`Analyzer.snapshot()`). */
  analyzer: AnalyzerSnapshot;
  tabs: [tabId: number, hosts: [string, number][]][];
  findings: [tabId: number, count: number][];
  /** What each tab's panel found its chains cost per host, when any panel found a cost. */
  cost?: [tabId: number, cost: HostCost[]][];
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

/** The parts of the state, as TrafficState holds them. */
export interface StateParts {
  analyzer: unknown;
  tabs: Map<number, Map<string, number>>;
  findings: Map<number, number>;
  cost: Map<number, HostCost[]>;
  starts: Map<string, number>;
  observations: Observation[];
  dropped: number;
}

export function writeSnapshot(parts: {
  analyzer: AnalyzerSnapshot;
  tabs: StateSnapshot["tabs"];
  findings: Map<number, number>;
  cost: Map<number, HostCost[]>;
  starts: Map<string, number>;
  observations: readonly Observation[];
  dropped: number;
}): StateSnapshot {
  return {
    v: 3,
    analyzer: parts.analyzer,
    tabs: parts.tabs,
    findings: [...parts.findings],
    ...(parts.cost.size > 0 ? { cost: [...parts.cost] } : {}),
    starts: [...parts.starts],
    observations: parts.observations.map((o) => [
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
    ...(parts.dropped > 0 ? { dropped: parts.dropped } : {}),
  };
}

/** The parts `value` (a snapshot from storage) describes; anything broken reads as empty. */
export function readSnapshot(value: unknown): StateParts {
  const parts: StateParts = {
    analyzer: undefined,
    tabs: new Map(),
    findings: new Map(),
    cost: new Map(),
    starts: new Map(),
    observations: [],
    dropped: 0,
  };
  if (!isRecord(value) || value.v !== 3) return parts;
  parts.analyzer = value.analyzer;
  for (const item of list(value.tabs)) {
    if (!Array.isArray(item) || !Number.isInteger(item[0])) continue;
    const hosts = new Map<string, number>();
    for (const pair of list(item[1])) {
      if (Array.isArray(pair) && typeof pair[0] === "string" && isTime(pair[1]))
        hosts.set(pair[0], pair[1]);
    }
    parts.tabs.set(item[0], hosts);
  }
  for (const item of list(value.findings)) {
    if (Array.isArray(item) && Number.isInteger(item[0]) && isTime(item[1]))
      parts.findings.set(item[0], item[1]);
  }
  for (const item of list(value.cost)) {
    if (Array.isArray(item) && Number.isInteger(item[0]))
      parts.cost.set(item[0], list(item[1]).filter(isHostCost));
  }
  for (const item of list(value.starts)) {
    if (Array.isArray(item) && typeof item[0] === "string" && isTime(item[1]))
      parts.starts.set(item[0], item[1]);
  }
  for (const item of list(value.observations)) {
    const observation = observationFrom(item);
    if (observation !== undefined) parts.observations.push(observation);
  }
  if (isTime(value.dropped)) parts.dropped = value.dropped;
  return parts;
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
