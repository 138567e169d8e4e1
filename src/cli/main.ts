import { mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { type FileHandle, open, readdir, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Analyzer } from "../core/analyzer.js";
import { htmlEnd, htmlStart, htmlSummary } from "../core/export/html.js";
import { combinedMarkdown } from "../core/export/markdown.js";
import { SarifWriter } from "../core/export/sarif.js";
import { type AnalysisReport, buildReport, combineReports } from "../core/report.js";
import { SEVERITIES } from "../core/types.js";
import { oneLine } from "../core/visible-text.js";
import { type Command, parseCommand, reachesFailOn, USAGE, UsageError } from "./args.js";
import { formatCombined, styleFor } from "./format-text.js";
import { runMock } from "./mock.js";
import { Progress } from "./progress.js";
import {
  HarInputError,
  type ReadOptions,
  readEntries,
  readEntriesByOffset,
} from "./read-entries.js";
import { FileReportWriter, keepFor } from "./report-writer.js";
import { type Output, Spool } from "./spool.js";

declare const __RATELENS_VERSION__: string;
const VERSION = typeof __RATELENS_VERSION__ === "string" ? __RATELENS_VERSION__ : "0.0.0-dev";

const CHUNK_BYTES = 1024 * 1024;

class InputError extends Error {}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT"
    ? "no such file"
    : code === "EISDIR"
      ? "is a directory"
      : code === "EACCES"
        ? "permission denied"
        : ((error as Error).message ?? String(error));
}

/**
 * The file's chunks, with a read error said as "cannot read FILE: reason". Two buffers in turn,
 * not a new one per chunk: the scanner keeps nothing of a chunk (see HarScanner.push), and a
 * stream's fresh megabyte per chunk would keep megabytes of read buffers waiting for the
 * collector. The next chunk is read while this one is analysed.
 */
async function* fileChunks(file: string): AsyncGenerator<Buffer> {
  let handle: FileHandle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${reasonOf(error)}`);
  }
  const buffers: Buffer[] = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)];
  // A failed read resolves to its error, thrown when its turn comes: a read that failed while
  // the consumer was busy must not be an unhandled rejection.
  const readInto = (buffer: Buffer): Promise<number | InputError> =>
    handle.read(buffer, 0, CHUNK_BYTES, null).then(
      ({ bytesRead }) => bytesRead,
      (error: unknown) => new InputError(`cannot read ${file}: ${reasonOf(error)}`),
    );
  let next = readInto(buffers[0] as Buffer);
  try {
    for (let turn = 0; ; turn ^= 1) {
      const bytes = await next;
      if (bytes instanceof InputError) throw bytes;
      if (bytes === 0) break;
      // Filled while the consumer scans the chunk yielded now; it has finished with the buffer.
      next = readInto(buffers[turn ^ 1] as Buffer);
      yield (buffers[turn] as Buffer).subarray(0, bytes);
    }
  } finally {
    // Stopped early (an error, or a file read again by offsets): let the pending read end first.
    await next;
    await handle.close();
  }
}

/**
 * Standard input, copied to a temporary file as it is read: a pipe cannot be read twice, and a
 * HAR out of order beyond the reorder window is read again by offsets (see read-entries.ts).
 */
class StdinSpool {
  readonly #dir = mkdtempSync(join(tmpdir(), "ratelens-"));
  readonly path = join(this.#dir, "stdin.har");
  readonly #fd = openSync(this.path, "w");

  async *chunks(): AsyncGenerator<Buffer> {
    for await (const chunk of process.stdin) {
      writeSync(this.#fd, chunk as Buffer);
      yield chunk as Buffer;
    }
  }

  remove(): void {
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

const stdout: Output = {
  write: (text) =>
    new Promise((resolve, reject) => {
      process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
    }),
};

type Analyze = Extract<Command, { kind: "analyze" }>;

/** A HAR to read: a path, or standard input. */
interface Input {
  path: string;
  /** What the report calls it. */
  source: string;
  /** Bytes, for the progress line; unknown for standard input. */
  size: number | undefined;
}

/**
 * The inputs in the order given, a directory as its .har files (subdirectories too) by name. A
 * path that cannot be read is said as "cannot read PATH: reason" before anything is analysed.
 */
async function inputsOf(files: readonly string[]): Promise<Input[]> {
  const inputs: Input[] = [];
  for (const file of files) {
    if (file === "-") {
      inputs.push({ path: "-", source: "standard input", size: undefined });
      continue;
    }
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(file);
    } catch (error) {
      throw new InputError(`cannot read ${file}: ${reasonOf(error)}`);
    }
    if (!info.isDirectory()) {
      inputs.push({ path: file, source: file, size: info.size });
      continue;
    }
    let names: string[];
    try {
      names = (await readdir(file, { recursive: true })).filter((name) => /\.har$/i.test(name));
    } catch (error) {
      throw new InputError(`cannot read ${file}: ${reasonOf(error)}`);
    }
    names.sort();
    const found: Input[] = [];
    for (const name of names) {
      const path = join(file, name);
      const entry = await stat(path).catch(() => undefined);
      if (entry?.isFile()) found.push({ path, source: path, size: entry.size });
    }
    if (found.length === 0) throw new InputError(`${file}: no .har file in this directory`);
    inputs.push(...found);
  }
  return inputs;
}

/** One file analysed: its report (bounded as the format keeps it), its section already written. */
async function analyzeFile(
  command: Analyze,
  input: Input,
  several: boolean,
  out: Spool,
  sarif: SarifWriter | undefined,
): Promise<AnalysisReport> {
  const spool = input.path === "-" ? new StdinSpool() : undefined;
  const progress = new Progress(process.stderr, input.size);
  const keep = keepFor(command.format, command.all);
  const options = {
    format: command.format,
    version: VERSION,
    source: input.source,
    all: command.all,
    several,
    style: styleFor(process.stdout, process.env),
    sarif,
  };
  let writer = new FileReportWriter(options);
  const analyzerFor = (report: FileReportWriter) =>
    new Analyzer({
      hosts: command.hosts,
      keepEntries: false,
      keep,
      onChain: (chain) => report.chain(chain),
    });
  let analyzer = analyzerFor(writer);
  try {
    const read: ReadOptions = {
      strict: command.strict,
      accepted: (index) => writer.expect(index),
      entry: (entry, index) => {
        const before = analyzer.findings.length;
        const analysis = analyzer.add(entry, index);
        writer.analysed(index, analysis, analyzer.findings.length > before);
      },
      progress: (bytes) => progress.update(bytes),
    };
    let result = await readEntries(spool?.chunks() ?? fileChunks(input.path), read);
    if (result.order === "unsorted") {
      // Start over: the entries analysed so far were in the wrong order.
      writer.dispose();
      writer = new FileReportWriter(options);
      analyzer = analyzerFor(writer);
      const path = spool?.path ?? input.path;
      const skipped = await readEntriesByOffset(path, fileChunks(path), read);
      result = { order: "sorted", skipped };
    }
    progress.done();
    analyzer.finish();
    const report = writer.complete(buildReport(analyzer, { skipped: result.skipped }));
    if (command.format !== "json") {
      // JSON lists them in `skipped`; a person reading the report is told on stderr.
      const where = several ? `${input.source}: ` : "";
      for (const { index, reason } of result.skipped) {
        process.stderr.write(
          `ratelens: ${where}skipped log.entries[${index}]: it ${oneLine(reason)}\n`,
        );
      }
    }
    writer.finish(report, out);
    return report;
  } catch (error) {
    progress.done();
    writer.dispose();
    if (error instanceof HarInputError) throw new InputError(`${input.source}: ${error.message}`);
    throw error;
  } finally {
    spool?.remove();
  }
}

/** The HTML page's title: the one file's name, or how many files. */
function titleOf(inputs: readonly Input[]): string {
  return inputs.length === 1
    ? `Ratelens report: ${inputs[0]?.source}`
    : `Ratelens report: ${inputs.length} files`;
}

async function analyze(command: Analyze): Promise<number> {
  const inputs = await inputsOf(command.files);
  const several = inputs.length > 1;
  const out = new Spool();
  const sections = new Spool();
  try {
    // Of each file, only what the combined summary adds up: a directory of any number of files.
    const reports: Pick<AnalysisReport, "summary" | "cost">[] = [];
    const options = { title: titleOf(inputs), version: VERSION };
    // One SARIF log, one run: each file's chains are its results (the log's head is written now).
    const sarif =
      command.format === "sarif"
        ? new SarifWriter({ version: VERSION, sourceRoots: command.sourceRoots }, (text) =>
            sections.write(text),
          )
        : undefined;
    if (command.format === "json" && several) sections.write("[\n");
    for (const [i, input] of inputs.entries()) {
      if (command.format === "json" && several && i > 0) sections.write(",\n");
      const { summary, cost } = await analyzeFile(command, input, several, sections, sarif);
      reports.push({ summary, cost });
    }
    const combined = combineReports(reports);
    switch (command.format) {
      case "json":
        if (several) sections.write("]\n");
        sections.appendTo(out);
        break;
      case "text":
        sections.appendTo(out);
        if (several)
          out.write(
            `\n${formatCombined({ version: VERSION, files: inputs.length, ...combined }, styleFor(process.stdout, process.env))}`,
          );
        break;
      case "markdown":
        if (several) out.write(combinedMarkdown(combined, inputs.length, VERSION));
        sections.appendTo(out);
        break;
      case "html":
        out.write(htmlStart(options));
        // One file's section has its own figures: the sum would say them twice.
        if (several) out.write(htmlSummary(combined.summary, combined.cost, inputs.length));
        sections.appendTo(out);
        out.write(htmlEnd(options));
        break;
      case "sarif":
        sarif?.finish();
        sections.appendTo(out);
        break;
    }
    sections.dispose();
    await out.writeTo(stdout);
    const { findings } = combined.summary;
    return SEVERITIES.some(
      (severity) => findings[severity] > 0 && reachesFailOn(severity, command.failOn),
    )
      ? 1
      : 0;
  } finally {
    sections.dispose();
    out.dispose();
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    if (argv[0] === "mock") return await runMock(argv.slice(1));
    const command = parseCommand(argv);
    switch (command.kind) {
      case "help":
        process.stdout.write(`${USAGE}\n`);
        return 0;
      case "version":
        process.stdout.write(`${VERSION}\n`);
        return 0;
      case "analyze":
        return await analyze(command);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`ratelens: ${error.message}\n${USAGE.split("\n")[0]}\n`);
      return 2;
    }
    if (error instanceof InputError) {
      process.stderr.write(`ratelens: ${error.message}\n`);
      return 2;
    }
    // Never a stack trace: one line, and the exit status of a bad input.
    process.stderr.write(`ratelens: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 2;
  },
);
