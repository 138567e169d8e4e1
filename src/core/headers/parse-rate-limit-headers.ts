import { type Item, type List, parseList } from "structured-headers";
import type { HeaderMap } from "./header-map.js";
import { parseHttpDate } from "./parse-http-date.js";

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

/** The X-RateLimit families: `x-ratelimit-` (GitHub, Casola, most APIs) and Okta's `x-rate-limit-`. */
export const X_RATE_LIMIT_PREFIXES = ["x-ratelimit-", "x-rate-limit-"] as const;
type XPrefix = (typeof X_RATE_LIMIT_PREFIXES)[number];
const X_FIELDS = ["limit", "remaining", "used", "reset"] as const;

/** GitHub's name of the budget a response drew on (core, graphql, search, ...). */
const RESOURCE_HEADER = "x-ratelimit-resource";

/**
 * Every header name (lower case) parseRateLimitHeaders and rateLimitResourceOf read: what the
 * background keeps of a response and the panel reports to it (isRateLimitHeader) is derived from
 * this list, so a family added here is never dropped on the way.
 */
export const RATE_LIMIT_HEADER_NAMES: readonly string[] = [
  "ratelimit",
  "ratelimit-policy",
  "ratelimit-limit",
  "ratelimit-remaining",
  "ratelimit-reset",
  "ratelimit-resettime",
  ...X_RATE_LIMIT_PREFIXES.flatMap((prefix) => X_FIELDS.map((field) => `${prefix}${field}`)),
  RESOURCE_HEADER,
];

const INTEGER = /^\d{1,15}$/;
const NUMBER = /^\d{1,15}(?:\.\d{1,6})?$/;

function nonNegativeInteger(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  // Some servers repeat the field; the first value is the one the policy states.
  const comma = value.indexOf(",");
  const first = (comma < 0 ? value : value.slice(0, comma)).trim();
  return INTEGER.test(first) ? Number(first) : undefined;
}

/**
 * One reading of a reset number for every family (X-RateLimit-Reset, X-Rate-Limit-Reset,
 * RateLimit-Reset, IETF `t=`): documents disagree (GitHub and GitLab send Unix seconds where the
 * drafts say delta-seconds), the number does not. Below 10^9 it cannot be a date after 2001 and
 * is a delta in seconds; no window lasts 31 years, so 10^9 and above is Unix seconds, and above
 * 10^12 Unix milliseconds (some gateways).
 */
export function readResetNumber(
  n: number,
): Pick<RateLimitHeaders, "resetDeltaSeconds" | "resetAtServer"> {
  if (!Number.isFinite(n) || n < 0) return {};
  if (n < 1e9) return { resetDeltaSeconds: n };
  if (n > 1e12) return { resetAtServer: n };
  return { resetAtServer: n * 1000 };
}

function xReset(
  value: string | undefined,
): Pick<RateLimitHeaders, "resetDeltaSeconds" | "resetAtServer"> {
  if (value === undefined) return {};
  // Repeated, the field reads as "a, b": the first value counts, as for the limit and remaining.
  const comma = value.indexOf(",");
  const text = (comma < 0 ? value : value.slice(0, comma)).trim();
  if (!NUMBER.test(text)) return {};
  return readResetNumber(Number(text));
}

function withoutUndefined(value: RateLimitHeaders): RateLimitHeaders {
  // A loop, not Object.fromEntries: this runs for every response with rate-limit headers.
  const result: Record<string, unknown> = {};
  for (const key in value) {
    const v = value[key as keyof RateLimitHeaders];
    if (v !== undefined) result[key] = v;
  }
  return result as unknown as RateLimitHeaders;
}

/** `x-ratelimit-` (GitHub, Casola, most APIs) or Okta's hyphenated `x-rate-limit-`. */
function parseXRateLimit(headers: HeaderMap, prefix: XPrefix): RateLimitHeaders | undefined {
  const limit = nonNegativeInteger(headers.get(`${prefix}limit`));
  let remaining = nonNegativeInteger(headers.get(`${prefix}remaining`));
  const used = nonNegativeInteger(headers.get(`${prefix}used`));
  if (remaining === undefined && used !== undefined && limit !== undefined) {
    remaining = Math.max(0, limit - used);
  }
  const reset = xReset(headers.get(`${prefix}reset`));
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
    ...resetOf(intParam(binding, "t")),
    limit: policy === undefined ? undefined : intParam(policy, "q"),
    windowSeconds: policy === undefined ? undefined : intParam(policy, "w"),
    policy: name,
  });
}

function resetOf(
  n: number | undefined,
): Pick<RateLimitHeaders, "resetDeltaSeconds" | "resetAtServer"> {
  return n === undefined ? {} : readResetNumber(n);
}

/**
 * The earlier drafts' RateLimit-Limit / RateLimit-Remaining / RateLimit-Reset (delta seconds by
 * the drafts, Unix seconds from GitLab and DigitalOcean: see readResetNumber), and GitLab's
 * RateLimit-ResetTime, an HTTP-date, when no number is given.
 */
function parseTrio(headers: HeaderMap): RateLimitHeaders | undefined {
  const limit = nonNegativeInteger(headers.get("ratelimit-limit"));
  const remaining = nonNegativeInteger(headers.get("ratelimit-remaining"));
  let reset = xReset(headers.get("ratelimit-reset"));
  if (Object.keys(reset).length === 0) {
    const at = parseHttpDate(headers.get("ratelimit-resettime"));
    if (at !== undefined) reset = { resetAtServer: at };
  }
  if (limit === undefined && remaining === undefined && Object.keys(reset).length === 0)
    return undefined;
  return withoutUndefined({ scheme: "ratelimit-trio", limit, remaining, ...reset });
}

/** The budget a response states, preferring the standard fields, or undefined when none parse. */
export function parseRateLimitHeaders(headers: HeaderMap): RateLimitHeaders | undefined {
  return (
    parseIetf(headers) ??
    parseTrio(headers) ??
    parseXRateLimit(headers, "x-ratelimit-") ??
    parseXRateLimit(headers, "x-rate-limit-")
  );
}

/**
 * The budget a response drew on when the host keeps several (GitHub's `x-ratelimit-resource`:
 * core, graphql, search, ...), lower-cased; undefined when it names none.
 */
export function rateLimitResourceOf(headers: HeaderMap): string | undefined {
  const value = headers.get(RESOURCE_HEADER)?.split(",")[0]?.trim().toLowerCase();
  return value === undefined || value === "" || value.length > 64 ? undefined : value;
}
