import type { Analyzer } from "./analyzer.js";
import { toHostBudget } from "./budget/budget-tracker.js";
import { type Chain, type Cost, RULES_IN_ORDER, ruleRank } from "./chains.js";
import type { Finding } from "./finding.js";
import type { SkippedEntry } from "./har/parse-har.js";
import { RULES, type RuleId } from "./rules/index.js";
import { type EntrySummary, type HostBudget, SEVERITIES, type Severity } from "./types.js";

/** The report's first line: what every view (text, Markdown, panel) says before the findings. */
export interface ReportSummary {
  /** Requests the analysis read (the length of `entries`). */
  entries: number;
  /** Of those, the requests to API hosts (documented or mapped). */
  apiRequests: number;
  /** Errors by outcome (`429 rate_limit`, `no response`), in the order they first occur. */
  errors: { outcome: string; count: number }[];
  /** Findings by severity, kept in `findings` or not. */
  findings: Record<Severity, number>;
  /** Retry chains with an error or warning finding, listed in `chains` or not. */
  chains: number;
}

/** One rule's findings and the chains it is in, counted whether the report lists them or not. */
export interface RuleCount {
  findings: number;
  chains: number;
}

export interface AnalysisReport {
  /** Every request the analysis read, in order of `index`. */
  entries: EntrySummary[];
  /**
   * In the order the analysis raised them: all of them, or per rule the first few (the CLI's
   * bounded reports, AnalyzerOptions.keep); `ruleCounts` and `summary` count all.
   */
  findings: Finding[];
  /**
   * The retry chains with an error or warning finding, in order of their first request: all of
   * them, or per rule the costliest few (as `findings`).
   */
  chains: Chain[];
  /** Per rule that fired, how many findings it raised and how many chains it is in. */
  ruleCounts: Partial<Record<RuleId, RuleCount>>;
  /** What those chains cost. */
  cost: Cost;
  budgets: HostBudget[];
  /** Entries of the file left out of the analysis (see parseHar); none for a live session. */
  skipped: SkippedEntry[];
  /** How many requests retried an earlier one: "no findings" means more when there were some. */
  retries: number;
  summary: ReportSummary;
}

export interface ReportOptions {
  /** Epoch ms the budgets are reported at; default the latest response seen. */
  now?: number;
  skipped?: readonly SkippedEntry[];
}

/**
 * The one place an analysis becomes a report: the CLI's text and JSON, the Markdown and JSON
 * exports and the panel's views all read what this returns.
 */
export function buildReport(analyzer: Analyzer, options: ReportOptions = {}): AnalysisReport {
  // Every view of a report (CLI text and JSON, the Markdown and JSON exports) names requests by
  // URL: the analyzer redacts each summary's URL and error as it makes it (Analyzer.add), so the
  // CLI's streamed entries, which never pass through here, are redacted too.
  const entries = [...analyzer.entries].sort((a, b) => a.index - b.index);
  const findings = [...analyzer.findings];
  const { chains, cost, count, perRule } = analyzer.chainReport();
  const ruleCounts: Partial<Record<RuleId, RuleCount>> = {};
  const severities: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const rule of RULES) {
    const raised = analyzer.findingCounts().get(rule.id) ?? 0;
    if (raised === 0) continue;
    ruleCounts[rule.id] = { findings: raised, chains: perRule[rule.id] ?? 0 };
    severities[rule.severity] += raised;
  }
  return {
    entries,
    findings,
    chains,
    ruleCounts,
    cost,
    budgets: analyzer.budgets(options.now).map(toHostBudget),
    skipped: [...(options.skipped ?? [])],
    retries: analyzer.retries,
    // From the analyzer's running counts, not from `entries`: the CLI streams its entries out
    // (keepEntries: false) and its summary line is this one all the same.
    summary: {
      entries: analyzer.entriesRead,
      apiRequests: analyzer.apiRequests,
      errors: analyzer.errorCounts(),
      findings: severities,
      chains: count,
    },
  };
}

export interface RuleGroup {
  rule: (typeof RULES)[number];
  /** The rule's findings the report lists (maybe not all: see `ruleCounts`). */
  findings: Finding[];
}

/** How many findings a rule raised and chains it is in, listed or not. */
export function countOf(report: Pick<AnalysisReport, "ruleCounts">, rule: RuleId): RuleCount {
  return report.ruleCounts[rule] ?? { findings: 0, chains: 0 };
}

/**
 * Findings grouped by rule, the order every report shows them in: by severity (errors first),
 * then the registry's order; within a rule, the order they were raised.
 */
export function findingsByRule(findings: readonly Finding[]): RuleGroup[] {
  const groups = new Map<RuleId, Finding[]>();
  for (const finding of findings) {
    const group = groups.get(finding.rule);
    if (group === undefined) groups.set(finding.rule, [finding]);
    else group.push(finding);
  }
  return RULES_IN_ORDER.flatMap((rule) => {
    const found = groups.get(rule.id);
    return found === undefined ? [] : [{ rule, findings: found }];
  });
}

/** The report's entries by index: findings name entries by their index, not their position. */
export function entriesByIndex(report: Pick<AnalysisReport, "entries">): Map<number, EntrySummary> {
  return new Map(report.entries.map((entry) => [entry.index, entry]));
}

/** What several reports come to together: their summaries and costs added up. */
export function combineReports(
  reports: readonly Pick<AnalysisReport, "summary" | "cost">[],
): Pick<AnalysisReport, "summary" | "cost"> {
  const errors = new Map<string, number>();
  const findings: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const byRule = new Map<RuleId, { requests: number; ms: number }>();
  let entries = 0;
  let apiRequests = 0;
  let chains = 0;
  let wastedRequests = 0;
  let wastedMs = 0;
  for (const { summary, cost } of reports) {
    entries += summary.entries;
    apiRequests += summary.apiRequests;
    chains += summary.chains;
    for (const { outcome, count } of summary.errors)
      errors.set(outcome, (errors.get(outcome) ?? 0) + count);
    for (const severity of SEVERITIES) findings[severity] += summary.findings[severity];
    wastedRequests += cost.wastedRequests;
    wastedMs += Math.round(cost.wastedSeconds * 1000);
    for (const [rule, figures] of Object.entries(cost.byRule) as [
      RuleId,
      { requests: number; seconds: number },
    ][]) {
      const sum = byRule.get(rule) ?? { requests: 0, ms: 0 };
      sum.requests += figures.requests;
      sum.ms += Math.round(figures.seconds * 1000);
      byRule.set(rule, sum);
    }
  }
  // The rules in report order, as each report's own cost lists them.
  const ordered: Cost["byRule"] = {};
  for (const rule of [...byRule.keys()].sort((a, b) => ruleRank(a) - ruleRank(b))) {
    const sum = byRule.get(rule);
    if (sum !== undefined) ordered[rule] = { requests: sum.requests, seconds: sum.ms / 1000 };
  }
  return {
    summary: {
      entries,
      apiRequests,
      errors: [...errors].map(([outcome, count]) => ({ outcome, count })),
      findings,
      chains,
    },
    cost: { wastedRequests, wastedSeconds: wastedMs / 1000, byRule: ordered },
  };
}
