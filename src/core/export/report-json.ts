import type { AnalysisReport } from "../report.js";
import type { EntrySummary } from "../types.js";

/** Where the report's text goes, part by part, in order. */
export type TextSink = (text: string) => void;

/**
 * The JSON report (docs/cli.md, "JSON"): tool, version, then the report's entries,
 * findings, chains, cost, budgets and skipped entries, as `JSON.stringify(…, null, 2)` writes them. Written part
 * by part, each entry as it comes, so a report of any size never has to exist as one string. The
 * fields are listed, not spread, so an internal count or the summary never leaks into the
 * published shape.
 */
export class JsonReportWriter {
  readonly #sink: TextSink;
  #entries = 0;

  constructor(version: string, sink: TextSink) {
    this.#sink = sink;
    sink(`{\n  "tool": "ratelens",\n  "version": ${JSON.stringify(version)},\n  "entries": [`);
  }

  /** The next entry of the report's `entries`. */
  entry(summary: EntrySummary): void {
    this.#sink(`${this.#entries === 0 ? "" : ","}\n    ${summaryJson(summary)}`);
    this.#entries++;
  }

  /** The rest of the report, after the last entry. */
  finish(
    report: Pick<AnalysisReport, "findings" | "chains" | "cost" | "budgets" | "skipped">,
  ): void {
    this.#sink(this.#entries === 0 ? "],\n" : "\n  ],\n");
    this.#array("findings", report.findings, ",\n");
    this.#array("chains", report.chains, ",\n");
    this.#sink(`  "cost": ${indented(report.cost, "\n  ")},\n`);
    this.#array("budgets", report.budgets, ",\n");
    this.#array("skipped", report.skipped, "\n}\n");
  }

  /** One array of the report, an element at a time. */
  #array(name: string, items: readonly unknown[], after: string): void {
    if (items.length === 0) {
      this.#sink(`  "${name}": []${after}`);
      return;
    }
    this.#sink(`  "${name}": [`);
    items.forEach((item, i) => {
      this.#sink(`${i === 0 ? "" : ","}\n    ${indented(item, "\n    ")}`);
    });
    this.#sink(`\n  ]${after}`);
  }
}

/** The whole JSON report as one text. */
export function toJsonReport(report: AnalysisReport, version: string): string {
  const parts: string[] = [];
  const writer = new JsonReportWriter(version, (text) => parts.push(text));
  for (const summary of report.entries) writer.entry(summary);
  writer.finish(report);
  return parts.join("");
}

/** A value as JSON.stringify(…, null, 2) writes it inside an array of the report. */
function indented(value: unknown, newline: string): string {
  // An array writes `null` for what JSON cannot hold (undefined, a function).
  return (JSON.stringify(value, null, 2) ?? "null").replaceAll("\n", newline);
}

/**
 * One entry as `JSON.stringify(report, null, 2)` writes it (indented by four): written out for
 * the fields every entry has, which is most of the time a large report takes.
 */
function summaryJson(summary: EntrySummary): string {
  const { index, startedDateTime, method, url, status, error } = summary;
  const keys = Object.keys(summary);
  if (
    keys.length !== 6 ||
    keys[0] !== "index" ||
    keys[5] !== "error" ||
    !Number.isFinite(index) ||
    !Number.isFinite(status)
  )
    return indented(summary, "\n    ");
  const errorJson = error === null ? "null" : indented(error, "\n      ");
  return `{
      "index": ${index},
      "startedDateTime": ${JSON.stringify(startedDateTime)},
      "method": ${JSON.stringify(method)},
      "url": ${JSON.stringify(url)},
      "status": ${status},
      "error": ${errorJson}
    }`;
}
