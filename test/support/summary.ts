import type { Finding } from "../../src/core/finding.js";
import { outcomeOf } from "../../src/core/labels.js";
import { bySeverity, type ReportSummary } from "../../src/core/report.js";
import type { EntrySummary } from "../../src/core/types.js";

/**
 * The summary line worked out from a list of entries and findings, as a test builds a report by
 * hand or checks the Analyzer's running counts against what it kept.
 */
export function summarize(
  entries: readonly EntrySummary[],
  findings: readonly Finding[],
  apiRequests: number,
): ReportSummary {
  const errors = new Map<string, number>();
  for (const entry of entries) {
    if (entry.error === null) continue;
    const key = outcomeOf(entry);
    errors.set(key, (errors.get(key) ?? 0) + 1);
  }
  return {
    entries: entries.length,
    apiRequests,
    errors: [...errors].map(([outcome, n]) => ({ outcome, count: n })),
    findings: bySeverity(findings),
  };
}
