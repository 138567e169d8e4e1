import type { ResponseBody } from "../har/exchange.js";

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

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
