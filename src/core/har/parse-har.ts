import type { HarEntry } from "../types.js";

export type ParsedHar = { ok: true; entries: HarEntry[] } | { ok: false; message: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Why an entry cannot be analysed, naming the field, or undefined when it can. */
export function invalidEntryReason(entry: unknown): string | undefined {
  if (!isObject(entry)) return "is not an object";
  if (
    typeof entry.startedDateTime !== "string" ||
    !Number.isFinite(Date.parse(entry.startedDateTime))
  ) {
    return "has no valid startedDateTime";
  }
  const request = entry.request;
  if (!isObject(request)) return "has no request";
  if (typeof request.method !== "string" || request.method === "") return "has no request.method";
  if (typeof request.url !== "string" || request.url === "") return "has no request.url";
  const response = entry.response;
  if (!isObject(response)) return "has no response";
  if (typeof response.status !== "number" || !Number.isFinite(response.status))
    return "has no numeric response.status";
  for (const [name, headers] of [
    ["request.headers", request.headers],
    ["response.headers", response.headers],
  ] as const) {
    if (headers !== undefined && !Array.isArray(headers)) return `has ${name} that is not an array`;
  }
  return undefined;
}

const MAX_DETAIL_CHARS = 160;

/**
 * The parser's message quotes the input around the error: a terminal, a CI log or the panel must
 * show it on one line, without the file's control characters or a megabyte of it.
 */
function oneLine(detail: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  const flat = detail.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").trim();
  return flat.length > MAX_DETAIL_CHARS ? `${flat.slice(0, MAX_DETAIL_CHARS - 1)}…` : flat;
}

/** Reads HAR text into entries, or says in one line why it is not a HAR Ratelens can read. */
export function parseHar(text: string): ParsedHar {
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
  for (let i = 0; i < entries.length; i++) {
    const reason = invalidEntryReason(entries[i]);
    if (reason !== undefined)
      return { ok: false, message: `invalid HAR: log.entries[${i}] ${reason}` };
  }
  return { ok: true, entries: entries as HarEntry[] };
}
