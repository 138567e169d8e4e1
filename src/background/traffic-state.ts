import { Analyzer, type AnalyzerOptions } from "../core/analyzer.js";
import { costPerHost } from "../core/chains.js";
import type { HostTable } from "../core/hosts.js";
import { type RequestRecord, recordFromWebRequest } from "../core/request-record.js";
import type { BackgroundState, HostCost, HostView } from "../messaging/protocol.js";
import { analysedHosts, type Settings } from "../settings/settings.js";
import type { CompletedDetails, ErrorDetails, RequestDetails } from "./ports.js";
import { type Observation, observationOf, RequestJoin } from "./request-join.js";
import {
  readSnapshot,
  type StateParts,
  type StateSnapshot,
  writeSnapshot,
} from "./state-snapshot.js";
import { TabHosts } from "./tab-hosts.js";

export { MATCH_MS, MAX_OBSERVATIONS, type Observation, type Via } from "./request-join.js";
export type { StateSnapshot } from "./state-snapshot.js";

/**
 * The background's analysis state, updated one event at a time: the core's `Analyzer` (the engine
 * the panel and the CLI feed, here without rules or kept entries: docs/decisions.md, "The
 * background's Analyzer keeps budgets, not findings"), which keeps the budget and the errors per
 * host; each tab's hosts and its panel's findings count; and the recent requests (RequestJoin)
 * that the other side's report of the same request joins. Each event costs O(1) amortised;
 * nothing is ever replayed. `snapshot()` is the whole of it as JSON, for storage.session.
 */

/** The settings and the host table built from them, once per change. */
export interface Config {
  settings: Settings;
  table: HostTable;
}

const MAX_STARTS = 500;
const MAX_HOSTS = 64;
/** Hosts and tabs are swept for age at most this often (requests and starts on every event). */
const SWEEP_MS = 1000;

export interface StateOptions {
  /** Only the tab's active host: what the badge needs. */
  activeHostOnly?: boolean;
}

/**
 * The background's Analyzer: budgets and counts only, no rules, no entries kept
 * (docs/decisions.md, "The background's Analyzer keeps budgets, not findings").
 */
function analyzerOptions(settings: Settings): AnalyzerOptions {
  return {
    hosts: analysedHosts(settings),
    limits: settings.limits,
    keepEntries: false,
    rules: false,
  };
}

export class TrafficState {
  #config: Config;
  #analyzer: Analyzer;
  readonly #tabs: TabHosts;
  readonly #findings: Map<number, number>;
  /** Per tab with an open panel, what its panel's chains cost per host. */
  readonly #cost: Map<number, HostCost[]>;
  /** Start times of requests still under way, by webRequest's requestId, oldest first. */
  readonly #starts: Map<string, number>;
  #join: RequestJoin;
  #swept = Number.NEGATIVE_INFINITY;
  /** Requests dropped because storage was full. */
  #storageDropped: number;

  constructor(config: Config, parts: StateParts = readSnapshot(undefined)) {
    this.#config = config;
    this.#analyzer = Analyzer.restore(parts.analyzer, analyzerOptions(config.settings));
    this.#tabs = new TabHosts(parts.tabs);
    this.#findings = parts.findings;
    this.#cost = parts.cost;
    this.#starts = parts.starts;
    this.#join = new RequestJoin(parts.observations);
    this.#storageDropped = parts.dropped;
  }

  get config(): Config {
    return this.#config;
  }

  /** How many requests are kept for joining (each counted once). */
  get size(): number {
    return this.#join.size;
  }

  observations(): Observation[] {
    return this.#join.list();
  }

  /**
   * Storage refused the snapshot (its quota): drops the oldest half of the requests kept for
   * joining, at least one, and says how many went. The budgets and error counts stay.
   */
  shedOldest(): number {
    const drop = Math.max(1, Math.floor(this.size / 2));
    const before = this.size;
    for (let i = 0; i < drop; i++) this.#join.dropOldest();
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
    for (const [host] of this.#analyzer.hostsByRecency()) {
      if (!table.isApiHost(`https://${host}/`)) this.#forgetHost(host);
    }
    const kept = this.observations().filter((o) => table.isApiHost(o.url));
    if (kept.length !== this.size) this.#join = new RequestJoin(kept);
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
    const record = recordFromWebRequest(details, start);
    if (record === undefined || record.end < this.#horizon(now)) return known;
    const observation = observationOf(details.tabId, record, "webRequest");
    // A panel on the tab may have reported this very request first.
    const reported = this.#join.counterpart(observation, "panel");
    if (reported === undefined) {
      this.#count(record, observation);
      return true;
    }
    this.#join.join(reported, observation);
    return true;
  }

  /**
   * Records the requests a panel on tab `tabId` captured: each is counted once, whether webRequest
   * saw it too (the page's site granted) or not, and however often panels report it again.
   */
  recordPanel(tabId: number, records: readonly RequestRecord[], now: number): boolean {
    let changed = false;
    this.#prune(now);
    const horizon = this.#horizon(now);
    for (const record of records) {
      if (!this.#config.table.isApiHost(record.url) || record.end < horizon) continue;
      const observation = observationOf(tabId, record, "panel");
      if (this.#join.reported(observation)) continue;
      changed = true;
      const seen = this.#join.counterpart(observation, "webRequest");
      if (seen === undefined) {
        this.#count(record, observation);
        continue;
      }
      // One request seen by both: the panel's record, with its code and times. An error counted
      // under webRequest's bare status moves to the panel's code (a success has none).
      if (seen.code !== observation.code) this.#analyzer.recode(seen, observation.code);
      this.#join.join(seen, observation);
    }
    return changed;
  }

  setFindings(tabId: number, count: number): boolean {
    if (this.#findings.get(tabId) === count) return false;
    this.#findings.set(tabId, count);
    return true;
  }

  /** The panel's latest cost per host for its tab; replaces what it reported before. */
  setCost(tabId: number, cost: readonly HostCost[]): boolean {
    const before = this.#cost.get(tabId) ?? [];
    if (sameCost(before, cost)) return false;
    if (cost.length === 0) this.#cost.delete(tabId);
    else
      this.#cost.set(
        tabId,
        cost.map((c) => ({ ...c })),
      );
    return true;
  }

  /** A closed tab has no panel any more: its findings and their cost no longer count. */
  dropTab(tabId: number): boolean {
    // Both go, whichever the tab had: `||` would keep the cost of a tab that also had findings.
    const hadFindings = this.#findings.delete(tabId);
    const had = this.#cost.delete(tabId) || hadFindings;
    return this.#tabs.dropTab(tabId) || had;
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
    const activeHost = tabId === null ? null : this.#tabs.activeHost(tabId);
    const hosts: HostView[] = [];
    for (const [host, lastSeen] of this.#analyzer.hostsByRecency()) {
      if (options.activeHostOnly && host !== activeHost) continue;
      const budget = this.#analyzer.budgetOf(host, now);
      if (budget === undefined) continue;
      // The badge shows the budget alone: the error lists are for the popup.
      const errors = options.activeHostOnly ? [] : this.#analyzer.errorsOf(host);
      hosts.push({ budget, errors, lastSeen });
    }
    let findings = 0;
    for (const n of this.#findings.values()) findings += n;
    const state: BackgroundState = {
      now,
      hosts,
      activeHost,
      findings,
      cost: options.activeHostOnly ? [] : sumCost(this.#cost.values()),
    };
    if (this.#storageDropped > 0) state.storageDropped = this.#storageDropped;
    return state;
  }

  snapshot(): StateSnapshot {
    return writeSnapshot({
      analyzer: this.#analyzer.snapshot(),
      tabs: this.#tabs.entries(),
      findings: this.#findings,
      cost: this.#cost,
      starts: this.#starts,
      observations: this.observations(),
      dropped: this.#storageDropped,
    });
  }

  /** The state `value` (a snapshot from storage) describes; anything broken reads as empty. */
  static restore(value: unknown, config: Config): TrafficState {
    return new TrafficState(config, readSnapshot(value));
  }

  #horizon(now: number): number {
    return now - this.#config.settings.retentionMinutes * 60_000;
  }

  /** Counts a request: the Analyzer (its budget and errors), the tab's hosts, the join. */
  #count(record: RequestRecord, observation: Observation): void {
    const host = this.#analyzer.addRecord(record, this.#analyzer.entriesRead);
    if (this.#analyzer.hostCount > MAX_HOSTS) {
      const least = this.#analyzer.leastRecentHost();
      if (least !== undefined) this.#forgetHost(least);
    }
    this.#tabs.seen(observation.tabId, host, record.end);
    this.#join.add(observation);
  }

  #prune(now: number): boolean {
    const horizon = this.#horizon(now);
    let changed = this.#join.prune(horizon);
    for (const [id, at] of this.#starts) {
      if (at >= horizon) break;
      this.#starts.delete(id);
      changed = true;
    }
    if (now - this.#swept < SWEEP_MS) return changed;
    this.#swept = now;
    if (this.#analyzer.prune(horizon)) changed = true;
    if (this.#tabs.prune(horizon, (host) => this.#analyzer.hasHost(host))) changed = true;
    return changed;
  }

  #forgetHost(host: string): void {
    this.#analyzer.forget(host);
    this.#tabs.forgetHost(host);
  }
}

function sameCost(a: readonly HostCost[], b: readonly HostCost[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (c, i) =>
        c.host === b[i]?.host &&
        c.wastedRequests === b[i]?.wastedRequests &&
        c.wastedSeconds === b[i]?.wastedSeconds,
    )
  );
}

/** Every tab's cost added up per host, costliest first (requests, then seconds, then name). */
export function sumCost(lists: Iterable<readonly HostCost[]>): HostCost[] {
  return costPerHost([...lists].flat());
}
