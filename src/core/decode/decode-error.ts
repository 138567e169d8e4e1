import { casolaCode } from "../catalog/casola.js";
import { CUADRA_STATUSES } from "../catalog/cuadra.js";
import { type Exchange, isErrorStatus } from "../har/exchange.js";
import { isRateLimitRefusal, isRetryable } from "../retryable.js";
import type { DecodedError, ProviderId } from "../types.js";
import type { BodyFields } from "./body-fields.js";
import { decodeCasola } from "./decode-casola.js";
import { decodeCuadra } from "./decode-cuadra.js";
import { decodeGeneric, readGeneric } from "./decode-generic.js";
import { decodeProblem, isProblemShape } from "./decode-problem.js";
import { readJsonObject } from "./read-json.js";
import { statedWait } from "./stated-wait.js";

// The budget and the header explanations read a stated Retry-After here too.
export { retryAfterDelaySeconds } from "./stated-wait.js";

function decodeBody(exchange: Exchange, hostProvider: ProviderId | undefined): BodyFields {
  const { status, responseBody: body, responseHeaders: headers } = exchange;
  switch (hostProvider) {
    case "casola":
      return decodeCasola(status, body, headers);
    case "cuadra":
      return decodeCuadra(status, body, headers);
    case "problem":
      return decodeProblem(body);
    case "generic":
      return decodeGeneric(body);
    case undefined: {
      const json = readJsonObject(body);
      if (exchange.mimeType.startsWith("application/problem+json") || isProblemShape(json)) {
        return decodeProblem(body);
      }
      const generic = readGeneric(json);
      if (generic !== undefined) return { provider: "generic", ...generic, contract: [] };
      return { provider: null, code: null, title: null, message: null, contract: [] };
    }
  }
}

const RATE_LIMIT_REFUSAL =
  "Rate limited: send nothing to this host until the Retry-After has passed or, while X-RateLimit-Remaining is 0, until X-RateLimit-Reset (GitHub documents both); then retry.";

function adviceFor(fields: BodyFields, exchange: Exchange, retryable: boolean): string {
  const { status } = exchange;
  if (fields.provider === "casola") {
    const documented = casolaCode(fields.code);
    if (documented !== undefined) return documented.advice;
  }
  if (fields.provider === "cuadra") {
    const documented = CUADRA_STATUSES[status];
    if (documented !== undefined) return documented.advice;
  }
  if (status === 0) {
    return "No response arrived (network error, CORS failure or abort): retry with exponential backoff.";
  }
  if (fields.retry !== undefined) return fields.retry.advice;
  if (retryable && isRateLimitRefusal(status, exchange.responseHeaders)) return RATE_LIMIT_REFUSAL;
  return retryable
    ? "Retry with exponential backoff and jitter, honoring Retry-After when the response sends one."
    : "Do not retry: the request will fail the same way until it is changed.";
}

/** One decoded error for a response with status >= 400 or no response at all; undefined otherwise. */
export function decodeError(
  exchange: Exchange,
  hostProvider: ProviderId | undefined,
): DecodedError | undefined {
  const { status } = exchange;
  if (!isErrorStatus(status)) return undefined;
  const fields: BodyFields =
    status === 0
      ? {
          provider: hostProvider ?? null,
          code: null,
          title: "No response",
          message:
            exchange.networkError === undefined
              ? "The request got no response (network error, CORS failure or abort)."
              : `The request got no response: ${exchange.networkError}.`,
          contract: [],
        }
      : decodeBody(exchange, hostProvider);
  const retryable = isRetryable(
    fields.provider,
    status,
    fields.code,
    exchange.responseHeaders,
    fields.retry?.retryable,
  );
  const decoded: DecodedError = {
    provider: fields.provider,
    status,
    code: fields.code,
    title: fields.title,
    message: fields.message,
    retryable,
    advice: adviceFor(fields, exchange, retryable),
    contract: fields.contract,
  };
  if (fields.details !== undefined) decoded.details = fields.details;
  if (fields.credits !== undefined) decoded.credits = fields.credits;
  if (fields.scope !== undefined) decoded.scope = fields.scope;
  if (fields.violatedPolicies !== undefined) decoded.violatedPolicies = fields.violatedPolicies;
  if (exchange.networkError !== undefined) decoded.networkError = exchange.networkError;
  const wait = statedWait(exchange, decoded);
  if (wait !== undefined) decoded.retryAfterSeconds = wait.seconds;
  return decoded;
}
