const RATE_LIMIT_HEADERS = new Set([
  "retry-after",
  "retry-after-ms",
  "date",
  "ratelimit",
  "ratelimit-policy",
  "ratelimit-limit",
  "ratelimit-remaining",
  "ratelimit-reset",
  "x-should-retry",
]);

/**
 * Whether a response header says something of the rate limit (or of when the server said it);
 * cookies and credentials never do. What the background keeps of a response, from webRequest or
 * from a panel, is these headers and nothing else.
 */
export function isRateLimitHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return RATE_LIMIT_HEADERS.has(lower) || lower.startsWith("x-ratelimit-");
}
