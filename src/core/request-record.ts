import { isTime } from "./guards.js";
import { type Exchange, responseStatusOf } from "./har/exchange.js";
import { parseHarTime } from "./har/har-time.js";
import { toHeaderMap } from "./headers/header-map.js";
import { isRateLimitHeader } from "./headers/is-rate-limit-header.js";
import { urlParts } from "./hosts.js";
import { isRecord } from "./is-record.js";
import { redactUrl } from "./redact/redact-har.js";
import type { DecodedError, HarEntry } from "./types.js";

/** A rate-limit response header: name lower-case, value clipped to MAX_HEADER_CHARS. */
interface RateLimitHeader {
  name: string;
  value: string;
}

/**
 * What is known about a request without its body: what webRequest reports of it, or what a panel
 * reads of its HAR entry. Enough for the budget and the per-host error counts, never a body, a
 * cookie or a credential: the URL's secrets are redacted and only rate-limit headers are kept. The
 * background keeps it in storage.session and the panel sends it to the background.
 */
export interface RequestRecord {
  /** Upper-case. */
  method: string;
  /** Secret query parameters and URL passwords redacted, at most MAX_URL_CHARS. */
  url: string;
  /** 0 when no response arrived. */
  status: number;
  /** Epoch ms, whole, the request started and its response ended (start <= end). */
  start: number;
  end: number;
  /** The response headers that speak of the rate limit, sorted by their `name: value` line. */
  rateLimit: RateLimitHeader[];
  /** The code decoded from the body, when a panel read it; null for a success or unknown. */
  code: string | null;
}

/** The fields of a finished webRequest event the core reads (no browser types in the core). */
interface WebRequestFields {
  url: string;
  method: string;
  /** Epoch ms the response ended (or the request failed). */
  timeStamp: number;
  /** Absent for a network error: no response arrived. */
  statusCode?: number;
  responseHeaders?: readonly { name: string; value?: string | undefined }[];
}

const MAX_URL_CHARS = 2048;
const MAX_HEADER_CHARS = 256;

/** A time a Date can hold (a message could bring 1e300). */
function isDate(ms: number): boolean {
  return isTime(ms) && Math.abs(ms) <= 8.64e15;
}

/**
 * The one place a record is made: the URL redacted (the HAR export's redaction, so both sides of a
 * join redact alike) and clipped, the headers filtered, times whole. Undefined without a method, a
 * URL or finite times.
 */
function makeRecord(
  method: string,
  url: string,
  status: unknown,
  start: number,
  end: number,
  headers: readonly { name: unknown; value?: unknown }[],
  code: string | null,
): RequestRecord | undefined {
  if (method === "" || url === "" || !isDate(start) || !isDate(end)) return undefined;
  const redacted = redactUrl(url);
  const ended = Math.round(end);
  return {
    method: method.toUpperCase(),
    url: redacted.length > MAX_URL_CHARS ? redacted.slice(0, MAX_URL_CHARS) : redacted,
    status: typeof status === "number" && Number.isInteger(status) && status > 0 ? status : 0,
    start: Math.min(ended, Math.round(start)),
    end: ended,
    rateLimit: rateLimitHeaders(headers),
    code,
  };
}

function rateLimitHeaders(
  headers: readonly { name: unknown; value?: unknown }[],
): RateLimitHeader[] {
  const kept: { line: string; header: RateLimitHeader }[] = [];
  for (const { name, value } of headers) {
    if (typeof name !== "string" || typeof value !== "string" || !isRateLimitHeader(name)) continue;
    const header = { name: name.toLowerCase(), value: value.slice(0, MAX_HEADER_CHARS) };
    kept.push({ line: `${header.name}: ${header.value}`, header });
  }
  return kept.sort((a, b) => (a.line < b.line ? -1 : a.line > b.line ? 1 : 0)).map((k) => k.header);
}

/**
 * A HAR entry as a record, with the code its analysis decoded; undefined for an entry without a
 * readable start. The end is the start plus the entry's `time`, as DevTools writes it.
 */
export function recordFromEntry(
  entry: HarEntry,
  analysis: { error: Pick<DecodedError, "code"> | undefined },
): RequestRecord | undefined {
  const start = parseHarTime(entry.startedDateTime);
  const time = Number.isFinite(entry.time) && entry.time > 0 ? entry.time : 0;
  return makeRecord(
    entry.request.method,
    entry.request.url,
    responseStatusOf(entry),
    start,
    start + time,
    entry.response.headers,
    analysis.error?.code ?? null,
  );
}

/**
 * A finished webRequest event as a record; `start` is when it began (onBeforeRequest), if known.
 * webRequest sees no body: the code is unknown.
 */
export function recordFromWebRequest(
  details: WebRequestFields,
  start: number | undefined,
): RequestRecord | undefined {
  return makeRecord(
    details.method,
    details.url,
    details.statusCode,
    start ?? details.timeStamp,
    details.timeStamp,
    details.responseHeaders ?? [],
    null,
  );
}

/**
 * A record as a message or storage brings it back, made again (redacted, filtered) so that
 * nothing but what a record may hold is kept; undefined for what is not one.
 */
export function readRecord(value: unknown): RequestRecord | undefined {
  if (!isRecord(value)) return undefined;
  const { method, url, status, start, end, rateLimit, code } = value;
  if (typeof method !== "string" || typeof url !== "string" || !isTime(start) || !isTime(end))
    return undefined;
  if (!(code === null || typeof code === "string") || !Array.isArray(rateLimit)) return undefined;
  const headers = rateLimit.filter(isRecord).map((h) => ({ name: h.name, value: h.value }));
  return makeRecord(method, url, status, start, end, headers, code);
}

/** The exchange the budget reads of a record: its host, times, status and headers. */
export function exchangeOfRecord(record: RequestRecord, index: number): Exchange {
  const parts = urlParts(record.url);
  return {
    index,
    method: record.method,
    url: record.url,
    parts,
    host: parts?.host ?? record.url,
    start: record.start,
    end: record.end,
    status: record.status,
    networkError: undefined,
    requestHeaders: new Map(),
    responseHeaders: toHeaderMap(record.rateLimit),
    requestBody: undefined,
    responseBody: { state: "empty" },
    mimeType: "",
    initiator: undefined,
    kind: "unknown",
    page: undefined,
    credentials: "",
  };
}
