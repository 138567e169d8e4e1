import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JsonReportWriter } from "../core/export/report-json.js";
import type { AnalysisReport } from "../core/report.js";
import type { EntrySummary } from "../core/types.js";

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
/** The JSON writer's small parts are joined into one of about this size before they are held. */
const FLUSH_CHARS = 256 * 1024;

/**
 * The report's entries as the analysis produces them, listed in `log.entries` order: entries go
 * in by index as the file gives them (`expect`), and come out once every earlier one was analysed.
 * JSON is written as it goes, so the report of a file of any size never exists as one string;
 * the text report keeps only the entries findings name (the summary's counts are the analysis's).
 */
export class ReportWriter {
  readonly #json: JsonReportWriter | undefined;
  readonly #output: Output;
  #expected: number[] = [];
  #head = 0;
  readonly #done = new Map<number, EntrySummary | null>();
  readonly #named = new Map<number, EntrySummary>();
  #pending: string[] = [];
  #pendingChars = 0;
  #held: string[] = [];
  #heldChars = 0;
  #spill: { dir: string; path: string; fd: number } | undefined;

  constructor(format: "json" | "text", version: string, output: Output) {
    this.#output = output;
    if (format === "json") this.#json = new JsonReportWriter(version, (text) => this.#take(text));
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
      if (item !== null) this.#json?.entry(item);
    }
    if (this.#head > 65536) {
      this.#expected = this.#expected.slice(this.#head);
      this.#head = 0;
    }
  }

  /** A part of the JSON report: small parts are joined, and held once there is enough of them. */
  #take(text: string): void {
    this.#pending.push(text);
    this.#pendingChars += text.length;
    if (this.#pendingChars >= FLUSH_CHARS) this.#flush();
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
    this.#pending = [];
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

  /** The JSON report's end (findings, budgets, skipped), then all of it to the output. */
  async finishJson(report: AnalysisReport): Promise<void> {
    this.#json?.finish(report);
    this.#flush();
    // Part by part: joined, the held report would exist twice.
    for (const part of this.#held) await this.#output.write(part);
    if (this.#spill !== undefined) {
      closeSync(this.#spill.fd);
      this.#spill.fd = -1;
      // As bytes through one reused buffer: decoded to text, or read into a fresh buffer per
      // part, the copy would be the peak of the whole run's memory.
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
