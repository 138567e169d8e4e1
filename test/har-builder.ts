import type { Har } from "har-format";
import type { HarEntry } from "../src/core/types.js";

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

function headerList(record: Record<string, string> | undefined) {
  return Object.entries(record ?? {}).map(([name, value]) => ({ name, value }));
}

/** One HAR entry the way Chrome's DevTools exports it, times in seconds after T0. */
export function call(c: Call): HarEntry {
  const duration = (c.duration ?? 0.1) * 1000;
  const text = c.text ?? (c.json === undefined ? "" : JSON.stringify(c.json));
  const mimeType = c.mimeType ?? (c.json === undefined ? "text/plain" : "application/json");
  const entry: HarEntry = {
    startedDateTime: new Date(T0 + c.at * 1000).toISOString(),
    time: duration,
    request: {
      method: c.method ?? "GET",
      url: c.url,
      httpVersion: "HTTP/1.1",
      cookies: [],
      headers: headerList({ authorization: "Bearer <redacted>", ...c.requestHeaders }),
      queryString: [],
      headersSize: -1,
      bodySize: c.body === undefined ? 0 : c.body.length,
      ...(c.body === undefined ? {} : { postData: { mimeType: "application/json", text: c.body } }),
    },
    response: {
      status: c.status,
      statusText: "",
      httpVersion: "HTTP/1.1",
      cookies: [],
      headers: headerList({ "content-type": mimeType, ...c.headers }),
      content: {
        size: text.length,
        mimeType,
        text: c.base64 ? Buffer.from(text, "utf8").toString("base64") : text,
        ...(c.base64 ? { encoding: "base64" } : {}),
      },
      redirectURL: "",
      headersSize: -1,
      bodySize: text.length,
    },
    cache: {},
    timings: { send: 0, wait: duration, receive: 0 },
  };
  if (c.caller !== undefined) {
    entry._initiator = {
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
  return entry;
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
