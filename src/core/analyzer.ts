import { type BudgetSnapshot, type BudgetState, BudgetTracker } from "./budget/budget-tracker.js";
import { type Chain, type ChainReport, ChainTracker, type Keep } from "./chains.js";
import { decodeError } from "./decode/decode-error.js";
import { type StatedWait, statedWait } from "./decode/stated-wait.js";
import type { Finding } from "./finding.js";
import { isCount } from "./guards.js";
import {
  type Exchange,
  isErrorStatus,
  MAX_DECODED_BODY_CHARS,
  responseBodyOf,
  responseStatusOf,
  toExchange,
} from "./har/exchange.js";
import { parseHarTime } from "./har/har-time.js";
import { invalidEntryReason } from "./har/parse-har.js";
import { isPreflight } from "./har/preflight.js";
import { RecordedOrder } from "./har/recorded-order.js";
import { type ErrorCount, HostErrors, type HostErrorsSnapshot } from "./host-errors.js";
import { HostTable, urlParts } from "./hosts.js";
import { isRecord } from "./is-record.js";
import { outcomeLabel } from "./labels.js";
import { detectLibraries, libraryAdvice } from "./library/detect-library.js";
import type { LibraryId } from "./library/libraries.js";
import { ownCaller } from "./library/own-caller.js";
import {
  type EchoRedactor,
  echoRedactor,
  redactUrlEchoes,
  secretValuesOf,
} from "./redact/echoed-secrets.js";
import { jsonSecretValues, redactResponseText, redactUrl } from "./redact/redact-har.js";
import { exchangeOfRecord, type RequestRecord } from "./request-record.js";
import { madeByClient, type RetryLink, RetryTracker } from "./retries/retry-tracker.js";
import { RULES, type RuleId } from "./rules/index.js";
import type { RuleInput } from "./rules/rule.js";
import type {
  DecodedError,
  EntrySummary,
  HarEntry,
  HostMapping,
  LimitSetting,
  ProviderId,
} from "./types.js";

export interface AnalyzerOptions {
  /** Hosts the user added, on top of the documented API hosts. */
  hosts?: readonly HostMapping[];
  /** Rate limits the user set for hosts that send no headers. */
  limits?: readonly LimitSetting[];
  /**
   * Keep every request's summary for the report (default). The CLI streams a file of any size:
   * it takes each summary from `add` and writes it out instead.
   */
  keepEntries?: boolean;
  /**
   * Pair retries and run the rules (default). Off, the analyzer decodes, counts and keeps the
   * budgets, and raises no finding: for a caller that sees no bodies and no request headers (the
   * background's webRequest), and so cannot tell a retry from a new request (the retry identity
   * is method, URL and body, or `Idempotency-Key`) nor a 429 `quota_exceeded` from a `rate_limit`.
   */
  rules?: boolean;
  /**
   * What the report keeps of the findings and chains: every one (default), or per rule its first
   * `perRule` findings and its `perRule` costliest chains. The counts and the cost are of all of
   * them: the CLI reports a file of any size in bounded memory.
   */
  keep?: Keep;
  /** Told each reported chain when it closes, kept or not: the CLI streams them to its reports. */
  onChain?: (chain: Chain) => void;
}

/**
 * What `Analyzer.snapshot()` keeps: the budgets and the running counts, as JSON-safe data. The
 * retry tracker's pending failures, the findings and the entries are not in it.
 */
export interface AnalyzerSnapshot {
  v: 1;
  budget: BudgetSnapshot;
  /** Requests read, of those to API hosts, retries linked, the latest response end (or null). */
  counts: [read: number, apiRequests: number, retries: number, latest: number | null];
  /** Errors by outcome, with the least index each occurred at. */
  errors: [outcome: string, count: number, first: number][];
  /** Each host's latest response and its errors' times (`HostErrors`). */
  hosts: HostErrorsSnapshot;
}

/** What one added entry came to. */
export interface EntryAnalysis {
  index: number;
  host: string;
  /** The host's provider when it is an API host (default or user-mapped). */
  hostProvider: ProviderId | undefined;
  error: DecodedError | undefined;
  findings: Finding[];
  /** The request as the report lists it. */
  summary: EntrySummary;
  /** When the request started and its response ended (epoch ms; NaN when the entry has no time). */
  start: number;
  end: number;
  /** The index of the request it retries (the retry tracker's link), when it retries one. */
  retryOf?: number;
  /** How long after the end of the request it retries it started. */
  retryWaitMs?: number;
  /** The wait its response stated (Retry-After, RetryInfo or the message's words), in ms. */
  statedWaitMs?: number;
}

const noEchoes: EchoRedactor = (text) => text;

/**
 * The secret JSON fields of a body the analysis would decode: a larger one (an upload, a proxy's
 * page) is not parsed for them, as it is not decoded (MAX_DECODED_BODY_CHARS).
 */
function boundedJsonSecretValues(text: string): unknown[] {
  return text.length > MAX_DECODED_BODY_CHARS ? [] : jsonSecretValues(text);
}

/**
 * The analysis engine. Entries go in one at a time (as DevTools finishes them, or from a HAR
 * file); each costs O(1) amortised, with state kept per host and per request identity.
 */
export class Analyzer {
  readonly #hosts: HostTable;
  #budget: BudgetTracker;
  readonly #retries = new RetryTracker();
  readonly #chains: ChainTracker;
  readonly #keep: Keep;
  readonly #findings: Finding[] = [];
  /** Findings raised per rule, kept or not. */
  readonly #findingCounts = new Map<RuleId, number>();
  readonly #entries: EntrySummary[] = [];
  /** Requests read, kept or not: the report's summary counts them whatever `keepEntries` is. */
  #read = 0;
  /** Errors by outcome, each with the least index it occurred at (the summary's order). */
  readonly #errors = new Map<string, { count: number; first: number }>();
  #apiRequests = 0;
  #latest = Number.NEGATIVE_INFINITY;
  #retryCount = 0;
  /** Per host: the latest response and the errors' times, for the retention a caller keeps. */
  #hostErrors = new HostErrors();
  readonly #keepEntries: boolean;
  readonly #rules: boolean;

  constructor(options: AnalyzerOptions = {}) {
    this.#keepEntries = options.keepEntries ?? true;
    this.#rules = options.rules ?? true;
    this.#keep = options.keep ?? "all";
    this.#chains = new ChainTracker({ keep: this.#keep, onChain: options.onChain });
    this.#hosts = new HostTable(options.hosts);
    this.#budget = new BudgetTracker(options.limits);
  }

  /**
   * The budgets and counts as plain data, for a caller that keeps them across restarts (the
   * background worker, in storage.session). Retry chains and findings are not in it: an analyzer
   * restored from it pairs no request with one added before.
   */
  snapshot(): AnalyzerSnapshot {
    const latest = Number.isFinite(this.#latest) ? this.#latest : null;
    return {
      v: 1,
      budget: this.#budget.snapshot(),
      counts: [this.#read, this.#apiRequests, this.#retryCount, latest],
      errors: [...this.#errors].map(([outcome, { count, first }]) => [outcome, count, first]),
      hosts: this.#hostErrors.snapshot(),
    };
  }

  /** An analyzer with `options` in the state `value` describes; what is broken is left out. */
  static restore(value: unknown, options: AnalyzerOptions = {}): Analyzer {
    const analyzer = new Analyzer(options);
    if (!isRecord(value) || value.v !== 1) return analyzer;
    analyzer.#budget = BudgetTracker.restore(value.budget, options.limits);
    const [read, apiRequests, retries, latest] = Array.isArray(value.counts) ? value.counts : [];
    analyzer.#read = isCount(read) ? read : 0;
    analyzer.#apiRequests = isCount(apiRequests) ? apiRequests : 0;
    analyzer.#retryCount = isCount(retries) ? retries : 0;
    if (typeof latest === "number" && Number.isFinite(latest)) analyzer.#latest = latest;
    for (const item of Array.isArray(value.errors) ? value.errors : []) {
      if (!Array.isArray(item)) continue;
      const [outcome, count, first] = item;
      if (typeof outcome === "string" && isCount(count) && Number.isInteger(first))
        analyzer.#errors.set(outcome, { count, first });
    }
    analyzer.#hostErrors = HostErrors.restore(value.hosts);
    return analyzer;
  }

  /** The findings the analyzer keeps (see `keep`), in the order they were raised. */
  get findings(): readonly Finding[] {
    return this.#findings;
  }

  /** How many findings each rule raised, kept or not, in no particular order. */
  findingCounts(): ReadonlyMap<RuleId, number> {
    return this.#findingCounts;
  }

  /** Every request analysed so far, in the order it was added. */
  get entries(): readonly EntrySummary[] {
    return this.#entries;
  }

  /** How many requests were analysed, whether `keepEntries` keeps them or not. */
  get entriesRead(): number {
    return this.#read;
  }

  /**
   * Errors by outcome (`429 rate_limit`, `no response`), in the order they first occur in the
   * entries sorted by index: what the summary line lists. Counted as entries are added, so a
   * streaming caller (keepEntries: false) gets the same summary as one that keeps them all.
   */
  errorCounts(): { outcome: string; count: number }[] {
    return [...this.#errors]
      .sort(([, a], [, b]) => a.first - b.first)
      .map(([outcome, { count }]) => ({ outcome, count }));
  }

  /** How many of them went to an API host. */
  get apiRequests(): number {
    return this.#apiRequests;
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

  /**
   * Analyses one request; `index` is what findings call it (its position in `log.entries`).
   * Undefined for a CORS preflight: the browser's question, not a call the client made, so it is
   * neither analysed nor listed (docs/decisions.md, "CORS preflights are not API calls"). Undefined too for what is not a
   * readable entry (parseHar's test): the analysis never throws, whatever it is given.
   */
  add(entry: HarEntry, index: number): EntryAnalysis | undefined {
    if (invalidEntryReason(entry) !== undefined) return undefined;
    if (isPreflight(entry.request.method, entry.request.headers ?? [])) return undefined;
    const exchange = toExchange(entry, index);
    // What the report keeps of a failed request (its URL, the decoded message, title and details
    // of its error) is read with the entry's own secrets redacted, as the HAR export redacts
    // them: a key the server echoes in its error message never reaches a report, and the report
    // of the exported HAR is the same. Only for an error, the one body decoded: collecting an
    // entry's secrets costs about as much as the rest of its analysis, and the URL of any other
    // request is redacted by name (redactUrl) below. A request without a response has
    // no body to decode nor to echo a secret: its URL is redacted by name too.
    const failed = exchange.status >= 400;
    const body = exchange.responseBody;
    const redact = failed
      ? echoRedactor(
          secretValuesOf(entry, {
            bodies: boundedJsonSecretValues,
            responseText: body.state === "text" ? body.text : undefined,
          }),
        )
      : noEchoes;
    const content: HarEntry["response"]["content"] | undefined = entry.response.content;
    if (failed && exchange.responseBody.state === "text" && typeof content?.text === "string") {
      const text = redactResponseText(content.text, content.encoding, content.mimeType, redact);
      if (text !== undefined) exchange.responseBody = responseBodyOf({ ...content, text });
    }
    const hostProvider = this.#hosts.providerOf(exchange.parts);
    const error = decodeError(exchange, hostProvider);
    const wait = statedWait(exchange, error);
    const checked = this.#rules ? this.#check(exchange, hostProvider, error, wait) : undefined;
    const findings = checked?.findings ?? [];
    const summary: EntrySummary = {
      index,
      startedDateTime: entry.startedDateTime,
      method: entry.request.method,
      url: redactUrlEchoes(redactUrl(entry.request.url), redact),
      status: responseStatusOf(entry),
      error: error ?? null,
    };
    if (checked !== undefined) {
      this.#chains.add({
        index,
        host: exchange.host,
        method: exchange.method,
        url: summary.url,
        start: exchange.start,
        end: exchange.end,
        status: exchange.status,
        error,
        previous:
          checked.link === undefined
            ? undefined
            : { index: checked.link.previous.index, end: checked.link.previous.end },
        findings,
        windowFrom: checked.windowFrom,
        // The developer's own line, past the library's frames.
        caller: () => ownCaller(exchange),
      });
    }
    this.#count(exchange, hostProvider, findings, summary, error?.code ?? null, wait);
    const analysis: EntryAnalysis = {
      index,
      host: exchange.host,
      hostProvider,
      error,
      findings,
      summary,
      start: exchange.start,
      end: exchange.end,
    };
    if (checked?.link !== undefined) {
      analysis.retryOf = checked.link.previous.index;
      analysis.retryWaitMs = checked.link.waitMs;
    }
    if (wait !== undefined) analysis.statedWaitMs = wait.seconds * 1000;
    return analysis;
  }

  /**
   * Counts a request known without its body (webRequest's, or a panel's report of it): its budget
   * and, when it failed, its error under the record's code. No rules run on it. Returns the
   * request's host.
   */
  addRecord(record: RequestRecord, index: number): string {
    const exchange = exchangeOfRecord(record, index);
    const hostProvider = this.#hosts.providerOf(exchange.parts);
    const failed = isErrorStatus(record.status);
    const summary: EntrySummary = {
      index,
      startedDateTime: new Date(record.start).toISOString(),
      method: record.method,
      url: record.url,
      status: record.status,
      error: null,
    };
    this.#count(exchange, hostProvider, [], summary, record.code, undefined, failed);
    return exchange.host;
  }

  /**
   * A request counted by `addRecord` without its code (webRequest's) gets the code its panel
   * decoded: its error counts under that code.
   */
  recode(record: Pick<RequestRecord, "url" | "status" | "code" | "end">, code: string | null) {
    const host = urlParts(record.url)?.host ?? record.url;
    this.#hostErrors.recode(host, record.status, record.code, code, record.end);
  }

  /** The budget, the counts and the host's errors: one path for entries and records. */
  #count(
    exchange: Exchange,
    hostProvider: ProviderId | undefined,
    findings: readonly Finding[],
    summary: EntrySummary,
    code: string | null,
    wait: StatedWait | undefined,
    failed = summary.error !== null,
  ): void {
    // Only now read this response's own budget: a request is judged by what was known when it left.
    // The host's provider, never the decoder that read one body: one label per host, whether its
    // errors were JSON, HTML or absent.
    // Google's RetryInfo holds on the budget as a Retry-After does (the tracker reads the headers).
    this.#budget.observe(
      exchange,
      hostProvider ?? null,
      wait?.from === "retry-info" ? wait : undefined,
    );
    if (Number.isFinite(exchange.end)) {
      this.#latest = Math.max(this.#latest, exchange.end);
      this.#hostErrors.seen(
        exchange.host,
        exchange.end,
        failed ? { status: exchange.status, code } : undefined,
      );
    }
    for (const finding of findings) {
      const count = (this.#findingCounts.get(finding.rule) ?? 0) + 1;
      this.#findingCounts.set(finding.rule, count);
      if (this.#keep === "all" || count <= this.#keep.perRule) this.#findings.push(finding);
    }
    if (hostProvider !== undefined) this.#apiRequests++;
    this.#read++;
    if (failed) {
      const outcome = outcomeLabel(summary.status, code, summary.error?.networkError);
      const counted = this.#errors.get(outcome);
      if (counted === undefined) this.#errors.set(outcome, { count: 1, first: summary.index });
      else {
        counted.count++;
        counted.first = Math.min(counted.first, summary.index);
      }
    }
    if (this.#keepEntries) this.#entries.push(summary);
  }

  /** Pairs the request with the one it retries, and runs every rule on it. */
  #check(
    exchange: Exchange,
    hostProvider: ProviderId | undefined,
    error: DecodedError | undefined,
    wait: StatedWait | undefined,
  ): { findings: Finding[]; link: RetryLink | undefined; windowFrom: number | undefined } {
    const { attempt, link } = this.#retries.add(exchange, error, wait, hostProvider !== undefined);
    if (link !== undefined) this.#retryCount++;

    const raised = new Set<RuleId>();
    const findings: Finding[] = [];
    // One input for all the rules (they only read it): not one object per rule and entry.
    const input: RuleInput = {
      exchange,
      hostProvider,
      attempt,
      error,
      retry: link,
      budget: this.#budget,
      byClient: madeByClient(exchange, hostProvider !== undefined),
      raised,
    };
    // Read only for a request a rule raised something on: most raise nothing.
    let libraries: readonly LibraryId[] | undefined;
    for (const rule of RULES) {
      const result = rule.check(input);
      if (result === undefined) continue;
      raised.add(rule.id);
      const finding: Finding = { rule: rule.id, severity: rule.severity, ...result };
      if (exchange.initiator !== undefined) finding.initiator = exchange.initiator;
      libraries ??= detectLibraries(exchange);
      const library = libraryAdvice(libraries, rule.id);
      if (library !== undefined) finding.library = library;
      findings.push(finding);
    }
    // Where the window began that a rate-limit-exhausted request was sent into: the start of
    // what it wasted (docs/decisions.md, "Retries and the rules"). The budget is still as the
    // rule saw it: this request's own response is read after.
    const windowFrom = raised.has("rate-limit-exhausted")
      ? this.#budget.exhaustedBy(exchange)?.from
      : undefined;
    return { findings, link, windowFrom };
  }

  /** The retry chains with an error or warning finding so far (see `keep`), and what they cost. */
  chainReport(): ChainReport {
    return this.#chains.report();
  }

  /**
   * The input has ended: every chain closes (and `onChain` is told of those still open). Entries
   * added after this start new chains.
   */
  finish(): void {
    this.#chains.finish();
  }

  /** One host's budget as of `now`, reported or not (undefined for a host never seen). */
  budgetOf(host: string, now: number): BudgetState | undefined {
    return this.#budget.stateAt(host, now);
  }

  /** Forgets a host's budget and errors, as if it had never been seen (a caller's retention or cap). */
  forget(host: string): void {
    this.#budget.forget(host);
    this.#hostErrors.forget(host);
  }

  /**
   * A caller's retention window: forgets the hosts not seen since `horizon` and the error times
   * before it. Returns whether anything went.
   */
  prune(horizon: number): boolean {
    const { forgotten, changed } = this.#hostErrors.prune(horizon);
    for (const host of forgotten) this.#budget.forget(host);
    return changed;
  }

  /** The hosts seen, with their latest response's end, most recent first. */
  hostsByRecency(): [host: string, lastSeen: number][] {
    return this.#hostErrors.byRecency();
  }

  /** How many hosts are known, and the least recently seen of them. */
  get hostCount(): number {
    return this.#hostErrors.size;
  }

  leastRecentHost(): string | undefined {
    return this.#hostErrors.leastRecent();
  }

  hasHost(host: string): boolean {
    return this.#hostErrors.lastSeen(host) !== undefined;
  }

  /** The host's errors by status and code (as decoded, or the status alone), latest first. */
  errorsOf(host: string): ErrorCount[] {
    return this.#hostErrors.errorsOf(host);
  }

  /** Every reported host's budget as of `now` (default: the latest response seen). */
  budgets(now: number = this.#latest): BudgetState[] {
    return this.#budget
      .reportedHosts()
      .map((host) => this.#budget.stateAt(host, now))
      .filter((state): state is BudgetState => state !== undefined);
  }
}

/**
 * Feeds a recorded session (a HAR file's entries) to an analyzer in order of start time, each
 * under its index in `log.entries`: the CLI and the panel's import both read a file this way.
 */
export function addRecorded(
  analyzer: Analyzer,
  entries: readonly HarEntry[],
  indices: readonly number[] | undefined,
  added: (entry: HarEntry, analysis: EntryAnalysis) => void = () => {},
): void {
  const order = new RecordedOrder<number>();
  entries.forEach((entry, position) => {
    // `?.`: a caller may hand anything over. Without a start time it is not an entry, which add()
    // leaves out wherever it comes.
    const start = parseHarTime(entry?.startedDateTime);
    if (!Number.isNaN(start)) order.add(start, position);
  });
  for (let position = order.next(); position !== undefined; position = order.next()) {
    const entry = entries[position] as HarEntry;
    const analysis = analyzer.add(entry, indices?.[position] ?? position);
    if (analysis !== undefined) added(entry, analysis);
  }
}
