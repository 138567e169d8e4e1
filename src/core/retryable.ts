import { casolaCode } from "./catalog/casola.js";
import { CUADRA_STATUSES } from "./catalog/cuadra.js";
import type { HeaderMap } from "./headers/header-map.js";
import { parseRetryAfter } from "./headers/parse-retry-after.js";
import type { ProviderId } from "./types.js";

/** The HTTP rule for any API without a table: 408, 425, 429 and 5xx but 501 and 505. */
export function retryableByStatus(status: number): boolean {
  if (status === 0) return true;
  if (status === 408 || status === 425 || status === 429) return true;
  return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}

/** `x-should-retry` (OpenAI, Anthropic SDKs) and `Stripe-Should-Retry`, in the order they count. */
export const SHOULD_RETRY_HEADER_NAMES = ["x-should-retry", "stripe-should-retry"] as const;

/** `x-should-retry` or `Stripe-Should-Retry`: the server's word wins. */
export function shouldRetryHeader(headers: HeaderMap): boolean | undefined {
  // A value that is neither true nor false says nothing, so the other header may still speak.
  for (const name of SHOULD_RETRY_HEADER_NAMES) {
    const value = headers.get(name)?.trim().toLowerCase();
    if (value === "true") return true;
    if (value === "false") return false;
  }
  return undefined;
}

/**
 * A 403 or 429 that refuses the request for its rate limit, as GitHub documents them: its primary
 * limit (`x-ratelimit-remaining: 0`, wait for `x-ratelimit-reset`) or a secondary one with a
 * stated wait (Retry-After). A 403 with neither is a refusal of the request itself.
 */
export function isRateLimitRefusal(status: number, headers: HeaderMap): boolean {
  if (status !== 403 && status !== 429) return false;
  const remaining = headers.get("x-ratelimit-remaining")?.split(",")[0]?.trim();
  return remaining === "0" || parseRetryAfter(headers) !== undefined;
}

/**
 * Whether an error is worth retrying, as docs/decoding-and-retries.md's "What is decoded" says:
 * the server's `x-should-retry` or `Stripe-Should-Retry` first, then the provider's table (Casola
 * by code, Cuadra by status), then what the body's own vocabulary states (`stated`: Google's
 * RESOURCE_EXHAUSTED, an IETF RateLimit problem type), then a rate-limit refusal, then the HTTP
 * rule; a request with no response counts as retryable.
 */
export function isRetryable(
  provider: ProviderId | null,
  status: number,
  code: string | null,
  headers: HeaderMap,
  stated?: boolean,
): boolean {
  const override = shouldRetryHeader(headers);
  if (override !== undefined) return override;
  if (status === 0) return true;
  if (provider === "casola") {
    const documented = casolaCode(code);
    if (documented !== undefined) return documented.retryable;
  }
  if (provider === "cuadra") {
    const documented = CUADRA_STATUSES[status];
    if (documented !== undefined) return documented.retryable;
    if (status >= 500 && status <= 599) return true;
  }
  if (stated !== undefined) return stated;
  return isRateLimitRefusal(status, headers) || retryableByStatus(status);
}
