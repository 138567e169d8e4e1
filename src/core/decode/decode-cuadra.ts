import { CUADRA_STATUSES } from "../catalog/cuadra.js";
import type { ResponseBody } from "../har/exchange.js";
import type { HeaderMap } from "../headers/header-map.js";
import type { BodyFields } from "./body-fields.js";
import { isProblemShape } from "./decode-problem.js";
import { readJsonObject, stringField } from "./read-json.js";

const CREDITS = /required:\s*(\d{1,12})\s*credits?\b.*?available:\s*(\d{1,12})\s*credits?\b/is;
const SCOPE = /missing required scope:\s*([^\s,;]+)/i;

/** "Insufficient credits. Required: 75 credits. Available: 50 credits." -> {75, 50} */
export function parseCredits(
  detail: string | undefined,
): { required: number; available: number } | undefined {
  const match = detail === undefined ? null : CREDITS.exec(detail.slice(0, 4096));
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { required: Number(match[1]), available: Number(match[2]) };
}

/** "Missing required scope: chat:invoke" -> "chat:invoke" */
export function parseScope(detail: string | undefined): string | undefined {
  const match = detail === undefined ? null : SCOPE.exec(detail.slice(0, 4096));
  return match?.[1]?.replace(/\.$/, "");
}

export function cuadraCode(status: number): string {
  return CUADRA_STATUSES[status]?.code ?? `http_${status}`;
}

/** RFC 7807 problem details as Cuadra's error documentation describes them. */
export function decodeCuadra(status: number, body: ResponseBody, headers: HeaderMap): BodyFields {
  const contract: string[] = [];
  const json = readJsonObject(body);
  if (body.state === "empty")
    contract.push(`the ${status} response has an empty body instead of problem details`);
  else if (body.state === "text" && json === undefined)
    contract.push("the body is not RFC 7807 problem details JSON");
  else if (json !== undefined && !isProblemShape(json)) {
    contract.push('the problem details lack a numeric "status" or a string "title"');
  }
  if (json !== undefined && typeof json.status === "number" && json.status !== status) {
    contract.push(`the problem "status" is ${json.status}, but the HTTP status was ${status}`);
  }
  if (status === 429 && !headers.has("retry-after") && !headers.has("retry-after-ms")) {
    contract.push("a 429 without the documented Retry-After header");
  }
  const detail = stringField(json, "detail");
  const fields: BodyFields = {
    provider: "cuadra",
    code: cuadraCode(status),
    title: stringField(json, "title") ?? CUADRA_STATUSES[status]?.title ?? null,
    message: detail ?? null,
    contract,
  };
  const credits = status === 402 ? parseCredits(detail) : undefined;
  if (credits !== undefined) fields.credits = credits;
  const scope = status === 403 ? parseScope(detail) : undefined;
  if (scope !== undefined) fields.scope = scope;
  return fields;
}
