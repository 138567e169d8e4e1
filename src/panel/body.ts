import { responseBodyOf } from "../core/har/exchange.js";
import type { HarEntry } from "../core/types.js";
import { formatSize } from "../ui/format.js";

/** Bodies longer than this are shown cut, as plain text: the panel stays responsive. */
export const MAX_BODY_CHARS = 256 * 1024;

export type BodyView =
  | { kind: "none"; note: string }
  | { kind: "json"; value: unknown }
  | { kind: "text"; text: string; note?: string };

function looksLikeJson(text: string, mimeType: string): boolean {
  const start = text.trimStart()[0];
  return mimeType.includes("json") || start === "{" || start === "[";
}

/** A body as the detail pane shows it: JSON as a tree, anything else as text, never as markup. */
export function bodyView(text: string, mimeType = ""): BodyView {
  if (text.length > MAX_BODY_CHARS) {
    const cut = text.length - MAX_BODY_CHARS;
    return {
      kind: "text",
      text: text.slice(0, MAX_BODY_CHARS),
      note: `Showing the first ${formatSize(MAX_BODY_CHARS)} of ${formatSize(text.length)}: ${formatSize(cut)} cut.`,
    };
  }
  if (looksLikeJson(text, mimeType.toLowerCase())) {
    try {
      return { kind: "json", value: JSON.parse(text) };
    } catch {
      // Not JSON after all (a truncated body, say): shown as it came.
    }
  }
  return { kind: "text", text };
}

export function responseBodyView(entry: HarEntry): BodyView {
  const body = responseBodyOf(entry.response.content);
  switch (body.state) {
    case "empty":
      return { kind: "none", note: "No response body." };
    case "missing":
      return { kind: "none", note: "The response body was not recorded." };
    case "too-large":
      return { kind: "none", note: `The body is too large to show (${formatSize(body.size)}).` };
    case "undecodable":
      return { kind: "none", note: "The body is base64 that does not decode." };
    case "text":
      return bodyView(body.text, String(entry.response.content?.mimeType ?? ""));
  }
}

export function requestBodyView(entry: HarEntry): BodyView | undefined {
  const text = entry.request.postData?.text;
  if (typeof text !== "string" || text === "") return undefined;
  return bodyView(text, String(entry.request.postData?.mimeType ?? ""));
}
