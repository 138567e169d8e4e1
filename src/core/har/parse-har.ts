import { isRecord as isObject } from "../is-record.js";
import type { HarEntry } from "../types.js";
import { looksLikeUtf16, oneLine, UTF16_MESSAGE } from "../visible-text.js";
import { parseHarTime } from "./har-time.js";

/** An entry left out of the analysis, and why: `{index, reason}` in the CLI's JSON. */
export interface SkippedEntry {
  /** Its position in `log.entries`. */
  index: number;
  reason: string;
}

export type ParsedHar =
  | {
      ok: true;
      /** The entries that can be analysed, in file order. */
      entries: HarEntry[];
      /** The position in `log.entries` of each of `entries`. */
      indices: number[];
      skipped: SkippedEntry[];
    }
  | { ok: false; message: string };

export interface ParseHarOptions {
  /** All or nothing: the first entry that cannot be read rejects the file. */
  strict?: boolean;
}

/** Why an entry cannot be analysed, naming the field, or undefined when it can. */
export function invalidEntryReason(entry: unknown): string | undefined {
  if (!isObject(entry)) return "is not an object";
  if (!Number.isFinite(parseHarTime(entry.startedDateTime))) {
    return "has no valid startedDateTime";
  }
  const request = entry.request;
  if (!isObject(request)) return "has no request";
  if (typeof request.method !== "string" || request.method === "") return "has no request.method";
  if (typeof request.url !== "string" || request.url === "") return "has no request.url";
  const response = entry.response;
  if (!isObject(response)) return "has no response";
  // No status (null, or the field left out) is no response, as 0 and Playwright's -1 are: the
  // analysis reads it as status 0 (responseStatusOf).
  const status = response.status;
  if (
    status !== undefined &&
    status !== null &&
    (typeof status !== "number" || !Number.isFinite(status))
  )
    return "has no numeric response.status";
  for (const [name, headers] of [
    ["request.headers", request.headers],
    ["response.headers", response.headers],
  ] as const) {
    if (headers !== undefined && !Array.isArray(headers)) return `has ${name} that is not an array`;
  }
  return undefined;
}

/**
 * Reads HAR text into entries, or says in one line why it is not a HAR Ratelens can read. An
 * entry that cannot be analysed (no method, no time, `{}`) is skipped and listed, unless
 * `strict`; the file is rejected only when no entry at all could be read.
 */
export function parseHar(input: string, options: ParseHarOptions = {}): ParsedHar {
  // JSON.parse would quote its first character: two U+FFFD, or a NUL, and no word of why.
  if (looksLikeUtf16(input)) return { ok: false, message: UTF16_MESSAGE };
  // Fiddler and some saved Chrome exports start with a UTF-8 byte-order mark, which JSON forbids.
  const text = input.startsWith("\uFEFF") ? input.slice(1) : input;
  if (text.trim() === "") return { ok: false, message: "the file is empty" };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = oneLine(error instanceof Error ? error.message : String(error));
    return { ok: false, message: `not valid JSON (truncated or not a HAR file): ${detail}` };
  }
  if (!isObject(json) || !isObject(json.log))
    return { ok: false, message: 'not a HAR file: no "log" object' };
  const entries = json.log.entries;
  if (!Array.isArray(entries))
    return { ok: false, message: 'not a HAR file: "log.entries" is not an array' };
  const usable: HarEntry[] = [];
  const indices: number[] = [];
  const skipped: SkippedEntry[] = [];
  for (let i = 0; i < entries.length; i++) {
    const reason = invalidEntryReason(entries[i]);
    if (reason === undefined) {
      usable.push(entries[i] as HarEntry);
      indices.push(i);
      continue;
    }
    if (options.strict) return { ok: false, message: `invalid HAR: log.entries[${i}] ${reason}` };
    skipped.push({ index: i, reason });
  }
  const [first] = skipped;
  if (usable.length === 0 && first !== undefined) {
    const more = skipped.length > 1 ? ` (and ${skipped.length - 1} more)` : "";
    return {
      ok: false,
      message: `no entry could be read: log.entries[${first.index}] ${first.reason}${more}`,
    };
  }
  return { ok: true, entries: usable, indices, skipped };
}
