import { type Exchange, toExchange } from "../har/exchange.js";
import type { HarEntry } from "../types.js";

/** The start of every test timeline unless a test says otherwise: a whole second, in UTC. */
export const T0 = Date.parse("2026-11-23T10:00:00.000Z");

/** Header fields as a record, or as ordered pairs when a name repeats. */
export type HeaderInput = Readonly<Record<string, string>> | readonly (readonly [string, string])[];

export interface EntryOptions {
  url?: string;
  method?: string;
  status?: number;
  headers?: HeaderInput;
  /** The response body as text; with `base64`, stored base64-encoded as Chrome does for binary. */
  body?: string;
  base64?: boolean;
  mimeType?: string;
  /** An ISO 8601 string, or epoch milliseconds. */
  startedDateTime?: string | number;
  /** Milliseconds from the request's start to the end of its response. */
  time?: number;
  requestHeaders?: HeaderInput;
  postData?: string;
}

export function harHeaders(input: HeaderInput | undefined): { name: string; value: string }[] {
  if (input === undefined) return [];
  const pairs: readonly (readonly [string, string])[] = Array.isArray(input)
    ? input
    : Object.entries(input);
  return pairs.map(([name, value]) => ({ name, value }));
}

function mimeTypeOf(body: string | undefined): string {
  const text = body?.trimStart() ?? "";
  if (text.startsWith("{") || text.startsWith("[")) return "application/json";
  if (text.startsWith("<")) return "text/html";
  return text === "" ? "" : "text/plain";
}

/** A HAR entry with only what a test names; the rest is what Chrome writes for a plain request. */
export function entry(options: EntryOptions = {}): HarEntry {
  const body = options.body ?? "";
  const started = options.startedDateTime ?? T0;
  const time = options.time ?? 100;
  const har: HarEntry = {
    startedDateTime: typeof started === "number" ? new Date(started).toISOString() : started,
    time,
    request: {
      method: options.method ?? "GET",
      url: options.url ?? "https://api.casola.ai/v1/jobs",
      httpVersion: "HTTP/2",
      cookies: [],
      headers: harHeaders(options.requestHeaders),
      queryString: [],
      headersSize: -1,
      bodySize: options.postData?.length ?? 0,
    },
    response: {
      status: options.status ?? 200,
      statusText: "",
      httpVersion: "HTTP/2",
      cookies: [],
      headers: harHeaders(options.headers),
      content: {
        size: body.length,
        mimeType: options.mimeType ?? mimeTypeOf(body),
        text: options.base64 ? Buffer.from(body, "utf8").toString("base64") : body,
        ...(options.base64 ? { encoding: "base64" } : {}),
      },
      redirectURL: "",
      headersSize: -1,
      bodySize: body.length,
    },
    cache: {},
    timings: { send: 0, wait: time, receive: 0 },
  };
  if (options.postData !== undefined) {
    har.request.postData = { mimeType: "application/json", text: options.postData };
  }
  return har;
}

/** The entry as the analysis reads it. */
export function exchange(options: EntryOptions = {}, index = 0): Exchange {
  return toExchange(entry(options), index);
}

/** An HTTP-date (IMF-fixdate) for epoch milliseconds. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}
