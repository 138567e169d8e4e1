import { type Item, type List, parseList } from "structured-headers";
import type { HeaderMap } from "./header-map.js";
import { parseHttpDate } from "./parse-http-date.js";

/** One budget a response states (docs/decoding-and-retries.md, "Header families"). */
export interface MeterReading {
  /** "requests", "tokens", "input-tokens", a GitHub resource, an IETF policy name, ... */
  name: string;
  family:
    | "x-ratelimit"
    | "github"
    | "okta"
    | "ratelimit-trio"
    | "ietf"
    | "openai"
    | "anthropic"
    | "azure"
    | "mistral";
  /** Whether each request draws exactly one from it. */
  unit: "requests" | "tokens";
  /** GitHub's resource meters: only requests whose response names the resource draw on it. */
  scoped?: true;
  limit?: number;
  remaining?: number;
  /** Seconds from the response until the meter resets. */
  resetDeltaSeconds?: number;
  /** Absolute reset time in server-clock epoch milliseconds. */
  resetAtServer?: number;
  windowSeconds?: number;
}

type Reset = Pick<MeterReading, "resetDeltaSeconds" | "resetAtServer">;
type Fields = Pick<MeterReading, "limit" | "remaining" | "windowSeconds"> & Reset;

/** The X-RateLimit families: `x-ratelimit-` (GitHub, Casola, most APIs) and Okta's `x-rate-limit-`. */
const X_RATE_LIMIT_PREFIXES = ["x-ratelimit-", "x-rate-limit-"] as const;
type XPrefix = (typeof X_RATE_LIMIT_PREFIXES)[number];

/** GitHub's name of the budget a response drew on (core, graphql, search, ...). */
const RESOURCE_HEADER = "x-ratelimit-resource";

/** A meter of the several-meter families: its name and unit, and the headers that state it. */
interface MeterHeaders {
  name: string;
  unit: MeterReading["unit"];
  limit: string;
  remaining: string;
  /** Absent where the family states no reset (Mistral). */
  reset?: string;
  windowSeconds?: number;
}

/** OpenAI's and Groq's `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`; Azure's remaining only. */
const OPENAI_METERS: readonly MeterHeaders[] = (["requests", "tokens"] as const).map((name) => ({
  name,
  unit: name,
  limit: `x-ratelimit-limit-${name}`,
  remaining: `x-ratelimit-remaining-${name}`,
  reset: `x-ratelimit-reset-${name}`,
}));
const ANTHROPIC_PREFIX = "anthropic-ratelimit-";
const ANTHROPIC_METERS: readonly MeterHeaders[] = (
  ["requests", "tokens", "input-tokens", "output-tokens"] as const
).map((name) => ({
  name,
  unit: name === "requests" ? "requests" : "tokens",
  limit: `${ANTHROPIC_PREFIX}${name}-limit`,
  remaining: `${ANTHROPIC_PREFIX}${name}-remaining`,
  reset: `${ANTHROPIC_PREFIX}${name}-reset`,
}));
/** A Mistral meter: `x-ratelimit-{limit,remaining}-<infix>`, no reset stated. */
function mistral(
  infix: string,
  name: string,
  unit: MeterReading["unit"],
  windowSeconds: number,
): MeterHeaders {
  const limit = `x-ratelimit-limit-${infix}`;
  return { name, unit, windowSeconds, limit, remaining: `x-ratelimit-remaining-${infix}` };
}
/** Mistral's meters, named after what they count and per what (the headers say `req`). */
const MISTRAL_METERS: readonly MeterHeaders[] = [
  mistral("tokens-minute", "tokens-minute", "tokens", 60),
  mistral("tokens-month", "tokens-month", "tokens", 30 * 86_400),
  mistral("req-minute", "requests-minute", "requests", 60),
];
function xNames(prefix: XPrefix) {
  const name = (field: string) => `${prefix}${field}`;
  return {
    limit: name("limit"),
    remaining: name("remaining"),
    used: name("used"),
    reset: name("reset"),
  };
}
const X_NAMES = {
  "x-ratelimit-": xNames("x-ratelimit-"),
  "x-rate-limit-": xNames("x-rate-limit-"),
};

/** The prefixes whose every field is a number or a time the background may keep (isRateLimitHeader). */
export const RATE_LIMIT_HEADER_PREFIXES = [...X_RATE_LIMIT_PREFIXES, ANTHROPIC_PREFIX] as const;

/**
 * Every header name (lower case) parseMeters reads: what the background keeps of a response and
 * the panel reports to it (isRateLimitHeader) is derived from this list, so a family added here
 * is never dropped on the way.
 */
export const RATE_LIMIT_HEADER_NAMES: readonly string[] = [
  "ratelimit",
  "ratelimit-policy",
  "ratelimit-limit",
  "ratelimit-remaining",
  "ratelimit-reset",
  "ratelimit-resettime",
  ...X_RATE_LIMIT_PREFIXES.flatMap((prefix) => Object.values(X_NAMES[prefix])),
  RESOURCE_HEADER,
  ...[...OPENAI_METERS, ...ANTHROPIC_METERS, ...MISTRAL_METERS].flatMap((meter) =>
    [meter.limit, meter.remaining, meter.reset].filter((name) => name !== undefined),
  ),
];

const INTEGER = /^\d{1,15}$/;
const NUMBER = /^\d{1,15}(?:\.\d{1,6})?$/;
/** Of a hostile response, this many IETF policies at most become meters. */
const MAX_POLICIES = 16;
const MAX_NAME_LENGTH = 64;

/** Some servers repeat a field, which reads as "a, b" (toHeaderMap): the first value counts. */
function firstValue(value: string): string {
  const comma = value.indexOf(",");
  return (comma < 0 ? value : value.slice(0, comma)).trim();
}

function nonNegativeInteger(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const first = firstValue(value);
  return INTEGER.test(first) ? Number(first) : undefined;
}

/**
 * One reading of a reset number for every family (X-RateLimit-Reset, X-Rate-Limit-Reset,
 * RateLimit-Reset, IETF `t=`): documents disagree (GitHub and GitLab send Unix seconds where the
 * drafts say delta-seconds), the number does not. Below 10^9 it cannot be a date after 2001 and
 * is a delta in seconds; no window lasts 31 years, so 10^9 and above is Unix seconds, and above
 * 10^12 Unix milliseconds (some gateways).
 */
function readResetNumber(n: number): Reset {
  if (!Number.isFinite(n) || n < 0) return {};
  if (n < 1e9) return { resetDeltaSeconds: n };
  if (n > 1e12) return { resetAtServer: n };
  return { resetAtServer: n * 1000 };
}

/** A reset stated as a number (X-RateLimit-Reset and kin), read by readResetNumber. */
function numericReset(value: string | undefined): Reset {
  if (value === undefined) return {};
  const text = firstValue(value);
  return NUMBER.test(text) ? readResetNumber(Number(text)) : {};
}

const DURATION_PART = /(\d{1,12}(?:\.\d{1,9})?)(h|ms|m|s|us|µs|μs|ns)/y;
const DURATION_SECONDS: Readonly<Record<string, number>> = {
  h: 3600,
  m: 60,
  s: 1,
  ms: 1e-3,
  us: 1e-6,
  µs: 1e-6,
  μs: 1e-6,
  ns: 1e-9,
};

/**
 * A Go duration as OpenAI and Groq write their resets (`120ms`, `6m0s`, `23h47m36.648s`,
 * `7.66s`), in seconds; undefined for anything else (a sign, a bare number, an unknown unit).
 */
export function parseGoDuration(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = firstValue(value);
  if (text === "0") return 0;
  if (text === "" || text.length > 40) return undefined;
  let seconds = 0;
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < text.length) {
    const part = DURATION_PART.exec(text);
    const unit = part?.[2];
    if (part === null || unit === undefined) return undefined;
    seconds += Number(part[1]) * (DURATION_SECONDS[unit] ?? Number.NaN);
  }
  // Sums of binary fractions: `1.1s` must not come out as 1.1000000000000003.
  return Number.isFinite(seconds) ? Math.round(seconds * 1e9) / 1e9 : undefined;
}

const RFC_3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/**
 * An RFC 3339 date-time (Anthropic's resets: `2026-11-23T10:01:00Z`, `...T12:01:00.5+02:00`) in
 * epoch milliseconds. Date.parse accepts far more than RFC 3339 and rolls "31 Feb" into March,
 * so the fields are checked one by one.
 */
export function parseRfc3339(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = RFC_3339.exec(firstValue(value));
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = Number((match[7] ?? "").padEnd(3, "0").slice(0, 3));
  const offsetHours = Number(match[9] ?? 0);
  const offsetMinutes = Number(match[10] ?? 0);
  if (year < 1970 || hour > 23 || minute > 59 || second > 59) return undefined;
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const date = new Date(local);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  const sign = match[8] === "-" ? -1 : 1;
  return local - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
}

function hasAny(fields: Fields): boolean {
  return (
    fields.limit !== undefined ||
    fields.remaining !== undefined ||
    fields.resetDeltaSeconds !== undefined ||
    fields.resetAtServer !== undefined
  );
}

function reading(
  name: string,
  family: MeterReading["family"],
  unit: MeterReading["unit"],
  fields: Fields,
  scoped?: true,
): MeterReading {
  // Only the stated fields: an absent one was not said, and tests compare readings whole.
  const result: MeterReading = { name, family, unit };
  if (scoped) result.scoped = true;
  if (fields.limit !== undefined) result.limit = fields.limit;
  if (fields.remaining !== undefined) result.remaining = fields.remaining;
  if (fields.resetDeltaSeconds !== undefined) result.resetDeltaSeconds = fields.resetDeltaSeconds;
  if (fields.resetAtServer !== undefined) result.resetAtServer = fields.resetAtServer;
  if (fields.windowSeconds !== undefined) result.windowSeconds = fields.windowSeconds;
  return result;
}

/** Limit, remaining (or limit minus used) and reset of `x-ratelimit-` or Okta's `x-rate-limit-`. */
function xRateLimitFields(headers: HeaderMap, prefix: XPrefix): Fields | undefined {
  const names = X_NAMES[prefix];
  const limitText = headers.get(names.limit);
  const remainingText = headers.get(names.remaining);
  const usedText = headers.get(names.used);
  const resetText = headers.get(names.reset);
  if (limitText === undefined && remainingText === undefined && resetText === undefined)
    return undefined;
  const limit = nonNegativeInteger(limitText);
  let remaining = nonNegativeInteger(remainingText);
  const used = nonNegativeInteger(usedText);
  if (remaining === undefined && used !== undefined && limit !== undefined) {
    remaining = Math.max(0, limit - used);
  }
  const fields = { limit, remaining, ...numericReset(resetText) };
  return hasAny(fields) ? fields : undefined;
}

/**
 * The earlier drafts' RateLimit-Limit / RateLimit-Remaining / RateLimit-Reset (delta seconds by
 * the drafts, Unix seconds from GitLab and DigitalOcean: see readResetNumber), and GitLab's
 * RateLimit-ResetTime, an HTTP-date, when no number is given.
 */
function trioFields(headers: HeaderMap): Fields | undefined {
  const limitText = headers.get("ratelimit-limit");
  const remainingText = headers.get("ratelimit-remaining");
  const resetText = headers.get("ratelimit-reset");
  const resetTime = headers.get("ratelimit-resettime");
  if (
    limitText === undefined &&
    remainingText === undefined &&
    resetText === undefined &&
    resetTime === undefined
  )
    return undefined;
  let reset = numericReset(resetText);
  if (reset.resetAtServer === undefined && reset.resetDeltaSeconds === undefined) {
    const at = parseHttpDate(resetTime);
    if (at !== undefined) reset = { resetAtServer: at };
  }
  const fields = {
    limit: nonNegativeInteger(limitText),
    remaining: nonNegativeInteger(remainingText),
    ...reset,
  };
  return hasAny(fields) ? fields : undefined;
}

function safeList(value: string | undefined): Item[] {
  if (value === undefined || value.length > 4096) return [];
  let list: List;
  try {
    list = parseList(value);
  } catch {
    return [];
  }
  // An inner list is no quota item.
  return list.filter((member): member is Item => !Array.isArray(member[0]));
}

function itemName(item: Item): string | undefined {
  const bare = item[0];
  // A Token serialises to its name.
  const name =
    typeof bare === "string"
      ? bare
      : typeof bare === "object" && bare !== null && "toString" in bare
        ? String(bare)
        : undefined;
  return name === undefined || name === "" || name.length > MAX_NAME_LENGTH ? undefined : name;
}

function intParam(item: Item, key: string): number | undefined {
  const value = item[1].get(key);
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/**
 * draft-ietf-httpapi-ratelimit-headers-11: one meter per policy of `RateLimit-Policy:
 * "default";q=100;w=60`, its remaining and reset from the `RateLimit: "default";r=50;t=30` item of
 * the same name. A policy without such an item still states its quota; an item without a policy,
 * or without `r`, states what it can (nothing, without `r`).
 */
function ietfMeters(headers: HeaderMap): MeterReading[] {
  const policies = headers.get("ratelimit-policy");
  const limits = headers.get("ratelimit");
  if (policies === undefined && limits === undefined) return [];
  const fields = new Map<string, Fields & { unit: MeterReading["unit"] }>();
  for (const policy of safeList(policies)) {
    const name = itemName(policy);
    const limit = intParam(policy, "q");
    if (name === undefined || limit === undefined || fields.has(name)) continue;
    if (fields.size >= MAX_POLICIES) break;
    // `qu` other than requests (content-bytes, concurrent-requests): a request draws more or less than one.
    const quotaUnit = policy[1].get("qu");
    const unit =
      quotaUnit === undefined || String(quotaUnit) === "requests" ? "requests" : "tokens";
    fields.set(name, { unit, limit, windowSeconds: intParam(policy, "w") });
  }
  const seen = new Set<string>();
  for (const item of safeList(limits)) {
    const name = itemName(item);
    const remaining = intParam(item, "r");
    if (name === undefined || remaining === undefined || seen.has(name)) continue;
    const known = fields.get(name);
    if (known === undefined && fields.size >= MAX_POLICIES) continue;
    seen.add(name);
    const t = intParam(item, "t");
    fields.set(name, {
      ...(known ?? { unit: "requests" }),
      remaining,
      ...(t === undefined ? {} : readResetNumber(t)),
    });
  }
  return [...fields].map(([name, { unit, ...stated }]) => reading(name, "ietf", unit, stated));
}

/** GitHub's `x-ratelimit-resource`, lower-cased: a short name, never free text. */
function githubResource(headers: HeaderMap): string | undefined {
  const value = headers.get(RESOURCE_HEADER);
  if (value === undefined) return undefined;
  const name = firstValue(value).toLowerCase();
  return /^[a-z0-9_.-]{1,64}$/.test(name) ? name : undefined;
}

/** The one budget of the single-budget families, the standard fields first. */
function singleBudget(headers: HeaderMap): MeterReading[] {
  const ietf = ietfMeters(headers);
  if (ietf.length > 0) return ietf;
  const trio = trioFields(headers);
  if (trio !== undefined) return [reading("requests", "ratelimit-trio", "requests", trio)];
  const x = xRateLimitFields(headers, "x-ratelimit-");
  if (x !== undefined) {
    const resource = githubResource(headers);
    return [
      resource === undefined
        ? reading("requests", "x-ratelimit", "requests", x)
        : reading(resource, "github", "requests", x, true),
    ];
  }
  const okta = xRateLimitFields(headers, "x-rate-limit-");
  return okta === undefined ? [] : [reading("requests", "okta", "requests", okta)];
}

/**
 * The meters of one several-meter family, each from its limit, remaining and reset headers;
 * `family` names a meter from what it states (Azure's states neither limit nor reset).
 */
function familyMeters(
  headers: HeaderMap,
  table: readonly MeterHeaders[],
  readReset: (text: string | undefined) => Reset,
  family: (fields: Fields) => MeterReading["family"],
): MeterReading[] {
  const meters: MeterReading[] = [];
  for (const meter of table) {
    const limitText = headers.get(meter.limit);
    const remainingText = headers.get(meter.remaining);
    const resetText = meter.reset === undefined ? undefined : headers.get(meter.reset);
    if (limitText === undefined && remainingText === undefined && resetText === undefined) continue;
    const fields: Fields = {
      limit: nonNegativeInteger(limitText),
      remaining: nonNegativeInteger(remainingText),
      ...readReset(resetText),
    };
    if (!hasAny(fields)) continue;
    fields.windowSeconds = meter.windowSeconds;
    meters.push(reading(meter.name, family(fields), meter.unit, fields));
  }
  return meters;
}

const durationReset = (text: string | undefined): Reset => {
  const seconds = parseGoDuration(text);
  return seconds === undefined ? {} : { resetDeltaSeconds: seconds };
};
const dateReset = (text: string | undefined): Reset => {
  const at = parseRfc3339(text);
  return at === undefined ? {} : { resetAtServer: at };
};
const noReset = (): Reset => ({});

/** OpenAI and Groq send limit, remaining and a duration reset; Azure OpenAI the remaining alone. */
const openAiFamily = (fields: Fields): MeterReading["family"] =>
  fields.limit === undefined && fields.resetDeltaSeconds === undefined ? "azure" : "openai";

/**
 * Every budget a response states, one reading per meter; [] when none. Of the single-budget
 * families the first that parses counts (IETF, the RateLimit trio, X-RateLimit with GitHub's
 * resource, Okta's X-Rate-Limit); the several-meter families (OpenAI and Groq, Azure OpenAI,
 * Anthropic, Mistral) are read besides, and theirs is the reading of a name both state.
 */
export function parseMeters(headers: HeaderMap): MeterReading[] {
  const several = [
    ...familyMeters(headers, OPENAI_METERS, durationReset, openAiFamily),
    ...familyMeters(headers, ANTHROPIC_METERS, dateReset, () => "anthropic"),
    ...familyMeters(headers, MISTRAL_METERS, noReset, () => "mistral"),
  ];
  const single = singleBudget(headers);
  if (several.length === 0) return single;
  const named = new Set<string>();
  const meters: MeterReading[] = [];
  for (const meter of [...several, ...single]) {
    if (named.has(meter.name)) continue;
    named.add(meter.name);
    meters.push(meter);
  }
  return meters;
}
