import type { HeaderMap } from "./header-map.js";
import {
  githubResource,
  intParam,
  itemName,
  type MeterReading,
  readResetNumber,
  safeList,
  trioFields,
  xRateLimitFields,
} from "./parse-meters.js";

/** What one response says of the rate-limit budget; absent fields were not stated. */
export interface RateLimitHeaders
  extends Pick<
    MeterReading,
    "limit" | "remaining" | "resetDeltaSeconds" | "resetAtServer" | "windowSeconds"
  > {
  scheme: "x-ratelimit" | "ietf" | "ratelimit-trio";
  policy?: string;
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

/**
 * draft-ietf-httpapi-ratelimit-headers-10: `RateLimit: "default";r=50;t=30` and
 * `RateLimit-Policy: "default";q=100;w=60`. Of several limits, the one with the least
 * remaining is the one that binds.
 */
function parseIetf(headers: HeaderMap): RateLimitHeaders | undefined {
  const limits = safeList(headers.get("ratelimit"));
  const policies = safeList(headers.get("ratelimit-policy"));
  let binding: (typeof limits)[number] | undefined;
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
  const t = intParam(binding, "t");
  return withoutUndefined({
    scheme: "ietf",
    remaining: intParam(binding, "r"),
    ...(t === undefined ? {} : readResetNumber(t)),
    limit: policy === undefined ? undefined : intParam(policy, "q"),
    windowSeconds: policy === undefined ? undefined : intParam(policy, "w"),
    policy: name,
  });
}

function scheme(
  name: RateLimitHeaders["scheme"],
  fields: ReturnType<typeof trioFields>,
): RateLimitHeaders | undefined {
  return fields === undefined ? undefined : withoutUndefined({ scheme: name, ...fields });
}

/** The budget a response states, preferring the standard fields, or undefined when none parse. */
export function parseRateLimitHeaders(headers: HeaderMap): RateLimitHeaders | undefined {
  return (
    parseIetf(headers) ??
    scheme("ratelimit-trio", trioFields(headers)) ??
    scheme("x-ratelimit", xRateLimitFields(headers, "x-ratelimit-")) ??
    scheme("x-ratelimit", xRateLimitFields(headers, "x-rate-limit-"))
  );
}

/**
 * The budget a response drew on when the host keeps several (GitHub's `x-ratelimit-resource`:
 * core, graphql, search, ...), lower-cased; undefined when it names none. The name of the
 * response's GitHub meter (parseMeters).
 */
export function rateLimitResourceOf(headers: HeaderMap): string | undefined {
  return githubResource(headers);
}
