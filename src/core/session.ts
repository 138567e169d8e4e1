import {
  type AnalysisReport,
  Analyzer,
  type AnalyzerOptions,
  type EntryAnalysis,
  type EntrySummary,
} from "./analyzer.js";
import { type BudgetState, toHostBudget } from "./budget/budget-tracker.js";
import { responseStatusOf } from "./har/exchange.js";
import { parseHarTime } from "./har/har-time.js";
import { isPreflight } from "./har/preflight.js";
import type { Finding, HarEntry } from "./types.js";

/**
 * Where an entry came from. `live`: DevTools finished it while the panel was open. `backfill`:
 * it finished before the panel loaded. `unfinished`: DevTools lists it but never finished it
 * (the page did not read a `no-store` body), so its response body is unknown. `imported`: a
 * HAR file the user opened.
 */
export type EntryOrigin = "live" | "backfill" | "unfinished" | "imported";

export interface SessionEntry {
  /** Position in the session, and the index findings refer to. */
  index: number;
  entry: HarEntry;
  origin: EntryOrigin;
  analysis: EntryAnalysis;
  /** Findings whose offending request is this one (the last of `finding.entries`). */
  findings: Finding[];
}

/** One point of a host's remaining budget, taken as each of its responses was read. */
export interface BudgetSample {
  at: number;
  remaining: number | null;
  limit: number | null;
  source: BudgetState["source"];
}

/** Samples kept per host for the chart; older ones are thinned, never the newest. */
const MAX_SAMPLES = 600;

/**
 * A capture session: the API entries of one page (or one HAR file), analysed as they arrive.
 * Pure data, no browser API: the panel feeds it, the views read it. Entries to hosts that are
 * not API hosts are refused and never stored.
 */
export class Session {
  #options: AnalyzerOptions;
  #analyzer: Analyzer;
  #entries: SessionEntry[] = [];
  #history = new Map<string, BudgetSample[]>();
  #version = 0;

  constructor(options: AnalyzerOptions = {}) {
    this.#options = options;
    this.#analyzer = new Analyzer(options);
  }

  /** Bumped on every change, so a view can tell whether to redraw. */
  get version(): number {
    return this.#version;
  }

  get entries(): readonly SessionEntry[] {
    return this.#entries;
  }

  get findings(): readonly Finding[] {
    return this.#analyzer.findings;
  }

  get options(): AnalyzerOptions {
    return this.#options;
  }

  isApiHost(url: string): boolean {
    return this.#analyzer.isApiHost(url);
  }

  /** Analyses one entry; undefined (and nothing kept) when it is not API traffic. */
  add(entry: HarEntry, origin: EntryOrigin): SessionEntry | undefined {
    if (!this.isApiHost(entry.request.url) || isPreflight(entry)) return undefined;
    const index = this.#entries.length;
    const analysis = this.#analyzer.add(entry, index);
    const added: SessionEntry = { index, entry, origin, analysis, findings: [] };
    this.#entries.push(added);
    for (const finding of analysis.findings) {
      const offending = finding.entries[finding.entries.length - 1];
      const target = offending === undefined ? undefined : this.#entries[offending];
      target?.findings.push(finding);
    }
    this.#sample(analysis.host);
    this.#version++;
    return added;
  }

  /** A recorded session, in order of start time as the CLI reads it. */
  addAll(entries: readonly HarEntry[], origin: EntryOrigin): number {
    const order = entries
      .map((entry, index) => ({ entry, index, start: parseHarTime(entry.startedDateTime) }))
      .sort((a, b) => a.start - b.start || a.index - b.index);
    let added = 0;
    for (const { entry } of order) if (this.add(entry, origin) !== undefined) added++;
    return added;
  }

  /** Budgets of every host seen, as of `now` (epoch ms). */
  budgets(now: number): BudgetState[] {
    return this.#analyzer.budgets(now);
  }

  history(host: string): readonly BudgetSample[] {
    return this.#history.get(host) ?? [];
  }

  /** The response end of the newest entry: "now" for a recorded session. */
  get latestTime(): number {
    return this.#analyzer.latestTime;
  }

  clear(): void {
    this.#analyzer = new Analyzer(this.#options);
    this.#entries = [];
    this.#history.clear();
    this.#version++;
  }

  /** New hosts or limits: the same entries analysed again under them. */
  reconfigure(options: AnalyzerOptions): void {
    const previous = this.#entries;
    this.#options = options;
    this.clear();
    for (const { entry, origin } of previous) this.add(entry, origin);
  }

  /** The CLI's report (without its tool and version) for this session's entries. */
  report(now: number = this.latestTime): AnalysisReport {
    const entries: EntrySummary[] = this.#entries.map(({ index, entry, analysis }) => ({
      index,
      startedDateTime: entry.startedDateTime,
      method: entry.request.method,
      url: entry.request.url,
      status: responseStatusOf(entry),
      error: analysis.error ?? null,
    }));
    return {
      entries,
      findings: [...this.findings],
      budgets: this.#analyzer.budgets(now).map(toHostBudget),
      skipped: [],
      retries: this.#analyzer.retries,
    };
  }

  #sample(host: string): void {
    const now = this.#analyzer.latestTime;
    const state = this.#analyzer.budgets(now).find((b) => b.host === host);
    if (state === undefined) return;
    let samples = this.#history.get(host);
    if (samples === undefined) {
      samples = [];
      this.#history.set(host, samples);
    }
    samples.push({ at: now, remaining: state.remaining, limit: state.limit, source: state.source });
    // Halve the older half when full: the chart keeps its shape at bounded cost.
    if (samples.length > MAX_SAMPLES) {
      const half = Math.floor(MAX_SAMPLES / 2);
      const thinned = samples.slice(0, half).filter((_, i) => i % 2 === 0);
      this.#history.set(host, [...thinned, ...samples.slice(half)]);
    }
  }
}
