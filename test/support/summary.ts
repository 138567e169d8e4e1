import type { Chain } from "../../src/core/chains.js";
import type { Finding } from "../../src/core/finding.js";
import { outcomeOf } from "../../src/core/labels.js";
import type { AnalysisReport, ReportSummary } from "../../src/core/report.js";
import type { EntrySummary, Severity } from "../../src/core/types.js";

/**
 * The summary line worked out from a list of entries, findings and chains, as a test builds a
 * report by hand or checks the Analyzer's running counts against what it kept.
 */
export function summarize(
  entries: readonly EntrySummary[],
  findings: readonly Finding[],
  apiRequests: number,
  chains: readonly Chain[] = [],
): ReportSummary {
  const errors = new Map<string, number>();
  for (const entry of entries) {
    if (entry.error === null) continue;
    const key = outcomeOf(entry);
    errors.set(key, (errors.get(key) ?? 0) + 1);
  }
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  return {
    entries: entries.length,
    apiRequests,
    errors: [...errors].map(([outcome, n]) => ({ outcome, count: n })),
    findings: { error: count("error"), warning: count("warning"), info: count("info") },
    chains: chains.length,
  };
}

/** The per-rule counts of a report that lists every finding and chain. */
export function ruleCountsOf(
  findings: readonly Finding[],
  chains: readonly Chain[],
): AnalysisReport["ruleCounts"] {
  const counts: AnalysisReport["ruleCounts"] = {};
  for (const { rule } of findings) {
    const count = counts[rule] ?? { findings: 0, chains: 0 };
    count.findings++;
    counts[rule] = count;
  }
  for (const chain of chains) {
    for (const rule of chain.rules) {
      const count = counts[rule] ?? { findings: 0, chains: 0 };
      count.chains++;
      counts[rule] = count;
    }
  }
  return counts;
}
