import type { BodyContent } from "../core/explain/body.js";
import { formatSize } from "../ui/format.js";

export type BodyView =
  | { kind: "none"; note: string }
  | { kind: "json"; value: unknown }
  | { kind: "text"; text: string; note?: string };

const NONE_NOTES = {
  empty: "No response body.",
  missing: "The response body was not recorded.",
  undecodable: "The body is base64 that does not decode.",
} as const;

/** The core's reading of a body, with the notes the detail pane shows beside it. */
export function bodyView(body: BodyContent): BodyView {
  switch (body.kind) {
    case "none":
      return body.reason === "too-large"
        ? { kind: "none", note: `The body is too large to show (${formatSize(body.size)}).` }
        : { kind: "none", note: NONE_NOTES[body.reason] };
    case "json":
      return body;
    case "text": {
      if (body.length === undefined) return { kind: "text", text: body.text };
      const cut = body.length - body.text.length;
      return {
        kind: "text",
        text: body.text,
        note: `Showing the first ${formatSize(body.text.length)} of ${formatSize(body.length)}: ${formatSize(cut)} cut.`,
      };
    }
  }
}
