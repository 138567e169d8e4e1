import type { AnalysisReport } from "../report.js";
import type { EntrySummary } from "../types.js";

/**
 * The JSON report (docs/cli.md, "JSON"): tool, version, then the report's entries, findings,
 * chains, cost, budgets and skipped entries, as `JSON.stringify(…, null, 2)` writes them. Made of
 * parts, each array element on its own, so that a writer can stream every array (the CLI writes a
 * report of any size without holding it) and the whole report is the same text. The fields are
 * listed, not spread, so an internal count or the summary never leaks into the published shape.
 */
export const jsonParts = {
  /** Up to the opening of `entries`; a report of one of several files names its `source`. */
  head(version: string, source?: string): string {
    const named = source === undefined ? "" : `,\n  "source": ${JSON.stringify(source)}`;
    return `{\n  "tool": "ratelens",\n  "version": ${JSON.stringify(version)}${named},\n  "entries": [`;
  },
  /** The `position`th element (from 0) of an array: its separator, then the value indented. */
  element(value: unknown, position: number): string {
    return `${position === 0 ? "" : ","}\n    ${indented(value, "\n    ")}`;
  },
  /** An entry as `element` writes it, faster: entries are most of a large report. */
  entry(summary: EntrySummary, position: number): string {
    return `${position === 0 ? "" : ","}\n    ${summaryJson(summary)}`;
  },
  /** Closes an array of `count` elements; `next` names the array that follows, if any. */
  close(count: number, next?: string): string {
    const end = count === 0 ? "]" : "\n  ]";
    return next === undefined ? end : `${end},\n  "${next}": [`;
  },
  /** After the chains: the cost, budgets and skipped entries, and the report's end. */
  tail(report: Pick<AnalysisReport, "cost" | "budgets" | "skipped">): string {
    const array = (items: readonly unknown[]) =>
      items.map((item, i) => jsonParts.element(item, i)).join("") + jsonParts.close(items.length);
    return `,\n  "cost": ${indented(report.cost, "\n  ")},\n  "budgets": [${array(report.budgets)},\n  "skipped": [${array(report.skipped)}\n}\n`;
  },
};

/** The whole JSON report as one text. */
export function toJsonReport(report: AnalysisReport, version: string): string {
  const parts = [jsonParts.head(version)];
  report.entries.forEach((summary, i) => {
    parts.push(jsonParts.entry(summary, i));
  });
  parts.push(jsonParts.close(report.entries.length, "findings"));
  report.findings.forEach((finding, i) => {
    parts.push(jsonParts.element(finding, i));
  });
  parts.push(jsonParts.close(report.findings.length, "chains"));
  report.chains.forEach((chain, i) => {
    parts.push(jsonParts.element(chain, i));
  });
  parts.push(jsonParts.close(report.chains.length));
  parts.push(jsonParts.tail(report));
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
