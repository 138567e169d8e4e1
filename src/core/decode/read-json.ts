import type { ResponseBody } from "../har/exchange.js";
import { isRecord } from "../is-record.js";

export type JsonObject = Record<string, unknown>;

/** A JSON object of a body: the core's isRecord. */
export const isJsonObject = isRecord;

/** The body as a JSON object, or undefined for HTML, text, arrays, empty or missing bodies. */
export function readJsonObject(body: ResponseBody): JsonObject | undefined {
  if (body.state !== "text") return undefined;
  const text = body.text.trimStart();
  if (!text.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function stringField(object: JsonObject | undefined, key: string): string | undefined {
  const value = object?.[key];
  return typeof value === "string" ? value : undefined;
}
