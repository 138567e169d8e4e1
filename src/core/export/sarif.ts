import type { Chain } from "../chains.js";
import { plural } from "../labels.js";
import { seconds } from "../rules/describe.js";
import { RULES } from "../rules/index.js";
import type { CallerFrame, Severity } from "../types.js";

/** A dev server's URL prefix and the repository folder its paths are files of. */
export interface SourceRoot {
  /** An http(s) URL ending in `/`, without query, fragment or credentials. */
  url: string;
  /** A path inside the repository, in forward slashes: `.` for its root, else `src/web`. */
  dir: string;
}

/** A repository path's segments, or undefined when one would leave the folder it starts from. */
function relativeSegments(path: string): string[] | undefined {
  const segments = path
    .replace(/\\/g, "/")
    .split("/")
    .filter((segment) => segment !== "" && segment !== ".");
  if (segments.some((segment) => segment === ".." || hasControl(segment))) return undefined;
  return segments;
}

function hasControl(text: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
  return /[\u0000-\u001f\u007f]/.test(text);
}

/**
 * `--source-root URL=DIR`: a dev server's URL prefix (`http://localhost:5173/`) and the repository
 * folder it serves (`.`, `web`). Undefined for anything else: another scheme, a query or fragment
 * or credentials in the URL, an absolute DIR or one that climbs out of the repository.
 */
export function parseSourceRoot(text: string): SourceRoot | undefined {
  const split = text.indexOf("=");
  if (split === -1) return undefined;
  const dir = text.slice(split + 1).trim();
  let url: URL;
  try {
    url = new URL(text.slice(0, split).trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "")
    return undefined;
  // "?" and "#" alone leave search and hash empty: the text is checked as well.
  if (/[?#]/.test(text.slice(0, split))) return undefined;
  if (dir === "" || /^([/\\]|[A-Za-z]:)/.test(dir)) return undefined;
  const segments = relativeSegments(dir);
  if (segments === undefined) return undefined;
  const href = url.href.endsWith("/") ? url.href : `${url.href}/`;
  return { url: href, dir: segments.length === 0 ? "." : segments.join("/") };
}

/**
 * The repository path of a script the traffic names, through the longest source root whose URL
 * it starts with: `http://localhost:5173/src/api/jobs.ts?t=1` under `http://localhost:5173/` = `.`
 * is `src/api/jobs.ts`. Query and fragment are dropped and each segment percent-decoded; a path
 * that would leave its folder (`..`, an encoded slash) or that no root covers is undefined.
 */
export function sourcePath(url: string, roots: readonly SourceRoot[]): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return undefined;
  const bare = `${parsed.origin}${parsed.pathname}`;
  let best: SourceRoot | undefined;
  for (const root of roots) {
    if (!bare.startsWith(root.url)) continue;
    if (best === undefined || root.url.length > best.url.length) best = root;
  }
  if (best === undefined) return undefined;
  const rest = bare.slice(best.url.length);
  const segments: string[] = [];
  for (const raw of rest.split("/")) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (segment === "") continue;
    if (segment === "." || segment === ".." || /[/\\]/.test(segment) || hasControl(segment))
      return undefined;
    segments.push(segment);
  }
  if (segments.length === 0) return undefined;
  return [...(best.dir === "." ? [] : [best.dir]), ...segments].join("/");
}

/** A path as a relative URI reference: each segment percent-encoded, the slashes kept. */
function uriOf(path: string): string {
  return path
    .replace(/\\/g, "/")
    .split("/")
    .map((segment) => encodeURIComponent(segment))
    .join("/");
}

const LEVEL: Readonly<Record<Severity, "error" | "warning" | "note">> = {
  error: "error",
  warning: "warning",
  info: "note",
};

/** `retry-after-ignored` -> `RetryAfterIgnored`: the readable name SARIF viewers show. */
function ruleName(id: string): string {
  return id
    .split("-")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");
}

/** The rules as SARIF's `tool.driver.rules`: every rule of the registry, in its order. */
function sarifRules() {
  return RULES.map((rule) => ({
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: rule.summary },
    fullDescription: { text: `${rule.summary} Fires when: ${rule.firesWhen}.` },
    help: {
      text: `${rule.summary}\n\nFires when: ${rule.firesWhen}.\n\nEach result names the chain's requests, what they wasted and the advice for them (the client library's own option when the traffic shows which library sent them).`,
      markdown: `**${rule.summary}**\n\nFires when: ${rule.firesWhen}.\n\nEach result names the chain's requests, what they wasted and the advice for them (the client library's own option when the traffic shows which library sent them).`,
    },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { tags: ["reliability", "retries"] },
  }));
}

const RULE_INDEX: ReadonlyMap<string, number> = new Map(RULES.map((rule, i) => [rule.id, i]));

/**
 * FNV-1a over the text, twice with two seeds, as 16 hex digits: a short, stable key for a
 * fingerprint (not a secret: collisions cost a merged alert at worst).
 */
function hash(text: string): string {
  const one = (seed: number) => {
    let h = seed >>> 0;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h.toString(16).padStart(8, "0");
  };
  return one(0x811c9dc5) + one(0x01234567);
}

/** A URL's host and path, without query or fragment: what stays when a chain recurs. */
function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return url.replace(/[?#].*$/s, "");
  }
}

function frameText(frame: CallerFrame): string {
  return `${frame.url}:${frame.line}:${frame.column}${frame.function ? ` (${frame.function})` : ""}`;
}

export interface SarifOptions {
  /** Ratelens's version: the tool's. */
  version: string;
  /** Where the callers' scripts are in the repository (`--source-root`). */
  sourceRoots: readonly SourceRoot[];
}

/**
 * A SARIF 2.1.0 log of one run, written as it goes: the tool and its rules first, then one result
 * per chain as each is given, then the end of the run. A report of any size never has to exist as
 * one string. Each result sits at the chain's caller in the repository (through the source roots),
 * else at the HAR file it came from.
 */
export class SarifWriter {
  readonly #sink: (text: string) => void;
  readonly #roots: readonly SourceRoot[];
  #results = 0;
  #finished = false;

  constructor(options: SarifOptions, sink: (text: string) => void) {
    this.#sink = sink;
    this.#roots = options.sourceRoots;
    const tool = {
      driver: {
        name: "Ratelens",
        version: options.version,
        semanticVersion: /^\d+\.\d+\.\d+/.test(options.version) ? options.version : undefined,
        rules: sarifRules(),
      },
    };
    sink(
      `{\n  "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",\n  "version": "2.1.0",\n  "runs": [\n    {\n      "tool": ${JSON.stringify(tool)},\n      "columnKind": "utf16CodeUnits",\n      "results": [`,
    );
  }

  /** One result for the chain, written at once. `har` is the file it was read from, as given. */
  chain(chain: Chain, har: string): void {
    this.append(this.resultText(chain, har));
  }

  /**
   * The chain's result as JSON, to be written later with `append`: a caller that holds results
   * until their file is read whole (the CLI) keeps their text, not the chains.
   */
  resultText(chain: Chain, har: string): string {
    return JSON.stringify(this.#result(chain, har));
  }

  /** A result `resultText` made, written now. */
  append(resultText: string): void {
    if (this.#finished) throw new Error("SarifWriter: a result after finish()");
    this.#sink(`${this.#results === 0 ? "" : ","}\n        ${resultText}`);
    this.#results++;
  }

  /** Closes the results and the run: nothing may be written after. */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#sink(
      `${this.#results === 0 ? "" : "\n      "}],\n      "originalUriBaseIds": ${JSON.stringify({ "%SRCROOT%": { description: { text: "The repository's root: where --source-root folders and relative HAR paths start." } } })}\n    }\n  ]\n}\n`,
    );
  }

  #result(chain: Chain, har: string) {
    const ruleId = chain.rules[0] ?? "retry-non-retryable";
    const caller = chain.caller;
    const mapped = caller === undefined ? undefined : sourcePath(caller.url, this.#roots);
    const cost = `Wasted ${plural(chain.wastedRequests, "request")}, ${seconds(chain.wastedSeconds * 1000)}, in ${plural(chain.attempts, "attempt")}.`;
    const advice =
      chain.library === undefined
        ? chain.advice
        : `${chain.library.name} (${chain.library.option}): ${chain.advice}`;
    const where =
      caller === undefined
        ? " Caller unknown: the recording has no stack for it."
        : mapped === undefined
          ? ` Sent from ${frameText(caller)}, outside every --source-root.`
          : "";
    const text = `${chain.method} ${chain.url}: ${chain.message}. ${cost} ${advice}${where}`;
    const harPath = har.replace(/\\/g, "/");
    const location =
      caller !== undefined && mapped !== undefined
        ? {
            physicalLocation: {
              artifactLocation: { uri: uriOf(mapped), uriBaseId: "%SRCROOT%" },
              region: {
                startLine: Math.max(1, caller.line),
                startColumn: Math.max(1, caller.column),
              },
            },
          }
        : {
            physicalLocation: {
              artifactLocation: harPath.startsWith("/")
                ? { uri: `file://${uriOf(harPath)}` }
                : /^[A-Za-z]:\//.test(harPath)
                  ? { uri: `file:///${harPath.slice(0, 2)}${uriOf(harPath.slice(2))}` }
                  : { uri: uriOf(harPath), uriBaseId: "%SRCROOT%" },
            },
          };
    const place =
      caller === undefined
        ? "-"
        : mapped === undefined
          ? `${pathOf(caller.url)}:${caller.line}`
          : `${mapped}:${caller.line}`;
    return {
      ruleId,
      ruleIndex: RULE_INDEX.get(ruleId) ?? 0,
      level: LEVEL[chain.severity],
      message: { text },
      locations: [location],
      partialFingerprints: {
        "ratelensChain/v1": hash([ruleId, place, chain.method, pathOf(chain.url)].join("\n")),
      },
      properties: {
        rules: chain.rules,
        entries: chain.entries,
        attempts: chain.attempts,
        wastedRequests: chain.wastedRequests,
        wastedSeconds: chain.wastedSeconds,
        har,
      },
    };
  }
}

/** A whole SARIF log of the chains as one text. */
export function toSarif(
  files: readonly { source: string; chains: readonly Chain[] }[],
  options: SarifOptions,
): string {
  const parts: string[] = [];
  const writer = new SarifWriter(options, (text) => parts.push(text));
  for (const file of files) for (const chain of file.chains) writer.chain(chain, file.source);
  writer.finish();
  return parts.join("");
}
