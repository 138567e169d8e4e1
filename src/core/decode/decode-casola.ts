import { casolaCode } from "../catalog/casola.js";
import type { ResponseBody } from "../har/exchange.js";
import type { HeaderMap } from "../headers/header-map.js";
import type { BodyFields } from "./body-fields.js";
import { isJsonObject, readJsonObject, stringField } from "./read-json.js";

const ENVELOPE = 'the documented {"error": {"code", "message"}} envelope';

/** `{"error": {"code", "message", "details"?}}`, and the breaches of Casola's documented contract. */
export function decodeCasola(status: number, body: ResponseBody, headers: HeaderMap): BodyFields {
  const contract: string[] = [];
  const json = readJsonObject(body);
  const error = isJsonObject(json?.error) ? json.error : undefined;
  if (body.state === "empty")
    contract.push(`the ${status} response has an empty body instead of ${ENVELOPE}`);
  else if (body.state === "text" && error === undefined)
    contract.push(`the body is not ${ENVELOPE}`);

  const code = stringField(error, "code") ?? null;
  const message = stringField(error, "message") ?? null;
  if (error !== undefined && code === null)
    contract.push('error.code is missing (the envelope always has "code")');
  if (error !== undefined && message === null) {
    contract.push('error.message is missing (the envelope always has "message")');
  }
  const documented = casolaCode(code);
  if (code !== null && documented === undefined)
    contract.push(`error code "${code}" is not documented`);
  if (documented !== undefined && documented.status !== status) {
    contract.push(
      `code ${code} is documented as HTTP ${documented.status}, but the status was ${status}`,
    );
  }
  if (code === "rate_limit" && status === 429) {
    if (!headers.has("retry-after") && !headers.has("retry-after-ms")) {
      contract.push("a 429 rate_limit without the documented Retry-After header");
    }
    const missing = ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"].filter(
      (h) => !headers.has(h),
    );
    if (missing.length > 0)
      contract.push(`a 429 rate_limit without the documented ${missing.join(", ")} header(s)`);
    const remaining = headers.get("x-ratelimit-remaining");
    if (remaining !== undefined && remaining.trim() !== "0") {
      contract.push(
        `X-RateLimit-Remaining is ${remaining.trim()} on a 429 (documented as always 0)`,
      );
    }
  }
  const fields: BodyFields = {
    provider: "casola",
    code,
    title: documented?.meaning ?? null,
    message,
    contract,
  };
  if (error !== undefined && "details" in error) fields.details = error.details;
  return fields;
}
