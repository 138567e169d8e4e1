import { mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { type FileHandle, open, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Analyzer } from "../core/analyzer.js";
import { buildReport } from "../core/report.js";
import { oneLine } from "../core/visible-text.js";
import { type Command, parseCommand, reachesFailOn, USAGE, UsageError } from "./args.js";
import { formatText, styleFor } from "./format-text.js";
import { runMock } from "./mock.js";
import { Progress } from "./progress.js";
import {
  HarInputError,
  type ReadOptions,
  readEntries,
  readEntriesByOffset,
} from "./read-entries.js";
import { type Output, ReportWriter } from "./report-writer.js";

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

async function analyze(command: Extract<Command, { kind: "analyze" }>): Promise<number> {
  const source = command.file === "-" ? "standard input" : command.file;
  let size: number | undefined;
  if (command.file !== "-") {
    try {
      const info = await stat(command.file);
      if (info.isDirectory()) throw new InputError(`cannot read ${command.file}: is a directory`);
      size = info.size;
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(`cannot read ${command.file}: ${reasonOf(error)}`);
    }
  }
  const spool = command.file === "-" ? new StdinSpool() : undefined;
  const progress = new Progress(process.stderr, size);
  let analyzer = new Analyzer({ hosts: command.hosts, keepEntries: false });
  let writer = new ReportWriter(command.format, VERSION, stdout);
  try {
    const options: ReadOptions = {
      strict: command.strict,
      accepted: (index) => writer.expect(index),
      entry: (entry, index) => {
        const analysis = analyzer.add(entry, index);
        // The text report names the request each finding is on; JSON lists them all anyway.
        const named = command.format === "text" && (analysis?.findings.length ?? 0) > 0;
        writer.analysed(index, analysis?.summary ?? null, named);
      },
      progress: (bytes) => progress.update(bytes),
    };
    let read = await readEntries(spool?.chunks() ?? fileChunks(command.file), options);
    if (read.order === "unsorted") {
      // Start over: the entries analysed so far were in the wrong order.
      writer.dispose();
      analyzer = new Analyzer({ hosts: command.hosts, keepEntries: false });
      writer = new ReportWriter(command.format, VERSION, stdout);
      const path = spool?.path ?? command.file;
      const skipped = await readEntriesByOffset(path, fileChunks(path), options);
      read = { order: "sorted", skipped };
    }
    progress.done();
    const report = writer.complete(buildReport(analyzer, { skipped: read.skipped }));
    if (command.format === "json") {
      await writer.finishJson(report);
    } else {
      // JSON lists them in `skipped`; a person reading the report is told on stderr.
      for (const { index, reason } of read.skipped) {
        process.stderr.write(`ratelens: skipped log.entries[${index}]: it ${oneLine(reason)}\n`);
      }
      await stdout.write(
        formatText(
          { source, version: VERSION, report, all: command.all },
          styleFor(process.stdout, process.env),
        ),
      );
    }
    return report.findings.some((f) => reachesFailOn(f.severity, command.failOn)) ? 1 : 0;
  } catch (error) {
    progress.done();
    writer.dispose();
    if (error instanceof HarInputError) throw new InputError(`${source}: ${error.message}`);
    throw error;
  } finally {
    spool?.remove();
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
