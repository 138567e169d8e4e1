import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toJsonReport } from "../core/export/report-json.js";
import type { AnalysisReport } from "../core/report.js";
import type { EntrySummary } from "../core/types.js";

const EMPTY: AnalysisReport = {
  entries: [],
  findings: [],
  budgets: [],
  skipped: [],
  retries: 0,
  summary: { entries: 0, apiRequests: 0, errors: [], findings: { error: 0, warning: 0, info: 0 } },
};

/** Where the report's text goes: standard output, with its back-pressure. */
export interface Output {
  /** Text, or the UTF-8 bytes of a report held in a temporary file. */
  write(text: string | Uint8Array): Promise<void>;
}

/**
 * Nothing is written before the whole file was read: a file found bad at its end prints no half
 * report, and one read again in order of start time starts over. The report is held in memory up
 * to this size, beyond it in a temporary file copied to the output at the end.
 */
const HOLD_CHARS = 2 * 1024 * 1024;
/** The temporary file goes to the output in parts of this size, through one buffer. */
const COPY_BYTES = 1024 * 1024;
const FLUSH_CHARS = 256 * 1024;

/**
 * The report's entries as the analysis produces them, listed in `log.entries` order: entries go
 * in by index as the file gives them (`expect`), and come out once every earlier one was analysed.
 * JSON is written as it goes, so the report of a file of any size never exists as one string;
 * the text report keeps only the entries findings name (the summary's counts are the analysis's).
 */
export class ReportWriter {
  readonly #format: "json" | "text";
  readonly #output: Output;
  readonly #version: string;
  #expected: number[] = [];
  #head = 0;
  readonly #done = new Map<number, EntrySummary | null>();
  #count = 0;
  readonly #named = new Map<number, EntrySummary>();
  #pending: string[] = [];
  #pendingChars = 0;
  #held: string[] = [];
  #heldChars = 0;
  #spill: { dir: string; path: string; fd: number } | undefined;

  constructor(format: "json" | "text", version: string, output: Output) {
    this.#format = format;
    this.#version = version;
    this.#output = output;
  }

  /** The file has an entry with this index that will be analysed. */
  expect(index: number): void {
    this.#expected.push(index);
  }

  /** An entry was analysed (summary), or left out as a preflight (null). */
  analysed(index: number, summary: EntrySummary | null, named: boolean): void {
    if (summary !== null && named) this.#named.set(index, summary);
    this.#done.set(index, summary);
    while (this.#head < this.#expected.length) {
      const next = this.#expected[this.#head] as number;
      if (!this.#done.has(next)) break;
      const item = this.#done.get(next) ?? null;
      this.#done.delete(next);
      this.#head++;
      if (item !== null) this.#entry(item);
    }
    if (this.#head > 65536) {
      this.#expected = this.#expected.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Moves what is ready out of the way, when there is enough of it; called after each chunk. */
  drain(): void {
    if (this.#pendingChars >= FLUSH_CHARS) this.#flush();
  }

  #entry(summary: EntrySummary): void {
    if (this.#format === "json") {
      if (this.#count === 0) {
        const [head] = jsonParts(EMPTY, this.#version);
        this.#pending.push(`${head}  "entries": [`);
      }
      const json = summaryJson(summary);
      const text = `${this.#count === 0 ? "" : ","}\n    ${json}`;
      this.#pending.push(text);
      this.#pendingChars += text.length;
    }
    this.#count++;
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    const text = this.#pending.join("");
    this.#pending = [];
    this.#pendingChars = 0;
    if (this.#spill !== undefined) {
      writeSync(this.#spill.fd, text);
      return;
    }
    this.#held.push(text);
    this.#heldChars += text.length;
    if (this.#heldChars < HOLD_CHARS) return;
    const dir = mkdtempSync(join(tmpdir(), "ratelens-"));
    const path = join(dir, "report.json");
    this.#spill = { dir, path, fd: openSync(path, "w") };
    for (const part of this.#held) writeSync(this.#spill.fd, part);
    this.#held = [];
    this.#heldChars = 0;
  }

  /** Removes what was held: the analysis starts over, or failed. */
  dispose(): void {
    this.#held = [];
    if (this.#spill === undefined) return;
    if (this.#spill.fd >= 0) closeSync(this.#spill.fd);
    rmSync(this.#spill.dir, { recursive: true, force: true });
    this.#spill = undefined;
  }

  /**
   * The report with the entries findings name (the others were written out as they came). Its
   * summary line is the analysis's own (buildReport reads the Analyzer's running counts).
   */
  complete(report: AnalysisReport): AnalysisReport {
    return {
      ...report,
      entries: [...this.#named.values()].sort((a, b) => a.index - b.index),
    };
  }

  /** The JSON report's end: findings, budgets, skipped; then whatever was held is written. */
  async finishJson(report: AnalysisReport): Promise<void> {
    // The findings one by one, as the entries: toJsonReport's whole text of 80k findings (a 2 GB
    // file) was a 45 MB string, joined into another and encoded into a third to be written.
    const [head, tail] = jsonParts({ ...report, findings: [] }, this.#version);
    this.#pending.push(this.#count === 0 ? `${head}  "entries": [],\n` : "\n  ],\n");
    const { findings } = report;
    if (findings.length === 0 || !tail.startsWith(FINDINGS)) {
      this.#pending.push(findings.length === 0 ? tail : jsonParts(report, this.#version)[1]);
    } else {
      this.#pending.push('  "findings": [');
      findings.forEach((finding, i) => {
        const text = `${i === 0 ? "" : ","}\n    ${indented(finding, "\n    ")}`;
        this.#pending.push(text);
        this.#pendingChars += text.length;
        this.drain();
      });
      this.#pending.push(`\n  ],\n${tail.slice(FINDINGS.length)}`);
    }
    this.#flush();
    // Part by part: joined, the held report would exist twice.
    for (const part of this.#held) await this.#output.write(part);
    if (this.#spill !== undefined) {
      closeSync(this.#spill.fd);
      this.#spill.fd = -1;
      // As bytes through one buffer, reused once each part was written: decoded to text, or read
      // into a fresh buffer per part, the copy was the peak of the whole run's RSS (20 MB of
      // parts waiting for the collector at 100k entries).
      const fd = openSync(this.#spill.path, "r");
      try {
        const buffer = Buffer.allocUnsafe(COPY_BYTES);
        for (;;) {
          const bytes = readSync(fd, buffer, 0, COPY_BYTES, null);
          if (bytes === 0) break;
          await this.#output.write(buffer.subarray(0, bytes));
        }
      } finally {
        closeSync(fd);
      }
    }
    this.dispose();
  }
}

const ENTRIES = '  "entries": [],\n';
const FINDINGS = '  "findings": [],\n';

/** A value as JSON.stringify(…, null, 2) writes it inside the report, its lines indented. */
function indented(value: unknown, newline: string): string {
  return JSON.stringify(value, null, 2).replaceAll("\n", newline);
}

/** toJsonReport's text around its entries, so that the streamed report is the same text. */
function jsonParts(report: AnalysisReport, version: string): [string, string] {
  const whole = toJsonReport({ ...report, entries: [] }, version);
  const at = whole.indexOf(ENTRIES);
  return [whole.slice(0, at), whole.slice(at + ENTRIES.length)];
}

/**
 * One entry of the JSON report as `JSON.stringify(report, null, 2)` writes it there (indented by
 * four): written out for the fields every entry has, which is most of the report's time.
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
