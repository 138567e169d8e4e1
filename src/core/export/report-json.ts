import type { AnalysisReport } from "../report.js";

/**
 * The CLI's `--format json` text (docs/cli.md, "JSON"): tool, version, then the report.
 * Fields are listed, not spread, so an internal count or the summary never leaks into the
 * published shape.
 */
export function toJsonReport(report: AnalysisReport, version: string): string {
  const { entries, findings, budgets, skipped } = report;
  return `${JSON.stringify({ tool: "ratelens", version, entries, findings, budgets, skipped }, null, 2)}\n`;
}
