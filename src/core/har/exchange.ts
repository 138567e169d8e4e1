import { type HeaderMap, toHeaderMap } from "../headers/header-map.js";
import { type UrlParts, urlParts } from "../hosts.js";
import { isRecord } from "../is-record.js";
import type { CallerFrame, HarEntry } from "../types.js";
import { credentialsOf } from "./credentials.js";
import { parseHarTime } from "./har-time.js";
import { callerOf } from "./initiator.js";
import { type RequestKind, requestKindOf } from "./request-kind.js";

/** Error bodies larger than this are decoded from the status alone (a proxy's 50 MB page, say). */
export const MAX_DECODED_BODY_CHARS = 8 * 1024 * 1024;

/** A HAR entry reduced to what the analysis reads; times are epoch milliseconds. */
export interface Exchange {
  index: number;
  method: string;
  url: string;
  parts: UrlParts | undefined;
  /** Budget key: `hostname` or `hostname:port`; the whole URL when it does not parse. */
  host: string;
  start: number;
  end: number;
  /** 0 when no response arrived (a network error, CORS failure or abort). */
  status: number;
  /** Why no response arrived, as the recorder put it (Chrome's `_error`, Playwright's `_failureText`). */
  networkError: string | undefined;
  requestHeaders: HeaderMap;
  responseHeaders: HeaderMap;
  requestBody: string | undefined;
  responseBody: ResponseBody;
  mimeType: string;
  initiator: CallerFrame | undefined;
  /**
   * Chrome's `_initiator` as recorded, for the whole call stack (callerStack): read into frames
   * only when a finding needs them (its library, the developer's own caller). Absent for a
   * request known without its entry.
   */
  stackSource?: HarEntry["_initiator"];
  /** Whether the page's code made the request, or the browser loaded it for the page. */
  kind: RequestKind;
  /** The page load the request belongs to (`pageref`), when the recorder marks them. */
  page: string | undefined;
  /** A fingerprint of the credentials sent (see credentialsOf); "" when none. */
  credentials: string;
}

export type ResponseBody =
  | { state: "text"; text: string }
  | { state: "empty" }
  | { state: "missing" }
  | { state: "too-large"; size: number }
  | { state: "undecodable" };

function decodeBase64(text: string): string | undefined {
  try {
    const binary = atob(text.replace(/\s+/g, ""));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

export function responseBodyOf(content: HarEntry["response"]["content"] | undefined): ResponseBody {
  const text = content?.text;
  if (typeof text !== "string") {
    return (content?.size ?? 0) > 0 ? { state: "missing" } : { state: "empty" };
  }
  if (text.length === 0) return { state: "empty" };
  // base64 inflates by 4/3: judge the decoded size before decoding it.
  const base64 = content?.encoding === "base64";
  const size = base64 ? Math.floor((text.length * 3) / 4) : text.length;
  if (size > MAX_DECODED_BODY_CHARS) return { state: "too-large", size };
  if (!base64) return { state: "text", text };
  const decoded = decodeBase64(text);
  return decoded === undefined ? { state: "undecodable" } : { state: "text", text: decoded };
}

function durationOf(entry: HarEntry): number {
  if (typeof entry.time === "number" && Number.isFinite(entry.time) && entry.time >= 0)
    return entry.time;
  const timings: unknown = entry.timings;
  if (!isRecord(timings)) return 0;
  let sum = 0;
  for (const key of ["blocked", "dns", "connect", "send", "wait", "receive"]) {
    const value = timings[key];
    if (typeof value === "number" && Number.isFinite(value) && value > 0) sum += value;
  }
  return sum;
}

/**
 * The response status, 0 when none arrived: browsers write 0, Playwright -1, some tools leave the
 * field null.
 */
export function responseStatusOf(entry: HarEntry): number {
  const status: unknown = entry.response?.status;
  return typeof status === "number" && Number.isInteger(status) && status > 0 ? status : 0;
}

/**
 * A failed request, as the retry rules and every view count one: an HTTP error (>= 400) or no
 * response at all (0, which responseStatusOf makes of -1 and null too).
 */
export function isErrorStatus(status: number): boolean {
  return status >= 400 || !(status > 0);
}

/** Chrome's `response._error` ("net::ERR_INTERNET_DISCONNECTED"), Playwright's `_failureText`. */
export function networkErrorOf(entry: HarEntry): string | undefined {
  const response: unknown = entry.response;
  const candidates = [
    isRecord(response) ? response._error : undefined,
    isRecord(response) ? response._failureText : undefined,
    (entry as { _error?: unknown })._error,
  ];
  for (const value of candidates) {
    if (typeof value === "string" && value.trim() !== "") return value.trim().slice(0, 200);
  }
  return undefined;
}

export function toExchange(entry: HarEntry, index: number): Exchange {
  const start = parseHarTime(entry.startedDateTime);
  const url = entry.request.url;
  const parts = urlParts(url);
  const postData = entry.request.postData;
  const status = responseStatusOf(entry);
  const requestHeaders = toHeaderMap(entry.request.headers);
  const extra = entry as { _resourceType?: unknown; pageref?: unknown };
  return {
    index,
    method: entry.request.method.toUpperCase(),
    url,
    parts,
    host: parts?.host ?? url,
    start,
    end: start + durationOf(entry),
    status,
    networkError: status === 0 ? networkErrorOf(entry) : undefined,
    requestHeaders,
    responseHeaders: toHeaderMap(entry.response.headers),
    requestBody: typeof postData?.text === "string" ? postData.text : undefined,
    responseBody: responseBodyOf(entry.response.content),
    mimeType: String(entry.response.content?.mimeType ?? "").toLowerCase(),
    initiator: callerOf(entry),
    stackSource: entry._initiator,
    kind: requestKindOf(extra._resourceType, requestHeaders),
    page: typeof extra.pageref === "string" && extra.pageref !== "" ? extra.pageref : undefined,
    credentials: credentialsOf(requestHeaders, entry.request.cookies),
  };
}
