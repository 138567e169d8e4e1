import { SHOULD_RETRY_HEADER_NAMES } from "../retryable.js";
import { RATE_LIMIT_HEADER_NAMES, RATE_LIMIT_HEADER_PREFIXES } from "./parse-meters.js";
import { RETRY_AFTER_HEADER_NAMES } from "./parse-retry-after.js";

/**
 * What the budget and the retry rules read of a response, named where they read it: every
 * rate-limit family (parseMeters), Retry-After and its kin, the should-retry overrides, and
 * `Date` (when the server said it: the skew).
 */
const RATE_LIMIT_HEADERS: ReadonlySet<string> = new Set([
  ...RATE_LIMIT_HEADER_NAMES,
  ...RETRY_AFTER_HEADER_NAMES,
  ...SHOULD_RETRY_HEADER_NAMES,
  "date",
]);

/**
 * Whether a response header says something of the rate limit (or of when the server said it);
 * cookies and credentials never do. What the background keeps of a response, from webRequest or
 * from a panel, is these headers and nothing else. Any other field of the X-RateLimit and
 * Anthropic families (`x-ratelimit-limit-tokens_usage_based`, `anthropic-ratelimit-unified-reset`,
 * ...) is kept too: numbers and times, never a secret.
 */
export function isRateLimitHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    RATE_LIMIT_HEADERS.has(lower) || RATE_LIMIT_HEADER_PREFIXES.some((p) => lower.startsWith(p))
  );
}
