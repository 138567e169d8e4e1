import type { ResponseBody } from "../har/exchange.js";
import type { BodyFields } from "./body-fields.js";
import { type JsonObject, readJsonObject, stringField } from "./read-json.js";

/** RFC 9457 section 3: a JSON object with a numeric `status` and a string `title`. */
export function isProblemShape(json: JsonObject | undefined): json is JsonObject {
  return json !== undefined && typeof json.status === "number" && typeof json.title === "string";
}

/** The last path segment of a problem `type` URI: `https://x.dev/probs/out-of-credit` -> `out-of-credit`. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function problemTypeTail(type: string | undefined): string | null {
  if (type === undefined || type === "" || type === "about:blank") return null;
  // An http(s) type names the problem in its path: "https://x.dev/" has none, not "x.dev".
  if (/^https?:\/\//i.test(type)) {
    const path = URL.canParse(type) ? new URL(type).pathname : "";
    const segment = path
      .split("/")
      .filter((s) => s !== "")
      .pop();
    return segment === undefined ? null : safeDecode(segment);
  }
  const tail = type
    .replace(/[?#].*$/, "")
    .replace(/\/+$/, "")
    .split(/[/:]/)
    .pop();
  return tail === undefined || tail === "" ? null : tail;
}

export function decodeProblem(body: ResponseBody): BodyFields {
  const json = readJsonObject(body);
  return {
    provider: "problem",
    code: problemTypeTail(stringField(json, "type")),
    title: stringField(json, "title") ?? null,
    message: stringField(json, "detail") ?? null,
    contract: [],
  };
}
