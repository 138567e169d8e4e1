import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Analyzer, type AnalyzerOptions, addRecorded } from "../../src/core/analyzer.js";
import { parseHar, type SkippedEntry } from "../../src/core/har/parse-har.js";
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

/** The report of `test/fixtures/<name>.har`, read as the CLI reads it (skipped entries named). */
export function fixtureReport(name: string, options: AnalyzerOptions = {}): AnalysisReport {
  const path = fileURLToPath(new URL(`../fixtures/${name}.har`, import.meta.url));
  const parsed = parseHar(readFileSync(path, "utf8"));
  if (!parsed.ok) throw new Error(`${name}.har: ${parsed.message}`);
  return analyzeEntries(parsed.entries, {
    ...options,
    indices: parsed.indices,
    skipped: parsed.skipped,
  });
}
