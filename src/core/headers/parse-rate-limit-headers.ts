import { type Item, type List, parseList } from "structured-headers";
import type { HeaderMap } from "./header-map.js";

/** What one response says of the rate-limit budget; absent fields were not stated. */
export interface RateLimitHeaders {
  scheme: "x-ratelimit" | "ietf" | "ratelimit-trio";
  limit?: number;
  remaining?: number;
  /** Seconds from the response until the window resets. */
  resetDeltaSeconds?: number;
  /** Absolute reset time in server-clock epoch milliseconds. */
  resetAtServer?: number;
  windowSeconds?: number;
  policy?: string;
}

const INTEGER = /^\d{1,15}$/;
const NUMBER = /^\d{1,15}(?:\.\d{1,6})?$/;

function nonNegativeInteger(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  // Some servers repeat the field; the first value is the one the policy states.
  const first = value.split(",")[0]?.trim() ?? "";
  return INTEGER.test(first) ? Number(first) : undefined;
}

/**
 * X-RateLimit-Reset is documented as Unix seconds. Values below 10^9 cannot be a date after 2001
 * and are read as a delta in seconds; values above 10^12 are Unix milliseconds (some gateways).
 */
function xReset(
  value: string | undefined,
): Pick<RateLimitHeaders, "resetDeltaSeconds" | "resetAtServer"> {
  if (value === undefined) return {};
  // Repeated, the field reads as "a, b": the first value counts, as for the limit and remaining.
  const text = value.split(",")[0]?.trim() ?? "";
  if (!NUMBER.test(text)) return {};
  const n = Number(text);
  if (n < 1e9) return { resetDeltaSeconds: n };
  if (n > 1e12) return { resetAtServer: n };
  return { resetAtServer: n * 1000 };
}

function withoutUndefined(value: RateLimitHeaders): RateLimitHeaders {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as unknown as RateLimitHeaders;
}

function parseXRateLimit(headers: HeaderMap): RateLimitHeaders | undefined {
  const limit = nonNegativeInteger(headers.get("x-ratelimit-limit"));
  let remaining = nonNegativeInteger(headers.get("x-ratelimit-remaining"));
  const used = nonNegativeInteger(headers.get("x-ratelimit-used"));
  if (remaining === undefined && used !== undefined && limit !== undefined) {
    remaining = Math.max(0, limit - used);
  }
  const reset = xReset(headers.get("x-ratelimit-reset"));
  if (limit === undefined && remaining === undefined && Object.keys(reset).length === 0) {
    return undefined;
  }
  return withoutUndefined({ scheme: "x-ratelimit", limit, remaining, ...reset });
}

function safeList(value: string | undefined): List | undefined {
  if (value === undefined || value.length > 4096) return undefined;
  try {
    return parseList(value);
  } catch {
    return undefined;
  }
}

function isItem(member: List[number]): member is Item {
  return !Array.isArray(member[0]);
}

function itemName(item: Item): string | undefined {
  const bare = item[0];
  if (typeof bare === "string") return bare;
  // A Token serialises to its name.
  if (typeof bare === "object" && bare !== null && "toString" in bare) return String(bare);
  return undefined;
}

function intParam(item: Item, key: string): number | undefined {
  const value = item[1].get(key);
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/**
 * draft-ietf-httpapi-ratelimit-headers-10: `RateLimit: "default";r=50;t=30` and
 * `RateLimit-Policy: "default";q=100;w=60`. Of several limits, the one with the least
 * remaining is the one that binds.
 */
function parseIetf(headers: HeaderMap): RateLimitHeaders | undefined {
  const limits = safeList(headers.get("ratelimit"))?.filter(isItem) ?? [];
  const policies = safeList(headers.get("ratelimit-policy"))?.filter(isItem) ?? [];
  let binding: Item | undefined;
  for (const item of limits) {
    const r = intParam(item, "r");
    if (r === undefined) continue;
    if (binding === undefined || r < (intParam(binding, "r") ?? Number.POSITIVE_INFINITY)) {
      binding = item;
    }
  }
  if (binding === undefined) {
    if (policies.length === 0) return undefined;
    const policy = policies.find((p) => intParam(p, "q") !== undefined);
    if (policy === undefined) return undefined;
    return withoutUndefined({
      scheme: "ietf",
      limit: intParam(policy, "q"),
      windowSeconds: intParam(policy, "w"),
      policy: itemName(policy),
    });
  }
  const name = itemName(binding);
  const policy =
    policies.find((p) => itemName(p) === name) ?? (policies.length === 1 ? policies[0] : undefined);
  return withoutUndefined({
    scheme: "ietf",
    remaining: intParam(binding, "r"),
    resetDeltaSeconds: intParam(binding, "t"),
    limit: policy === undefined ? undefined : intParam(policy, "q"),
    windowSeconds: policy === undefined ? undefined : intParam(policy, "w"),
    policy: name,
  });
}

/** The earlier drafts' RateLimit-Limit / RateLimit-Remaining / RateLimit-Reset (delta seconds). */
function parseTrio(headers: HeaderMap): RateLimitHeaders | undefined {
  const limit = nonNegativeInteger(headers.get("ratelimit-limit"));
  const remaining = nonNegativeInteger(headers.get("ratelimit-remaining"));
  const reset = nonNegativeInteger(headers.get("ratelimit-reset"));
  if (limit === undefined && remaining === undefined && reset === undefined) return undefined;
  return withoutUndefined({ scheme: "ratelimit-trio", limit, remaining, resetDeltaSeconds: reset });
}

/** The budget a response states, preferring the standard fields, or undefined when none parse. */
export function parseRateLimitHeaders(headers: HeaderMap): RateLimitHeaders | undefined {
  return parseIetf(headers) ?? parseTrio(headers) ?? parseXRateLimit(headers);
}
