import { readFile } from "node:fs/promises";
import { analyzeEntries } from "../core/analyzer.js";
import { toJsonReport } from "../core/export/report-json.js";
import { parseHar } from "../core/har/parse-har.js";
import { type Command, parseCommand, reachesFailOn, USAGE, UsageError } from "./args.js";
import { formatText, styleFor } from "./format-text.js";

declare const __RATELENS_VERSION__: string;
const VERSION = typeof __RATELENS_VERSION__ === "string" ? __RATELENS_VERSION__ : "0.0.0-dev";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function readInput(file: string): Promise<string> {
  if (file === "-") return readStdin();
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "is a directory"
          : code === "EACCES"
            ? "permission denied"
            : ((error as Error).message ?? String(error));
    throw new InputError(`cannot read ${file}: ${reason}`);
  }
}

class InputError extends Error {}

function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ");
}

async function analyze(command: Extract<Command, { kind: "analyze" }>): Promise<number> {
  const text = await readInput(command.file);
  const parsed = parseHar(text, { strict: command.strict });
  const source = command.file === "-" ? "standard input" : command.file;
  if (!parsed.ok) throw new InputError(`${source}: ${parsed.message}`);
  const report = analyzeEntries(parsed.entries, {
    hosts: command.hosts,
    indices: parsed.indices,
    skipped: parsed.skipped,
  });
  if (command.format === "json") {
    process.stdout.write(toJsonReport(report, VERSION));
  } else {
    // JSON lists them in `skipped`; a person reading the report is told on stderr.
    for (const { index, reason } of parsed.skipped) {
      process.stderr.write(`ratelens: skipped log.entries[${index}]: it ${oneLine(reason)}\n`);
    }
    process.stdout.write(
      formatText({ source, version: VERSION, report }, styleFor(process.stdout, process.env)),
    );
  }
  return report.findings.some((f) => reachesFailOn(f.severity, command.failOn)) ? 1 : 0;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
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
