import type { Finding, LibraryAdvice } from "./finding.js";
import { isErrorStatus } from "./har/exchange.js";
import { RETRY_HORIZON_MS } from "./retries/retry-tracker.js";
import { errorLabel, seconds } from "./rules/describe.js";
import { RULES, type RuleId } from "./rules/index.js";
import { type CallerFrame, type DecodedError, SEVERITIES, type Severity } from "./types.js";

/** One request of a chain, as a time axis draws it. */
export interface ChainMark {
  index: number;
  /** Epoch ms; NaN when the file gave no usable time. */
  start: number;
  end: number;
  status: number;
  /** Counted in the chain's wasted requests. */
  wasted: boolean;
}

/** One rule's findings on a chain: what a report says of it without keeping the findings. */
export interface RuleFindings {
  rule: RuleId;
  count: number;
  /** The first one's message: the rule's own numbers ("retried 5 s after ..."). */
  first: string;
}

/** A retry chain with an error or warning finding, reported once (docs/cli.md, "Retry chains and their cost"). */
export interface Chain {
  rules: RuleId[];
  severity: Severity;
  entries: number[];
  host: string;
  method: string;
  url: string; // redacted as in exports
  attempts: number;
  wastedRequests: number;
  wastedSeconds: number;
  /** Each request of the chain in order, for a report that draws it on a time axis. */
  marks: ChainMark[];
  /** Each of its error and warning rules, in report order: how often it fired, and its first message. */
  ruleFindings: RuleFindings[];
  caller?: CallerFrame;
  library?: LibraryAdvice;
  message: string;
  advice: string;
}

/** What the chains cost, in all and by rule. */
export interface Cost {
  wastedRequests: number;
  wastedSeconds: number;
  byRule: Partial<Record<RuleId, { requests: number; seconds: number }>>;
}

/** The rules whose flagged requests are wasted when they got an error or no response. */
export const WASTING: ReadonlySet<RuleId> = new Set<RuleId>([
  "retry-non-retryable",
  "retry-after-ignored",
  "rate-limit-exhausted",
]);

/** The rules in the order every report lists them: by severity (errors first), then the registry's. */
export const RULES_IN_ORDER: readonly (typeof RULES)[number][] = RULES.map((rule, rank) => ({
  rule,
  rank,
}))
  .sort(
    (a, b) =>
      SEVERITIES.indexOf(a.rule.severity) - SEVERITIES.indexOf(b.rule.severity) || a.rank - b.rank,
  )
  .map(({ rule }) => rule);

/** Each rule's place in every report. */
const RULE_ORDER: ReadonlyMap<string, number> = new Map(
  RULES_IN_ORDER.map((rule, order) => [rule.id, order]),
);

/** A rule's place in every report (lower first). */
export const ruleRank = (rule: string): number => RULE_ORDER.get(rule) ?? RULE_ORDER.size;
const orderOf = ruleRank;

/** Chains costliest first: wasted requests, then wasted seconds, then attempts, then the earliest. */
export function byCost(a: Chain, b: Chain): number {
  return (
    b.wastedRequests - a.wastedRequests ||
    b.wastedSeconds - a.wastedSeconds ||
    b.attempts - a.attempts ||
    (a.entries[0] ?? 0) - (b.entries[0] ?? 0)
  );
}

/**
 * What bad retries to one API host cost: the requests the client should not have sent and the
 * seconds it lost.
 */
export interface HostCost {
  host: string;
  wastedRequests: number;
  wastedSeconds: number;
}

/**
 * Costs added up per host, costliest first (requests, then seconds, then name), leaving out what
 * wasted nothing: one sum for a panel's chains and for the background's tabs alike.
 */
export function costPerHost(items: Iterable<HostCost>): HostCost[] {
  const byHost = new Map<string, HostCost>();
  for (const { host, wastedRequests, wastedSeconds } of items) {
    if (wastedRequests === 0 && wastedSeconds === 0) continue;
    const sum = byHost.get(host) ?? { host, wastedRequests: 0, wastedSeconds: 0 };
    sum.wastedRequests += wastedRequests;
    sum.wastedSeconds += wastedSeconds;
    byHost.set(host, sum);
  }
  return [...byHost.values()].sort(
    (a, b) =>
      b.wastedRequests - a.wastedRequests ||
      b.wastedSeconds - a.wastedSeconds ||
      a.host.localeCompare(b.host),
  );
}

/** One analysed request, as the chains need it. */
export interface ChainStep {
  index: number;
  host: string;
  method: string;
  /** Redacted as the report's entries are. */
  url: string;
  start: number;
  end: number;
  status: number;
  error: DecodedError | undefined;
  /** The request it retries (the retry tracker's link), with that one's response end. */
  previous: { index: number; end: number } | undefined;
  findings: readonly Finding[];
  /** When a `rate-limit-exhausted` finding is on it: where the window it was sent into began. */
  windowFrom: number | undefined;
  /** The developer's own line, read only when a chain takes it: the stack is costly to read. */
  caller: () => CallerFrame | undefined;
}

/** A chain whose last request may still be retried. */
interface OpenChain {
  entries: number[];
  marks: ChainMark[];
  host: string;
  method: string;
  url: string;
  first: { status: number; error: DecodedError | undefined; end: number };
  lastStart: number;
  tailEnd: number;
  tailFailed: boolean;
  /** The error and warning rules raised on it, with their findings' count and first message. */
  rules: Map<RuleId, { count: number; first: string }>;
  /** Its most severe finding: the first of the rule that comes first in the reports. */
  worst: Finding | undefined;
  caller: CallerFrame | undefined;
  library: LibraryAdvice | undefined;
  wasted: number;
  wastedBy: Map<RuleId, number>;
  /** End of the first response that should have stopped or delayed the client. */
  causeEnd: number;
  /** End of the chain's last wasted request. */
  lastWastedEnd: number;
}

/**
 * Follows the retry chains as requests are added, and keeps only those with an error or warning
 * finding. State is per chain whose last request failed less than the retry horizon ago, so it
 * follows the last ten minutes, not the session; closed chains keep only what the report lists.
 */
export class ChainTracker {
  /** Open chains by the index of their last request: the one a retry links to. */
  readonly #open = new Map<number, OpenChain>();
  readonly #closed: ClosedChains;
  readonly #onChain: ((chain: Chain) => void) | undefined;
  #latestStart = Number.NEGATIVE_INFINITY;
  #added = 0;

  constructor(options: ChainTrackerOptions = {}) {
    this.#closed = new ClosedChains(options.keep ?? "all");
    this.#onChain = options.onChain;
  }

  add(step: ChainStep): void {
    this.#latestStart = Math.max(this.#latestStart, step.start);
    if (++this.#added % 1024 === 0) this.#sweep();
    const linked = step.previous === undefined ? undefined : this.#open.get(step.previous.index);
    // Most requests start no chain that could be reported or retried: nothing is kept of them.
    if (
      linked === undefined &&
      !isErrorStatus(step.status) &&
      step.findings.every((finding) => finding.severity === "info")
    )
      return;
    let chain: OpenChain;
    if (linked !== undefined && step.previous !== undefined) {
      this.#open.delete(step.previous.index);
      chain = linked;
      chain.entries.push(step.index);
    } else {
      chain = {
        entries: [step.index],
        marks: [],
        host: step.host,
        method: step.method,
        url: step.url,
        first: { status: step.status, error: step.error, end: step.end },
        lastStart: step.start,
        tailEnd: step.end,
        tailFailed: false,
        rules: new Map(),
        worst: undefined,
        caller: undefined,
        library: undefined,
        wasted: 0,
        wastedBy: new Map(),
        causeEnd: Number.POSITIVE_INFINITY,
        lastWastedEnd: Number.NEGATIVE_INFINITY,
      };
    }
    chain.lastStart = step.start;
    chain.tailEnd = step.end;
    chain.tailFailed = isErrorStatus(step.status);
    chain.caller ??= step.caller();
    this.#take(chain, step);
    if (chain.tailFailed) this.#open.set(step.index, chain);
    else this.#close(chain);
  }

  /** A request's findings, and what it wasted. */
  #take(chain: OpenChain, step: ChainStep): void {
    let wastedBy: RuleId[] = [];
    for (const finding of step.findings) {
      if (finding.severity === "info") continue;
      const seen = chain.rules.get(finding.rule);
      if (seen === undefined) chain.rules.set(finding.rule, { count: 1, first: finding.message });
      else seen.count++;
      if (chain.worst === undefined || orderOf(finding.rule) < orderOf(chain.worst.rule))
        chain.worst = finding;
      chain.library ??= finding.library;
      if (WASTING.has(finding.rule)) wastedBy.push(finding.rule);
    }
    // A flagged request that succeeded is still flagged, but was not wasted.
    if (!isErrorStatus(step.status)) wastedBy = [];
    chain.marks.push({
      index: step.index,
      start: step.start,
      end: step.end,
      status: step.status,
      wasted: wastedBy.length > 0,
    });
    if (wastedBy.length === 0) return;
    chain.wasted++;
    for (const rule of wastedBy) chain.wastedBy.set(rule, (chain.wastedBy.get(rule) ?? 0) + 1);
    for (const rule of wastedBy) {
      const cause = rule === "rate-limit-exhausted" ? step.windowFrom : step.previous?.end;
      if (cause !== undefined && Number.isFinite(cause))
        chain.causeEnd = Math.min(chain.causeEnd, cause);
    }
    if (Number.isFinite(step.end)) chain.lastWastedEnd = Math.max(chain.lastWastedEnd, step.end);
  }

  #close(chain: OpenChain): void {
    const reported = reportOf(chain);
    if (reported === undefined) return;
    this.#closed.add(reported);
    this.#onChain?.(reported.chain);
  }

  /** Closes every open chain: the input has ended, so none of them can grow. */
  finish(): void {
    for (const chain of this.#open.values()) this.#close(chain);
    this.#open.clear();
  }

  /** Closes the chains no request can retry any more (RetryTracker forgets them as well). */
  #sweep(): void {
    const horizon = this.#latestStart - RETRY_HORIZON_MS;
    for (const [index, chain] of this.#open) {
      if (chain.tailEnd >= horizon) continue;
      this.#open.delete(index);
      this.#close(chain);
    }
  }

  /** How many chains may still grow: what the tracker keeps besides the reported chains. */
  get openChains(): number {
    return this.#open.size;
  }

  /**
   * Every reported chain so far, open or closed, in order of their first request's index, and
   * what they cost.
   */
  report(): ChainReport {
    const open = [...this.#open.values()]
      .map(reportOf)
      .filter((chain): chain is Reported => chain !== undefined);
    return this.#closed.report(open);
  }
}

export interface ChainTrackerOptions {
  /** Every chain (default), or per rule the `perRule` costliest: the counts and cost are of all. */
  keep?: Keep;
  /** Told each reported chain when it closes (no request can extend it any more), kept or not. */
  onChain?: (chain: Chain) => void;
}

/** What a report keeps of its findings and chains; its counts and cost are of all of them. */
export type Keep = "all" | { perRule: number };

/** The chains a report lists, their count per rule, and what all of them cost. */
export interface ChainReport {
  /** In order of their first request. */
  chains: Chain[];
  cost: Cost;
  /** How many chains there are, kept or not. */
  count: number;
  /** Per error or warning rule, how many chains it is in. */
  perRule: Partial<Record<RuleId, number>>;
}

/**
 * The closed chains: all of them, or per rule the costliest few, with running counts and cost so
 * that a file of any size is reported in bounded memory.
 */
class ClosedChains {
  readonly #keep: Keep;
  readonly #all: Reported[] = [];
  /** Per rule, its costliest chains so far, costliest first (keep: perRule). */
  readonly #top = new Map<RuleId, Reported[]>();
  readonly #cost = new CostSum();
  #count = 0;
  readonly #perRule = new Map<RuleId, number>();

  constructor(keep: Keep) {
    this.#keep = keep;
  }

  add(reported: Reported): void {
    this.#count++;
    this.#cost.add(reported);
    for (const rule of reported.chain.rules) {
      this.#perRule.set(rule, (this.#perRule.get(rule) ?? 0) + 1);
    }
    if (this.#keep === "all") this.#all.push(reported);
    else for (const rule of reported.chain.rules) this.#keepTop(rule, reported, this.#keep.perRule);
  }

  #keepTop(rule: RuleId, reported: Reported, limit: number): void {
    if (limit <= 0) return;
    const top = this.#top.get(rule) ?? [];
    this.#top.set(rule, top);
    const last = top.at(-1);
    if (top.length >= limit && last !== undefined && byCost(reported.chain, last.chain) >= 0)
      return;
    let at = top.length;
    while (at > 0 && byCost(reported.chain, (top[at - 1] as Reported).chain) < 0) at--;
    top.splice(at, 0, reported);
    if (top.length > limit) top.pop();
  }

  /** These, with the chains still open (reported as they stand), as one report. */
  report(open: readonly Reported[]): ChainReport {
    const cost = new CostSum(this.#cost);
    const perRule = new Map(this.#perRule);
    for (const reported of open) {
      cost.add(reported);
      for (const rule of reported.chain.rules) perRule.set(rule, (perRule.get(rule) ?? 0) + 1);
    }
    let listed: Reported[];
    if (this.#keep === "all") listed = [...this.#all, ...open];
    else {
      const limit = this.#keep.perRule;
      const kept = new Set<Reported>();
      for (const rule of perRule.keys()) {
        const candidates = [
          ...(this.#top.get(rule) ?? []),
          ...open.filter(({ chain }) => chain.rules.includes(rule)),
        ].sort((a, b) => byCost(a.chain, b.chain));
        for (const reported of candidates.slice(0, limit)) kept.add(reported);
      }
      listed = [...kept];
    }
    listed.sort((a, b) => (a.chain.entries[0] ?? 0) - (b.chain.entries[0] ?? 0));
    const ordered: Partial<Record<RuleId, number>> = {};
    for (const rule of [...perRule.keys()].sort((a, b) => orderOf(a) - orderOf(b)))
      ordered[rule] = perRule.get(rule) as number;
    return {
      chains: listed.map(({ chain }) => chain),
      cost: cost.total(),
      count: this.#count + open.length,
      perRule: ordered,
    };
  }
}

/** Seconds to the millisecond: what a report shows of a duration. */
function toSeconds(ms: number): number {
  return Math.round(ms) / 1000;
}

/** A reported chain, with its wasted requests by rule for the cost. */
interface Reported {
  chain: Chain;
  wastedBy: ReadonlyMap<RuleId, number>;
}

/** The chain as the report lists it, or undefined when it has no error or warning finding. */
function reportOf(chain: OpenChain): Reported | undefined {
  const worst = chain.worst;
  if (worst === undefined) return undefined;
  const rules = [...chain.rules.keys()].sort((a, b) => orderOf(a) - orderOf(b));
  const attempts = chain.entries.length;
  const wastedMs =
    chain.wasted > 0 && Number.isFinite(chain.causeEnd) && Number.isFinite(chain.lastWastedEnd)
      ? Math.max(0, chain.lastWastedEnd - chain.causeEnd)
      : 0;
  const message =
    attempts === 1
      ? worst.message
      : `retried a ${errorLabel(chain.first.error, chain.first.status)} ${attempts === 2 ? "once" : `${attempts - 1} times`} in ${seconds(Math.max(0, chain.lastStart - chain.first.end))}`;
  return {
    chain: {
      rules,
      severity: worst.severity,
      entries: [...chain.entries],
      host: chain.host,
      method: chain.method,
      url: chain.url,
      attempts,
      wastedRequests: chain.wasted,
      wastedSeconds: toSeconds(wastedMs),
      marks: chain.marks.map((mark) => ({ ...mark })),
      ruleFindings: rules.map((rule) => {
        const { count, first } = chain.rules.get(rule) as { count: number; first: string };
        return { rule, count, first };
      }),
      ...(chain.caller === undefined ? {} : { caller: chain.caller }),
      ...(chain.library === undefined ? {} : { library: chain.library }),
      message,
      advice: chain.library?.advice ?? worst.advice,
    },
    wastedBy: chain.wastedBy,
  };
}

/**
 * What the chains cost, added up as they close: wasted requests and seconds in all, and by rule:
 * the requests that rule flagged and wasted, and the wasted seconds of the chains they are in.
 * Whole milliseconds, so the sum is the same in any order.
 */
class CostSum {
  #requests = 0;
  #ms = 0;
  readonly #byRule = new Map<RuleId, { requests: number; ms: number }>();

  constructor(from?: CostSum) {
    if (from === undefined) return;
    this.#requests = from.#requests;
    this.#ms = from.#ms;
    for (const [rule, figures] of from.#byRule) this.#byRule.set(rule, { ...figures });
  }

  add({ chain, wastedBy }: Reported): void {
    this.#requests += chain.wastedRequests;
    const chainMs = Math.round(chain.wastedSeconds * 1000);
    this.#ms += chainMs;
    for (const [rule, count] of wastedBy) {
      const figures = this.#byRule.get(rule) ?? { requests: 0, ms: 0 };
      this.#byRule.set(rule, { requests: figures.requests + count, ms: figures.ms + chainMs });
    }
  }

  total(): Cost {
    const ordered: Cost["byRule"] = {};
    for (const rule of [...this.#byRule.keys()].sort((a, b) => orderOf(a) - orderOf(b))) {
      const figures = this.#byRule.get(rule);
      if (figures !== undefined)
        ordered[rule] = { requests: figures.requests, seconds: toSeconds(figures.ms) };
    }
    return {
      wastedRequests: this.#requests,
      wastedSeconds: toSeconds(this.#ms),
      byRule: ordered,
    };
  }
}
