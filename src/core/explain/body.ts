import { responseBodyOf } from "../har/exchange.js";
import type { HarEntry } from "../types.js";

/** Bodies longer than this are given cut, as plain text: a view stays responsive. */
export const MAX_BODY_CHARS = 256 * 1024;

/** A body as a view shows it: JSON as a value, anything else as text, never as markup. */
export type BodyContent =
  | { kind: "none"; reason: "empty" | "missing" | "undecodable" }
  | { kind: "none"; reason: "too-large"; size: number }
  | { kind: "json"; value: unknown }
  /** `length` is set when the text is cut to MAX_BODY_CHARS: the whole body's. */
  | { kind: "text"; text: string; length?: number };

function looksLikeJson(text: string, mimeType: string): boolean {
  const start = text.trimStart()[0];
  return mimeType.includes("json") || start === "{" || start === "[";
}

export function readBody(text: string, mimeType = ""): BodyContent {
  if (text.length > MAX_BODY_CHARS)
    return { kind: "text", text: text.slice(0, MAX_BODY_CHARS), length: text.length };
  if (looksLikeJson(text, mimeType.toLowerCase())) {
    try {
      return { kind: "json", value: JSON.parse(text) };
    } catch {
      // Not JSON after all (a truncated body, say): given as it came.
    }
  }
  return { kind: "text", text };
}

export function responseBody(entry: HarEntry): BodyContent {
  const body = responseBodyOf(entry.response.content);
  if (body.state === "too-large") return { kind: "none", reason: "too-large", size: body.size };
  if (body.state !== "text") return { kind: "none", reason: body.state };
  return readBody(body.text, String(entry.response.content?.mimeType ?? ""));
}

/** Undefined when the request sent no body. */
export function requestBody(entry: HarEntry): BodyContent | undefined {
  const text = entry.request.postData?.text;
  if (typeof text !== "string" || text === "") return undefined;
  return readBody(text, String(entry.request.postData?.mimeType ?? ""));
}
