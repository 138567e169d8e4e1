import { Analyzer, type AnalyzerOptions, addRecorded, type EntryAnalysis } from "./analyzer.js";
import type { BudgetState } from "./budget/budget-tracker.js";
import type { MeterState } from "./budget/meter.js";
import { type BudgetWindow, WindowRecorder } from "./budget/windows.js";
import type { Chain, Cost } from "./chains.js";
import type { Finding } from "./finding.js";
import { responseBodyOf } from "./har/exchange.js";
import type { SkippedEntry } from "./har/parse-har.js";
import { type PackedEntry, PartPool, packEntry, unpackEntry } from "./pack-entry.js";
import { type AnalysisReport, buildReport } from "./report.js";
import type { HarEntry } from "./types.js";

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
  /**
   * The HAR entry. Past `bodiesKept` it is held packed (see `PackedEntry`) and rebuilt here when
   * read, the same object while anything holds it: read it for one entry at a time (the detail
   * pane, a row in view, an export), not in a loop over the whole session.
   */
  readonly entry: HarEntry;
  origin: EntryOrigin;
  analysis: EntryAnalysis;
  /** Findings whose offending request is this one (the last of `finding.entries`). */
  findings: Finding[];
  /**
   * The session held more bodies than `bodiesKept`, and this older entry's bodies were dropped
   * to save memory (its metadata, analysis and findings stay).
   */
  bodyReleased?: boolean;
  /**
   * The response status as the analysis reads it (0 for no response, whatever the recorder wrote:
   * 0, Playwright's -1, null or nothing), without rebuilding a packed entry.
   */
  readonly status: number;
  /**
   * The request's time in ms as the recorder wrote it (`entry.time`), NaN when it wrote none:
   * kept, as `status` is, so that sorting by it never rebuilds a packed entry.
   */
  readonly duration: number;
  /**
   * What a text filter searches, lower-cased as the entry arrived: the URL, the error's code and
   * title, the response body (without it once the body is released).
   */
  readonly searchText: string;
}

export interface SessionOptions extends AnalyzerOptions {
  /**
   * How many of the newest entries keep their request and response bodies; older ones release
   * them. Unlimited by default.
   */
  bodiesKept?: number;
}

/**
 * An error body this small is kept past the cap: the analysis decodes it, and reads it again when
 * the hosts or limits change.
 */
export const KEPT_ERROR_BODY_CHARS = 4096;

/** One meter's figures in a sample. */
export interface MeterSample {
  name: string;
  unit: MeterState["unit"];
  remaining: number | null;
  limit: number | null;
  resetAt: number | null;
}

/**
 * One point of a host's budget, taken as each of its responses was read: the binding meter's
 * figures (as `BudgetState` has them) and every meter's.
 */
export interface BudgetSample {
  at: number;
  remaining: number | null;
  limit: number | null;
  source: BudgetState["source"];
  resetAt: number | null;
  retryAfterUntil: number | null;
  /** Binding first, as `BudgetState.meters`. */
  meters: MeterSample[];
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
 * read whole, as docs/decisions.md's "One engine, one report" says.
 */
export class Session {
  #options: SessionOptions;
  #analyzer: Analyzer;
  /** In order of index. */
  #entries: SessionEntry[] = [];
  #byIndex = new Map<number, SessionEntry>();
  /**
   * A recorded session: what its file left out. Its entries are not held here, only in the
   * session's own (packed past `bodiesKept`, as live ones are).
   */
  #recorded: { skipped: readonly SkippedEntry[] | undefined } | undefined;
  #history = new Map<string, BudgetSample[]>();
  #windows = new Map<string, WindowRecorder>();
  #version = 0;
  /** Every host seen, and the same sorted (made again only when a host is new). */
  #hosts = new Set<string>();
  #sortedHosts: readonly string[] = [];
  /** Entries before this position have released their bodies. */
  #releasedUpTo = 0;
  #released = 0;
  /** Bumped when bodies are released: what was searched in them is gone. */
  #releases = 0;
  /** While `reconfigure` adds the entries again: those whose bodies were released before. */
  #releasedBefore: ReadonlySet<HarEntry> | undefined;
  /** The shapes and short strings packed entries share (header names, an app's values): held once. */
  #pool = new PartPool();

  constructor(options: SessionOptions = {}) {
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

  get options(): SessionOptions {
    return this.#options;
  }

  /** Every host of the session, sorted. */
  get hosts(): readonly string[] {
    return this.#sortedHosts;
  }

  /** How many entries released their bodies (see `SessionOptions.bodiesKept`). */
  get released(): number {
    return this.#released;
  }

  /** Changes each time bodies are released. */
  get releases(): number {
    return this.#releases;
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
    this.#release();
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
    this.#recorded = { skipped: recorded.skipped };
    addRecorded(this.#analyzer, recorded.entries, recorded.indices, (entry, analysis) => {
      this.#keep(entry, "imported", analysis);
    });
    this.#entries.sort((a, b) => a.index - b.index);
    this.#release();
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

  /** The host's Retry-After windows and zero-budget stretches, in order of start. */
  windows(host: string): readonly BudgetWindow[] {
    return this.#windows.get(host)?.windows ?? [];
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
  reconfigure(options: SessionOptions): void {
    const previous = this.#entries;
    const recorded = this.#recorded;
    this.#options = options;
    // The entries as the session holds them: bodies released past `bodiesKept` are gone, and
    // stay marked so; error bodies the analysis decodes are kept (KEPT_ERROR_BODY_CHARS).
    const entries = previous.map((item) => item.entry);
    this.#releasedBefore = new Set(entries.filter((_, i) => previous[i]?.bodyReleased === true));
    try {
      if (recorded !== undefined) {
        // A file: from the session's own entries, not the file as read, which it does not hold.
        this.import({
          entries,
          indices: previous.map((item) => item.index),
          skipped: recorded.skipped,
        });
        return;
      }
      this.clear();
      entries.forEach((entry, i) => {
        this.add(entry, (previous[i] as SessionEntry).origin);
      });
    } finally {
      this.#releasedBefore = undefined;
    }
  }

  /** The report's retry chains and their cost alone, without building the rest of it. */
  chains(): { chains: Chain[]; cost: Cost } {
    const { chains, cost } = this.#analyzer.chainReport();
    return { chains, cost };
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
    this.#windows.clear();
    this.#hosts = new Set();
    this.#sortedHosts = [];
    this.#releasedUpTo = 0;
    this.#released = 0;
    this.#pool = new PartPool();
  }

  /**
   * Past `bodiesKept`, the oldest entries release their bodies, a tenth of the cap at a time (so
   * that a view searching them refilters rarely). An error body of up to KEPT_ERROR_BODY_CHARS is
   * kept: the analysis reads it again when the settings change. The released entry is then held
   * packed (`packEntry`): a HAR entry as objects weighs about twice its packed form. The
   * HAR entry is never changed: a file's entries stay as they were read.
   */
  #release(): void {
    const cap = this.#options.bodiesKept;
    if (cap === undefined || !Number.isFinite(cap)) return;
    const slack = Math.max(1, Math.floor(cap / 10));
    if (this.#entries.length - this.#releasedUpTo <= cap + slack) return;
    const until = this.#entries.length - cap;
    for (let position = this.#releasedUpTo; position < until; position++) {
      const item = this.#entries[position] as KeptEntry;
      if (item.compact(this.#pool)) this.#released++;
    }
    this.#releasedUpTo = until;
    this.#releases++;
  }

  #keep(entry: HarEntry, origin: EntryOrigin, analysis: EntryAnalysis): KeptEntry {
    const added = new KeptEntry(analysis.index, entry, origin, analysis);
    if (this.#releasedBefore?.has(entry)) {
      added.bodyReleased = true;
      this.#released++;
    }
    this.#entries.push(added);
    this.#byIndex.set(added.index, added);
    if (!this.#hosts.has(analysis.host)) {
      this.#hosts.add(analysis.host);
      this.#sortedHosts = [...this.#hosts].sort();
    }
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
    samples.push({
      at: now,
      remaining: state.remaining,
      limit: state.limit,
      source: state.source,
      resetAt: state.resetAt,
      retryAfterUntil: state.retryAfterUntil,
      meters: state.meters.map(({ name, unit, remaining, limit, resetAt }) => ({
        name,
        unit,
        remaining,
        limit,
        resetAt,
      })),
    });
    let windows = this.#windows.get(host);
    if (windows === undefined) {
      windows = new WindowRecorder();
      this.#windows.set(host, windows);
    }
    windows.observe(now, state);
    // Halve the older half when full: the chart keeps its shape at bounded cost.
    if (samples.length > MAX_SAMPLES) {
      const half = Math.floor(MAX_SAMPLES / 2);
      const thinned = samples.slice(0, half).filter((_, i) => i % 2 === 0);
      this.#history.set(host, [...thinned, ...samples.slice(half)]);
    }
  }
}

/** The entry without its bodies, or itself when it has none to release. */
function withoutBodies(entry: HarEntry): HarEntry {
  const content = entry.response?.content;
  const postData = entry.request?.postData;
  const responseText = typeof content?.text === "string" ? content.text : undefined;
  const keepResponse =
    responseText === undefined ||
    (entry.response.status >= 400 && responseText.length <= KEPT_ERROR_BODY_CHARS);
  const releaseRequest = typeof postData?.text === "string" && postData.text !== "";
  if (keepResponse && !releaseRequest) return entry;
  const released: HarEntry = { ...entry };
  if (!keepResponse) {
    const { text: _text, encoding: _encoding, ...rest } = content;
    released.response = { ...entry.response, content: rest };
  }
  if (releaseRequest) {
    // HAR's postData must have a text: an empty one, the entry marked as released.
    released.request = { ...entry.request, postData: { mimeType: postData.mimeType, text: "" } };
  }
  return released;
}

/** What a text filter searches in an entry, lower-cased: URL, error code and title, response body. */
export function entrySearchText(entry: HarEntry, analysis: EntryAnalysis): string {
  const body = responseBodyOf(entry.response?.content);
  const error = analysis.error;
  return [
    typeof entry.request?.url === "string" ? entry.request.url : "",
    error?.code ?? "",
    error?.title ?? "",
    body.state === "text" ? body.text : "",
  ]
    .join("\n")
    .toLowerCase();
}

/** A session's entry: the HAR entry as captured, or packed once it is past `bodiesKept`. */
class KeptEntry implements SessionEntry {
  index: number;
  origin: EntryOrigin;
  analysis: EntryAnalysis;
  findings: Finding[] = [];
  bodyReleased?: boolean;
  status: number;
  duration: number;
  searchText: string;
  /** The entry as captured, until it is packed. */
  #entry: HarEntry | undefined;
  #packed: PackedEntry | undefined;
  /** The last entry rebuilt from `#packed`, while something holds it. */
  #rebuilt: WeakRef<HarEntry> | undefined;

  constructor(index: number, entry: HarEntry, origin: EntryOrigin, analysis: EntryAnalysis) {
    this.index = index;
    this.origin = origin;
    this.analysis = analysis;
    this.#entry = entry;
    this.status = analysis.summary.status;
    this.duration = typeof entry.time === "number" ? entry.time : Number.NaN;
    this.searchText = entrySearchText(entry, analysis);
  }

  get entry(): HarEntry {
    if (this.#entry !== undefined) return this.#entry;
    let rebuilt = this.#rebuilt?.deref();
    if (rebuilt === undefined) {
      rebuilt = unpackEntry(this.#packed as PackedEntry);
      this.#rebuilt = new WeakRef(rebuilt);
    }
    return rebuilt;
  }

  /** Releases the bodies and packs what is left; true when bodies were released. */
  compact(pool: PartPool): boolean {
    const entry = this.#entry;
    if (entry === undefined) return false;
    const released = withoutBodies(entry);
    const packed = packEntry(released, pool);
    if (packed !== undefined) {
      this.#packed = packed;
      this.#entry = undefined;
    } else if (released !== entry) {
      this.#entry = released;
    }
    if (released === entry) return false;
    this.bodyReleased = true;
    this.searchText = entrySearchText(released, this.analysis);
    return true;
  }
}
