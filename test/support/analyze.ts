import { Analyzer, type AnalyzerOptions, addRecorded } from "../../src/core/analyzer.js";
import type { SkippedEntry } from "../../src/core/har/parse-har.js";
import { type AnalysisReport, buildReport } from "../../src/core/report.js";
import type { HarEntry } from "../../src/core/types.js";

export interface AnalyzeEntriesOptions extends AnalyzerOptions {
  /** Each entry's position in `log.entries` when some were skipped; default its position here. */
  indices?: readonly number[];
  skipped?: readonly SkippedEntry[];
}

/** A whole recorded session through the product's incremental path, and its report. */
export function analyzeEntries(
  entries: readonly HarEntry[],
  options: AnalyzeEntriesOptions = {},
): AnalysisReport {
  const analyzer = new Analyzer(options);
  addRecorded(analyzer, entries, options.indices);
  return buildReport(analyzer, { skipped: options.skipped });
}
