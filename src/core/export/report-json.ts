import type { AnalysisReport } from "../analyzer.js";

/**
 * The CLI's `--format json` text (section 6 of the spec): tool, version, then the report. Fields
 * are listed, not spread, so an internal count never leaks into the published shape.
 */
export function toJsonReport(report: AnalysisReport, version: string): string {
  const { entries, findings, budgets, skipped } = report;
  return `${JSON.stringify({ tool: "ratelens", version, entries, findings, budgets, skipped }, null, 2)}\n`;
}
