import type { ResponseBody } from "../har/exchange.js";
import type { BodyFields } from "./body-fields.js";
import { isJsonObject, type JsonObject, readJsonObject, stringField } from "./read-json.js";

function scalar(value: unknown): string | undefined {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/** `error.code`/`error.type` + `error.message`, OAuth's `error` + `error_description`, or `message`. */
export function readGeneric(
  json: JsonObject | undefined,
): Omit<BodyFields, "provider" | "contract"> | undefined {
  if (json === undefined) return undefined;
  const error = json.error;
  if (isJsonObject(error)) {
    const code = scalar(error.code) ?? scalar(error.type);
    const message = stringField(error, "message");
    if (code !== undefined || message !== undefined) {
      return { code: code ?? null, title: null, message: message ?? null };
    }
  }
  if (typeof error === "string" && error !== "") {
    return {
      code: error,
      title: null,
      message: stringField(json, "error_description") ?? stringField(json, "message") ?? null,
    };
  }
  const message = stringField(json, "message");
  if (message !== undefined) return { code: scalar(json.code) ?? null, title: null, message };
  return undefined;
}

export function decodeGeneric(body: ResponseBody): BodyFields {
  const fields = readGeneric(readJsonObject(body));
  return { provider: "generic", code: null, title: null, message: null, ...fields, contract: [] };
}
