import type { AnalysisReport } from "../analyzer.js";

/** The CLI's `--format json` text (section 6 of the spec): tool, version, then the report. */
export function toJsonReport(report: AnalysisReport, version: string): string {
  return `${JSON.stringify({ tool: "ratelens", version, ...report }, null, 2)}\n`;
}
