import { type BudgetState, BudgetTracker, toHostBudget } from "./budget/budget-tracker.js";
import { decodeError, retryAfterDelaySeconds } from "./decode/decode-error.js";
import { type Exchange, responseStatusOf, toExchange } from "./har/exchange.js";
import { parseHarTime } from "./har/har-time.js";
import type { SkippedEntry } from "./har/parse-har.js";
import { isPreflight } from "./har/preflight.js";
import { parseRetryAfter, parseRetryAfterText } from "./headers/parse-retry-after.js";
import { HostTable } from "./hosts.js";
import { type Attempt, madeByClient, RetryTracker } from "./retries/retry-tracker.js";
import { RULES } from "./rules/index.js";
import type {
  DecodedError,
  Finding,
  HarEntry,
  HostBudget,
  HostMapping,
  LimitSetting,
  ProviderId,
  RuleId,
} from "./types.js";

export interface AnalyzerOptions {
  /** Hosts the user added, on top of the documented API hosts. */
  hosts?: readonly HostMapping[];
  /** Rate limits the user set for hosts that send no headers. */
  limits?: readonly LimitSetting[];
}

/** What one added entry came to. */
export interface EntryAnalysis {
  index: number;
  host: string;
  /** The host's provider when it is an API host (default or user-mapped). */
  hostProvider: ProviderId | undefined;
  error: DecodedError | undefined;
  findings: Finding[];
}

function retryAfterOf(exchange: Exchange, error: DecodedError | undefined): Attempt["retryAfter"] {
  if (error === undefined) return undefined;
  const header = parseRetryAfter(exchange.responseHeaders);
  if (header !== undefined) {
    return { seconds: retryAfterDelaySeconds(header, exchange), dated: header.kind === "date" };
  }
  // The header wins; failing that, a wait the body states ("Retry after 60 seconds") is one too.
  const fromText = parseRetryAfterText(error.message);
  return fromText === undefined ? undefined : { seconds: fromText, dated: false };
}

/**
 * The analysis engine. Entries go in one at a time (as DevTools finishes them, or from a HAR
 * file); each costs O(1) amortised, with state kept per host and per request identity.
 */
export class Analyzer {
  readonly #hosts: HostTable;
  readonly #budget: BudgetTracker;
  readonly #retries = new RetryTracker();
  readonly #findings: Finding[] = [];
  #latest = Number.NEGATIVE_INFINITY;
  #retryCount = 0;

  constructor(options: AnalyzerOptions = {}) {
    this.#hosts = new HostTable(options.hosts);
    this.#budget = new BudgetTracker(options.limits);
  }

  get findings(): readonly Finding[] {
    return this.#findings;
  }

  /** How many requests so far retried an earlier one. */
  get retries(): number {
    return this.#retryCount;
  }

  /** The latest response end seen: "now" for a recorded session. */
  get latestTime(): number {
    return this.#latest;
  }

  isApiHost(url: string): boolean {
    return this.#hosts.isApiHost(url);
  }

  add(entry: HarEntry, index: number): EntryAnalysis {
    const exchange = toExchange(entry, index);
    const hostProvider = this.#hosts.providerOf(exchange.parts);
    const error = decodeError(exchange, hostProvider);
    const { attempt, link } = this.#retries.add(
      exchange,
      error,
      retryAfterOf(exchange, error),
      hostProvider !== undefined,
    );
    if (link !== undefined) this.#retryCount++;

    const raised = new Set<RuleId>();
    const findings: Finding[] = [];
    for (const rule of RULES) {
      const result = rule.check({
        exchange,
        hostProvider,
        attempt,
        error,
        retry: link,
        budget: this.#budget,
        byClient: madeByClient(exchange, hostProvider !== undefined),
        raised,
      });
      if (result === undefined) continue;
      raised.add(rule.id);
      const finding: Finding = { rule: rule.id, severity: rule.severity, ...result };
      if (exchange.initiator !== undefined) finding.initiator = exchange.initiator;
      findings.push(finding);
    }
    // Only now read this response's own budget: a request is judged by what was known when it left.
    // The host's provider, never the decoder that read one body: one label per host, whether its
    // errors were JSON, HTML or absent.
    this.#budget.observe(exchange, hostProvider ?? null);
    if (Number.isFinite(exchange.end)) this.#latest = Math.max(this.#latest, exchange.end);
    this.#findings.push(...findings);
    return { index, host: exchange.host, hostProvider, error, findings };
  }

  /** Every reported host's budget as of `now` (default: the latest response seen). */
  budgets(now: number = this.#latest): BudgetState[] {
    return this.#budget
      .reportedHosts()
      .map((host) => this.#budget.stateAt(host, now))
      .filter((state): state is BudgetState => state !== undefined);
  }
}

export interface EntrySummary {
  index: number;
  startedDateTime: string;
  method: string;
  url: string;
  status: number;
  error: DecodedError | null;
}

export interface AnalysisReport {
  entries: EntrySummary[];
  findings: Finding[];
  budgets: HostBudget[];
  /** Entries of the file left out of the analysis (see parseHar); none for a live session. */
  skipped: SkippedEntry[];
  /** How many requests retried an earlier one: "no findings" means more when there were some. */
  retries: number;
}

export interface AnalyzeEntriesOptions extends AnalyzerOptions {
  /** Each entry's position in `log.entries` when some were skipped; default its position here. */
  indices?: readonly number[];
  skipped?: readonly SkippedEntry[];
}

/** A whole recorded session through the same incremental path, in order of start time. */
export function analyzeEntries(
  entries: readonly HarEntry[],
  options: AnalyzeEntriesOptions = {},
): AnalysisReport {
  const analyzer = new Analyzer(options);
  const indexOf = (position: number) => options.indices?.[position] ?? position;
  const order = entries
    .map((entry, position) => ({ position, start: parseHarTime(entry.startedDateTime) }))
    .sort((a, b) => a.start - b.start || a.position - b.position);
  const summaries: EntrySummary[] = new Array(entries.length);
  for (const { position } of order) {
    const entry = entries[position] as HarEntry;
    const index = indexOf(position);
    const error = isPreflight(entry) ? undefined : analyzer.add(entry, index).error;
    summaries[position] = {
      index,
      startedDateTime: entry.startedDateTime,
      method: entry.request.method,
      url: entry.request.url,
      status: responseStatusOf(entry),
      error: error ?? null,
    };
  }
  return {
    entries: summaries,
    findings: [...analyzer.findings],
    budgets: analyzer.budgets().map(toHostBudget),
    skipped: [...(options.skipped ?? [])],
    retries: analyzer.retries,
  };
}
