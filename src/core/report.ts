import type { Analyzer } from "./analyzer.js";
import { toHostBudget } from "./budget/budget-tracker.js";
import type { Chain, Cost } from "./chains.js";
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
  findings: Record<Severity, number>;
}

export interface AnalysisReport {
  /** Every request the analysis read, in order of `index`. */
  entries: EntrySummary[];
  /** In the order the analysis raised them. */
  findings: Finding[];
  /** The retry chains with an error or warning finding, in order of their first request. */
  chains: Chain[];
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

/** The findings of a report by severity. */
export function bySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  return { error: count("error"), warning: count("warning"), info: count("info") };
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
  const { chains, cost } = analyzer.chainReport();
  return {
    entries,
    findings,
    chains,
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
      findings: bySeverity(findings),
    },
  };
}

export interface RuleGroup {
  rule: (typeof RULES)[number];
  findings: Finding[];
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
  return RULES.map((rule, rank) => ({ rule, rank }))
    .sort(
      (a, b) =>
        SEVERITIES.indexOf(a.rule.severity) - SEVERITIES.indexOf(b.rule.severity) ||
        a.rank - b.rank,
    )
    .flatMap(({ rule }) => {
      const found = groups.get(rule.id);
      return found === undefined ? [] : [{ rule, findings: found }];
    });
}

/** The report's entries by index: findings name entries by their index, not their position. */
export function entriesByIndex(report: Pick<AnalysisReport, "entries">): Map<number, EntrySummary> {
  return new Map(report.entries.map((entry) => [entry.index, entry]));
}
