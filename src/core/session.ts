import { Analyzer, type AnalyzerOptions, addRecorded, type EntryAnalysis } from "./analyzer.js";
import type { BudgetState } from "./budget/budget-tracker.js";
import type { SkippedEntry } from "./har/parse-har.js";
import { type AnalysisReport, buildReport } from "./report.js";
import type { Finding, HarEntry } from "./types.js";

/**
 * Where an entry came from. `live`: DevTools finished it while the panel was open. `backfill`:
 * it finished before the panel loaded. `unfinished`: DevTools lists it but never finished it
 * (the page did not read a `no-store` body), so its response body is unknown. `imported`: a
 * HAR file the user opened.
 */
export type EntryOrigin = "live" | "backfill" | "unfinished" | "imported";

export interface SessionEntry {
  /** The index findings refer to: the position in `log.entries` for a file, else the arrival order. */
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

/** A recorded session: a HAR file's readable entries, with their indices in `log.entries`. */
export interface RecordedEntries {
  entries: readonly HarEntry[];
  /** Each entry's position in `log.entries`; default its position in `entries`. */
  indices?: readonly number[];
  skipped?: readonly SkippedEntry[];
}

/** Samples kept per host for the chart; older ones are thinned, never the newest. */
const MAX_SAMPLES = 600;

/**
 * A session: live capture of one page, or one HAR file, analysed as it arrives by one Analyzer.
 * Pure data, no browser API: the panel feeds it, the views read it, the CLI reads a file with
 * it. Live capture takes API traffic only (other traffic is refused and never stored); a file is
 * read whole, as the README's decisions say.
 */
export class Session {
  #options: AnalyzerOptions;
  #analyzer: Analyzer;
  /** In order of index. */
  #entries: SessionEntry[] = [];
  #byIndex = new Map<number, SessionEntry>();
  #recorded: RecordedEntries | undefined;
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

  /** Every request analysed, in order of index. */
  get entries(): readonly SessionEntry[] {
    return this.#entries;
  }

  /** The request findings call `index`. */
  entry(index: number): SessionEntry | undefined {
    return this.#byIndex.get(index);
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

  /**
   * A captured request, indexed by arrival; undefined (and nothing kept) when it is not API
   * traffic or is a CORS preflight.
   */
  add(entry: HarEntry, origin: EntryOrigin): SessionEntry | undefined {
    if (!this.isApiHost(entry.request.url)) return undefined;
    const last = this.#entries[this.#entries.length - 1];
    const analysis = this.#analyzer.add(entry, last === undefined ? 0 : last.index + 1);
    if (analysis === undefined) return undefined;
    const added = this.#keep(entry, origin, analysis);
    this.#version++;
    return added;
  }

  /**
   * Replaces the session with a recorded one, read as the CLI reads it: every entry but CORS
   * preflights, in order of start time, each under its index in `log.entries`. Returns how many
   * were analysed.
   */
  import(recorded: RecordedEntries): number {
    this.#reset();
    this.#recorded = recorded;
    addRecorded(this.#analyzer, recorded.entries, recorded.indices, (entry, analysis) => {
      this.#keep(entry, "imported", analysis);
    });
    this.#entries.sort((a, b) => a.index - b.index);
    this.#version++;
    return this.#entries.length;
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
    this.#reset();
    this.#version++;
  }

  /** New hosts or limits: the same entries analysed again under them. */
  reconfigure(options: AnalyzerOptions): void {
    const previous = this.#entries;
    const recorded = this.#recorded;
    this.#options = options;
    if (recorded !== undefined) {
      this.import(recorded);
      return;
    }
    this.clear();
    for (const { entry, origin } of previous) this.add(entry, origin);
  }

  /** The report every view and export shows (the CLI's, without its tool and version). */
  report(now: number = this.latestTime): AnalysisReport {
    return buildReport(this.#analyzer, { now, skipped: this.#recorded?.skipped });
  }

  #reset(): void {
    this.#analyzer = new Analyzer(this.#options);
    this.#entries = [];
    this.#byIndex.clear();
    this.#recorded = undefined;
    this.#history.clear();
  }

  #keep(entry: HarEntry, origin: EntryOrigin, analysis: EntryAnalysis): SessionEntry {
    const added: SessionEntry = { index: analysis.index, entry, origin, analysis, findings: [] };
    this.#entries.push(added);
    this.#byIndex.set(added.index, added);
    for (const finding of analysis.findings) {
      const offending = finding.entries[finding.entries.length - 1];
      const target = offending === undefined ? undefined : this.#byIndex.get(offending);
      target?.findings.push(finding);
    }
    this.#sample(analysis.host);
    return added;
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
