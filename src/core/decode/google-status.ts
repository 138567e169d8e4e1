import type { BodyFields } from "./body-fields.js";
import { isJsonObject, type JsonObject, stringField } from "./read-json.js";

/** The names of google.rpc.Code, as a Google API error's `status` spells them. */
const GOOGLE_CODES: ReadonlySet<string> = new Set([
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "UNAUTHENTICATED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
]);

/**
 * Google's error model on RESOURCE_EXHAUSTED: a quota or rate limit ran out, and the server may
 * state in RetryInfo how long to wait.
 */
const RESOURCE_EXHAUSTED = {
  retryable: true,
  advice:
    "Rate limited (RESOURCE_EXHAUSTED): wait the RetryInfo retryDelay the error states before retrying (without one, back off exponentially), and check the quota it names.",
} as const;

/**
 * The `error` object of a Google API error, `{"error": {"code": 429, "message", "status":
 * "RESOURCE_EXHAUSTED", "details": [...]}}` (google.rpc.Status as JSON: the HTTP status as `code`,
 * the google.rpc.Code name as `status`), read with the name as its code and `details` as given.
 */
export function readGoogleError(
  error: JsonObject,
): Omit<BodyFields, "provider" | "contract"> | undefined {
  const status = stringField(error, "status");
  if (typeof error.code !== "number" || status === undefined || !GOOGLE_CODES.has(status))
    return undefined;
  const fields: Omit<BodyFields, "provider" | "contract"> = {
    code: status,
    title: null,
    message: stringField(error, "message") ?? null,
  };
  if ("details" in error) fields.details = error.details;
  if (status === "RESOURCE_EXHAUSTED") fields.retry = RESOURCE_EXHAUSTED;
  return fields;
}

const RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo";

/**
 * google.protobuf.Duration in its JSON form: seconds with up to 9 fractional digits and an `s`
 * ("38s", "0.5s", "1.000340s"). A negative one states no wait, and neither does any other form.
 */
const DURATION = /^(\d{1,12})(?:\.(\d{1,9}))?s$/;

function durationSeconds(value: unknown): number | undefined {
  const match = typeof value === "string" ? DURATION.exec(value) : null;
  if (match?.[1] === undefined) return undefined;
  return Number(match[1]) + Number(`0.${match[2] ?? "0"}`);
}

/** Only the first few details are read: a body is the server's to make as long as it likes. */
const MAX_DETAILS = 16;

/**
 * The wait a google.rpc.RetryInfo in a Google error's `details` states, in seconds: its
 * `retryDelay`. Only a RetryInfo in the details array counts, as
 * docs/decoding-and-retries.md's "Server-stated waits" says.
 */
export function retryInfoSeconds(details: unknown): number | undefined {
  if (!Array.isArray(details)) return undefined;
  for (const detail of details.slice(0, MAX_DETAILS)) {
    if (isJsonObject(detail) && detail["@type"] === RETRY_INFO)
      return durationSeconds(detail.retryDelay);
  }
  return undefined;
}
