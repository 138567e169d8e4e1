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

/**
 * The problem types draft-ietf-httpapi-ratelimit-headers-11 defines, registered as
 * `https://iana.org/assignments/http-problem-types#<name>`, and what each says of retrying, as
 * docs/decoding-and-retries.md's "IETF RateLimit problem types" reads them.
 */
const IETF_PROBLEMS = {
  "quota-exceeded": {
    retryable: true,
    advice:
      "Quota exceeded: send nothing under the violated policies until their quota resets (the RateLimit field's t, or Retry-After), then retry.",
  },
  "temporary-reduced-capacity": {
    retryable: true,
    advice:
      "The server's capacity is temporarily reduced: retry later with exponential backoff, within the lower quota its RateLimit-Policy states.",
  },
  "abnormal-usage-detected": {
    retryable: false,
    advice:
      "Do not retry as is: the server flagged the client's request pattern as abnormal. Change how it calls (rate, concurrency, retries) before sending again.",
  },
} as const;

type IetfProblem = keyof typeof IETF_PROBLEMS;

/** A type URI ending in one of the draft's names (after `#`, `/` or `:`), that name. */
const IETF_TYPE =
  /(?:^|[#/:])(quota-exceeded|temporary-reduced-capacity|abnormal-usage-detected)\/?$/;

function ietfProblem(type: string | undefined): IetfProblem | undefined {
  const name = type === undefined ? undefined : IETF_TYPE.exec(type)?.[1];
  return name === undefined ? undefined : (name as IetfProblem);
}

/** So many names are plenty for a report; a body is the server's to make as long as it likes. */
const MAX_POLICIES = 16;
const MAX_POLICY_CHARS = 200;

/** `violated-policies`: the names of the policies whose quota ran out, when it is an array of strings. */
function violatedPolicies(json: JsonObject | undefined): string[] | undefined {
  const value = json?.["violated-policies"];
  if (!Array.isArray(value) || value.length === 0) return undefined;
  if (!value.every((name): name is string => typeof name === "string")) return undefined;
  return value.slice(0, MAX_POLICIES).map((name) => name.slice(0, MAX_POLICY_CHARS));
}

export function decodeProblem(body: ResponseBody): BodyFields {
  const json = readJsonObject(body);
  const type = stringField(json, "type");
  const ietf = ietfProblem(type);
  const fields: BodyFields = {
    provider: "problem",
    code: ietf ?? problemTypeTail(type),
    title: stringField(json, "title") ?? null,
    message: stringField(json, "detail") ?? null,
    contract: [],
  };
  if (ietf !== undefined) fields.retry = IETF_PROBLEMS[ietf];
  const policies = violatedPolicies(json);
  if (policies !== undefined) fields.violatedPolicies = policies;
  return fields;
}
