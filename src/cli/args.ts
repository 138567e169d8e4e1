import { parseArgs } from "node:util";
import { parseSourceRoot, type SourceRoot } from "../core/export/sarif.js";
import { parseHostMapping } from "../core/hosts.js";
import { type HostMapping, SEVERITIES, type Severity } from "../core/types.js";

export type FailOn = Severity | "never";
export const FORMATS = ["text", "json", "markdown", "html", "sarif"] as const;
export type Format = (typeof FORMATS)[number];

export type Command =
  | {
      kind: "analyze";
      /** HAR files and directories of them, in the order given; "-" is standard input. */
      files: string[];
      format: Format;
      failOn: FailOn;
      hosts: HostMapping[];
      /** Reject the file at its first unreadable entry instead of skipping it. */
      strict: boolean;
      /** The text report lists every chain of a rule, not only the costliest ten. */
      all: boolean;
      /** Where a dev server's scripts are in the repository, for SARIF's locations. */
      sourceRoots: SourceRoot[];
    }
  | { kind: "help" }
  | { kind: "version" };

export const USAGE = `Usage: ratelens analyze FILE.har|DIR|- ... [--format ${FORMATS.join("|")}] [--fail-on error|warning|info|never] [--host HOST=PROVIDER ...] [--strict] [--all] [--source-root URL=DIR ...]
       ratelens mock [--port PORT] [--provider casola|cuadra] [--scenario NAME | --fail-rate RATE]

Decodes Casola and Cuadra API errors in HAR files, reports the rate-limit budget per host and
flags clients that retry wrongly. Several files, or a directory (its .har files, in subdirectories
too), make one report with a section per file and a combined summary; "-" reads standard input.

Options:
  --format FORMAT        text: a report to read (default); json: the analysis, one report per
                         file; markdown: the panel's export, for a pull request comment;
                         html: one self-contained page; sarif: SARIF 2.1.0 for code scanning
  --fail-on LEVEL        exit 1 when a finding of this severity or worse exists (default: error)
  --host HOST=PROVIDER   analyse HOST (hostname or hostname:port) as casola, cuadra, problem or generic; repeatable
  --strict               reject the whole file at its first unreadable entry (default: skip it with a note)
  --all                  the text report lists every retry chain of a rule (default: the ten costliest)
  --source-root URL=DIR  SARIF: a script under URL is the file under DIR in the repository
                         (http://localhost:5173/=. maps .../src/api.ts to src/api.ts); repeatable
  -h, --help             this text
  -v, --version          the version

Exit status: 0 no finding reaches --fail-on, 1 one does, 2 usage error, or a HAR of which no
entry (with --strict: not every entry) could be read.`;

export class UsageError extends Error {}

/** argv without node and the script; throws UsageError with a one-line message. */
export function parseCommand(argv: readonly string[]): Command {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split("\n")[0] : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  const [command, ...files] = positionals;
  if (command === undefined)
    throw new UsageError("missing command: try `ratelens analyze FILE.har`");
  if (command !== "analyze")
    throw new UsageError(`unknown command "${command}": the command is analyze`);
  if (files.length === 0)
    throw new UsageError("missing FILE: give a HAR file, a directory, or - for standard input");
  if (files.filter((file) => file === "-").length > 1)
    throw new UsageError("standard input (-) can be read once");
  const format = values.format ?? "text";
  if (!(FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--format must be ${FORMATS.join(", ")}, not "${format}"`);
  const failOn = values["fail-on"] ?? "error";
  if (failOn !== "never" && !(SEVERITIES as readonly string[]).includes(failOn)) {
    throw new UsageError(`--fail-on must be error, warning, info or never, not "${failOn}"`);
  }
  const hosts = (values.host ?? []).map((text) => {
    const mapping = parseHostMapping(text);
    if (mapping === undefined) {
      throw new UsageError(
        `--host must be HOST=PROVIDER with PROVIDER casola, cuadra, problem or generic, not "${text}"`,
      );
    }
    return mapping;
  });
  const sourceRoots = (values["source-root"] ?? []).map((text) => {
    const root = parseSourceRoot(text);
    if (root === undefined) {
      throw new UsageError(
        `--source-root must be URL=DIR with an http(s) URL and a path inside the repository, not "${text}"`,
      );
    }
    return root;
  });
  return {
    kind: "analyze",
    files,
    format: format as Format,
    failOn: failOn as FailOn,
    hosts,
    strict: values.strict === true,
    all: values.all === true,
    sourceRoots,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: "string" },
      "fail-on": { type: "string" },
      host: { type: "string", multiple: true },
      strict: { type: "boolean" },
      all: { type: "boolean" },
      "source-root": { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
    },
  });
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

export function reachesFailOn(severity: Severity, failOn: FailOn): boolean {
  return failOn !== "never" && RANK[severity] >= RANK[failOn];
}
