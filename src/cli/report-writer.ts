import type { EntryAnalysis } from "../core/analyzer.js";
import type { Chain, Keep } from "../core/chains.js";
import { htmlFile } from "../core/export/html.js";
import { DEFAULT_MAX_FINDINGS, toMarkdown } from "../core/export/markdown.js";
import { jsonParts } from "../core/export/report-json.js";
import type { SarifWriter } from "../core/export/sarif.js";
import type { AnalysisReport } from "../core/report.js";
import type { EntrySummary } from "../core/types.js";
import type { Format } from "./args.js";
import { formatText, SHOWN_PER_RULE, type Style } from "./format-text.js";
import { KeyedSpool, Spool } from "./spool.js";

/** How one file's report is written, whatever the format. */
export interface FileReportOptions {
  format: Format;
  version: string;
  /** The file as the report names it ("standard input" for -). */
  source: string;
  /** The text report lists every chain (`--all`). */
  all: boolean;
  /** One of several files: a JSON report names its source. */
  several: boolean;
  style: Style;
  /** The run's SARIF log: each chain of the file becomes a result when the file is done. */
  sarif?: SarifWriter;
}

/**
 * What the Analyzer keeps of a file's findings and chains for each format: the text, Markdown and
 * HTML reports list the first and costliest few per rule and count the rest; JSON and SARIF list
 * every one, written out as they come, so the Analyzer keeps none.
 */
export function keepFor(format: Format, all: boolean): Keep {
  switch (format) {
    case "text":
      return all ? "all" : { perRule: SHOWN_PER_RULE };
    case "markdown":
      return { perRule: DEFAULT_MAX_FINDINGS };
    case "html":
      return { perRule: SHOWN_PER_RULE };
    case "json":
    case "sarif":
      return { perRule: 0 };
  }
}

/**
 * One file's report, written as its entries are analysed into spools (memory while small, a
 * temporary file beyond), so that a file of any size is reported in bounded memory; `finish`
 * appends it to the run's output. Entries go in by index as the file gives them (`expect`), and
 * are listed once every earlier one was analysed, in `log.entries` order.
 */
export class FileReportWriter {
  readonly #options: FileReportOptions;
  #expected: number[] = [];
  #head = 0;
  readonly #done = new Map<number, EntrySummary | null>();
  /** The entries the kept findings name (text, Markdown, HTML): the others are not kept. */
  readonly #named = new Map<number, EntrySummary>();
  /** JSON: the report up to its entries' end, its findings, and its chains by first request. */
  readonly #json: { main: Spool; findings: Spool; chains: KeyedSpool } | undefined;
  /** SARIF: the file's results by their chain's first request, until the file is done. */
  readonly #sarifChains: KeyedSpool | undefined;
  #entries = 0;
  #findings = 0;

  constructor(options: FileReportOptions) {
    this.#options = options;
    if (options.format === "sarif") this.#sarifChains = new KeyedSpool();
    if (options.format === "json") {
      this.#json = { main: new Spool(), findings: new Spool(), chains: new KeyedSpool() };
      this.#json.main.write(
        jsonParts.head(options.version, options.several ? options.source : undefined),
      );
    }
  }

  /** The file has an entry with this index that will be analysed. */
  expect(index: number): void {
    // Only JSON lists the entries, in file order; the other reports name only those findings name.
    if (this.#json !== undefined) this.#expected.push(index);
  }

  /**
   * An entry was analysed (undefined: left out as a preflight); `kept` says the Analyzer kept one
   * of its findings, so the report names its request.
   */
  analysed(index: number, analysis: EntryAnalysis | undefined, kept: boolean): void {
    const summary = analysis?.summary ?? null;
    if (summary !== null && kept) this.#named.set(index, summary);
    if (this.#json !== undefined && analysis !== undefined) {
      for (const finding of analysis.findings)
        this.#json.findings.write(jsonParts.element(finding, this.#findings++));
    }
    if (this.#json === undefined) return;
    this.#done.set(index, summary);
    while (this.#head < this.#expected.length) {
      const next = this.#expected[this.#head] as number;
      if (!this.#done.has(next)) break;
      const item = this.#done.get(next) ?? null;
      this.#done.delete(next);
      this.#head++;
      if (item !== null) this.#json.main.write(jsonParts.entry(item, this.#entries++));
    }
    if (this.#head > 65536) {
      this.#expected = this.#expected.slice(this.#head);
      this.#head = 0;
    }
  }

  /** A chain closed: JSON lists it, and SARIF makes it a result, in order of its first request. */
  chain(chain: Chain): void {
    this.#json?.chains.write(jsonParts.element(chain, 0), chain.entries[0] ?? 0);
    const sarif = this.#options.sarif;
    if (sarif !== undefined)
      this.#sarifChains?.write(
        sarif.resultText(chain, this.#options.source),
        chain.entries[0] ?? 0,
      );
  }

  /**
   * The report the Analyzer built, with the entries its kept findings name (the others were
   * written out as they came, or are not listed).
   */
  complete(report: AnalysisReport): AnalysisReport {
    return {
      ...report,
      entries: [...this.#named.values()].sort((a, b) => a.index - b.index),
    };
  }

  /** The file's report (HTML: its section) to `out`. */
  finish(report: AnalysisReport, out: Spool): void {
    const { format, source, version, all, style } = this.#options;
    switch (format) {
      case "text":
        out.write(formatText({ source, version, report, all }, style));
        return;
      case "markdown":
        out.write(toMarkdown(report, { title: source, version }));
        return;
      case "html":
        out.write(htmlFile({ source, report }));
        return;
      case "sarif":
        // The run's results go to its log as they come: out holds the log's head already.
        this.#sarifChains?.drain((text) => this.#options.sarif?.append(text));
        return;
      case "json": {
        const json = this.#json;
        if (json === undefined) return;
        json.main.write(jsonParts.close(this.#entries, "findings"));
        json.findings.appendTo(json.main);
        json.findings.dispose();
        json.main.write(jsonParts.close(this.#findings, "chains"));
        const chains = json.chains.length;
        json.chains.drain((text, position) => {
          json.main.write(`${position === 0 ? "" : ","}${text}`);
        });
        json.main.write(jsonParts.close(chains));
        json.main.write(jsonParts.tail(report));
        json.main.appendTo(out);
        json.main.dispose();
      }
    }
  }

  /** Removes what was held: the file is read again in order, or failed. */
  dispose(): void {
    this.#json?.main.dispose();
    this.#json?.findings.dispose();
    this.#json?.chains.dispose();
    this.#sarifChains?.dispose();
  }
}
