import type { Har } from "har-format";
import { type Exchange, toExchange } from "../../src/core/har/exchange.js";
import type { HarEntry } from "../../src/core/types.js";

/**
 * The one HAR builder of the tests: `entry` builds a request with only what the test names (the
 * rest is what Chrome writes for a plain request); `call` is `entry` in the scenario fixtures'
 * terms (a Chrome export of the demo client, times in seconds after T0, the calling line), and
 * `har` wraps entries in a log.
 */

/** The start of every test timeline unless a test says otherwise: a whole second, in UTC. */
export const T0 = Date.parse("2026-11-23T10:00:00.000Z");

export interface Call {
  /** Seconds after T0 at which the request starts. */
  at: number;
  /** Seconds the exchange takes (default 0.1). */
  duration?: number;
  method?: string;
  url: string;
  body?: string;
  requestHeaders?: Record<string, string>;
  status: number;
  headers?: Record<string, string>;
  /** A JSON value for the response body, or a string taken as is. */
  json?: unknown;
  text?: string;
  mimeType?: string;
  base64?: boolean;
  /** The calling function and its 1-based line in the demo client. */
  caller?: { fn: string; line: number };
}

const CLIENT = "http://127.0.0.1:5173/demo/client.js";

/** One HAR entry the way Chrome's DevTools exports it, times in seconds after T0. */
export function call(c: Call): HarEntry {
  const text = c.text ?? (c.json === undefined ? "" : JSON.stringify(c.json));
  const mimeType = c.mimeType ?? (c.json === undefined ? "text/plain" : "application/json");
  const built = entry({
    startedDateTime: T0 + c.at * 1000,
    time: (c.duration ?? 0.1) * 1000,
    method: c.method ?? "GET",
    url: c.url,
    httpVersion: "HTTP/1.1",
    requestHeaders: { authorization: "Bearer <redacted>", ...c.requestHeaders },
    postData: c.body,
    status: c.status,
    headers: { "content-type": mimeType, ...c.headers },
    body: text,
    mimeType,
    base64: c.base64,
  });
  if (c.caller !== undefined) {
    built._initiator = {
      type: "script",
      stack: {
        callFrames: [
          {
            functionName: c.caller.fn,
            url: CLIENT,
            lineNumber: c.caller.line - 1,
            columnNumber: 10,
          },
          {
            functionName: "onclick",
            url: "http://127.0.0.1:5173/demo/",
            lineNumber: 11,
            columnNumber: 2,
          },
        ],
      },
    };
  }
  return built;
}

export function har(entries: HarEntry[]): Har {
  return {
    log: {
      version: "1.2",
      creator: { name: "ratelens-fixtures", version: "1" },
      pages: [],
      entries: entries as Har["log"]["entries"],
    },
  };
}

/** A server Date header for a time `seconds` after T0, shifted by `skew` seconds. */
export function dateHeader(seconds: number, skew = 0): string {
  return new Date(T0 + (seconds + skew) * 1000).toUTCString();
}

export function unixSeconds(seconds: number, skew = 0): string {
  return String(Math.floor((T0 + (seconds + skew) * 1000) / 1000));
}

export const CASOLA = "https://api.casola.ai/v1";
export const CUADRA = "https://api.cuadra.ai/v1";

export function casolaError(code: string, message = code.replace(/_/g, " ")) {
  return { error: { code, message } };
}

export function problem(status: number, title: string, detail: string) {
  return { type: "about:blank", title, status, detail };
}

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
  /** Of request and response; Chrome writes `HTTP/2` for most API calls (default). */
  httpVersion?: string;
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
  const httpVersion = options.httpVersion ?? "HTTP/2";
  const started = options.startedDateTime ?? T0;
  const time = options.time ?? 100;
  const har: HarEntry = {
    startedDateTime: typeof started === "number" ? new Date(started).toISOString() : started,
    time,
    request: {
      method: options.method ?? "GET",
      url: options.url ?? "https://api.casola.ai/v1/jobs",
      httpVersion,
      cookies: [],
      headers: harHeaders(options.requestHeaders),
      queryString: [],
      headersSize: -1,
      bodySize: options.postData?.length ?? 0,
    },
    response: {
      status: options.status ?? 200,
      statusText: "",
      httpVersion,
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
