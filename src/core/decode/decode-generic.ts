import type { ResponseBody } from "../har/exchange.js";
import type { BodyFields } from "./body-fields.js";
import { readGoogleError } from "./google-status.js";
import { isJsonObject, type JsonObject, readJsonObject, stringField } from "./read-json.js";

function scalar(value: unknown): string | undefined {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

type GenericFields = Omit<BodyFields, "provider" | "contract">;

/** A name-like `id` (DigitalOcean's "Unauthorized", "too_many_requests"), not a record's id. */
const CODE_LIKE = /^[A-Za-z][\w.:-]{0,63}$/;

/**
 * GitLab's `{"message": {"error": "..."}}`, or its validation form
 * `{"message": {"name": ["has already been taken"]}}`, as one line.
 */
function messageObjectText(message: JsonObject): string | undefined {
  const error = message.error;
  if (typeof error === "string" && error !== "") return error;
  const parts: string[] = [];
  for (const [field, value] of Object.entries(message).slice(0, 8)) {
    const texts = (Array.isArray(value) ? value : [value]).filter(
      (v): v is string => typeof v === "string" && v !== "",
    );
    if (texts.length > 0) parts.push(`${field}: ${texts.join(", ")}`);
  }
  return parts.length === 0 ? undefined : parts.join("; ");
}

/** GraphQL: `{"errors": [{"message", "extensions": {"code"}}]}` (or GitHub's `type`). */
function readGraphQl(json: JsonObject): GenericFields | undefined {
  const [first] = Array.isArray(json.errors) ? json.errors : [];
  if (!isJsonObject(first)) return undefined;
  const message = stringField(first, "message");
  const extensions = isJsonObject(first.extensions) ? first.extensions : undefined;
  const code = scalar(extensions?.code) ?? scalar(first.type);
  if (message === undefined && code === undefined) return undefined;
  return { code: code ?? null, title: null, message: message ?? null };
}

/** Okta: `{"errorCode": "E0000047", "errorSummary": "API call exceeded rate limit ..."}`. */
function readOkta(json: JsonObject): GenericFields | undefined {
  const code = scalar(json.errorCode);
  const summary = stringField(json, "errorSummary");
  if (code === undefined && summary === undefined) return undefined;
  return { code: code ?? null, title: null, message: summary ?? null };
}

/**
 * A Google API error (its `status` name as the code), `error.code`/`error.type` +
 * `error.message`, OAuth's `error` + `error_description`, Okta's
 * `errorCode` + `errorSummary`, GraphQL's `errors[]`, or `message` (a string, or GitLab's object)
 * with `code` or DigitalOcean's `id`.
 */
export function readGeneric(json: JsonObject | undefined): GenericFields | undefined {
  if (json === undefined) return undefined;
  const error = json.error;
  if (isJsonObject(error)) {
    const google = readGoogleError(error);
    if (google !== undefined) return google;
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
  const okta = readOkta(json);
  if (okta !== undefined) return okta;
  const graphql = readGraphQl(json);
  if (graphql !== undefined) return graphql;
  const message = isJsonObject(json.message)
    ? messageObjectText(json.message)
    : stringField(json, "message");
  if (message === undefined) return undefined;
  const id = typeof json.id === "string" && CODE_LIKE.test(json.id) ? json.id : undefined;
  return { code: scalar(json.code) ?? id ?? null, title: null, message };
}

export function decodeGeneric(body: ResponseBody): BodyFields {
  const fields = readGeneric(readJsonObject(body));
  return { provider: "generic", code: null, title: null, message: null, ...fields, contract: [] };
}
