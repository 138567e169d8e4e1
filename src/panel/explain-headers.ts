import { skewOf } from "../core/budget/budget-tracker.js";
import { retryAfterDelaySeconds } from "../core/decode/decode-error.js";
import type { Exchange } from "../core/har/exchange.js";
import { parseRateLimitHeaders } from "../core/headers/parse-rate-limit-headers.js";
import { parseRetryAfter } from "../core/headers/parse-retry-after.js";
import { formatClockSeconds, formatCountdown, formatDuration } from "./format.js";

function resetPhrase(resetAt: number | undefined, at: number): string {
  if (resetAt === undefined) return "";
  const left = resetAt - at;
  return left > 0
    ? `, resets in ${formatCountdown(left)} (${formatClockSeconds(resetAt)})`
    : ", reset already passed when the response arrived";
}

function retryAfterLine(exchange: Exchange): string | undefined {
  const retryAfter = parseRetryAfter(exchange.responseHeaders);
  if (retryAfter === undefined) return undefined;
  const seconds = retryAfterDelaySeconds(retryAfter, exchange);
  const until = formatClockSeconds(exchange.end + seconds * 1000);
  const wait = formatDuration(seconds * 1000);
  if (retryAfter.kind === "date") {
    const raw = exchange.responseHeaders.get("retry-after") ?? "";
    return `Retry-After: ${raw} → wait ${wait} (counted from the response's Date), until ${until}`;
  }
  const name = retryAfter.header === "retry-after-ms" ? "retry-after-ms" : "Retry-After";
  const raw = exchange.responseHeaders.get(retryAfter.header) ?? "";
  return `${name}: ${raw} → wait ${wait}, until ${until}`;
}

function rateLimitLine(exchange: Exchange): string | undefined {
  const stated = parseRateLimitHeaders(exchange.responseHeaders);
  if (stated === undefined) return undefined;
  const at = exchange.end;
  const resetAt =
    stated.resetAtServer !== undefined
      ? stated.resetAtServer - skewOf(exchange)
      : stated.resetDeltaSeconds !== undefined
        ? at + stated.resetDeltaSeconds * 1000
        : undefined;
  const of = stated.limit === undefined ? "" : ` of ${stated.limit}`;
  const reset = resetPhrase(resetAt, at);
  switch (stated.scheme) {
    case "ietf": {
      const policy = stated.policy === undefined ? "" : ` in policy "${stated.policy}"`;
      const window =
        stated.windowSeconds === undefined
          ? ""
          : ` (${formatDuration(stated.windowSeconds * 1000)} window)`;
      if (stated.remaining === undefined)
        return `RateLimit-Policy: ${stated.limit ?? "?"} requests${policy}${window}`;
      return `RateLimit: ${stated.remaining}${of} left${policy}${window}${reset}`;
    }
    case "ratelimit-trio":
      if (stated.remaining === undefined)
        return `RateLimit-Limit: ${stated.limit ?? "?"} requests per window${reset}`;
      return `RateLimit-Remaining: ${stated.remaining}${of}${reset}`;
    case "x-ratelimit":
      if (stated.remaining === undefined)
        return `X-RateLimit-Limit: ${stated.limit ?? "?"} requests per window${reset}`;
      return `X-RateLimit-Remaining: ${stated.remaining}${of}${reset}`;
  }
}

function shouldRetryLine(exchange: Exchange): string | undefined {
  for (const name of ["x-should-retry", "stripe-should-retry"]) {
    const value = exchange.responseHeaders.get(name)?.trim().toLowerCase();
    if (value === "true") return `${name}: true → the server says a retry may succeed`;
    if (value === "false") return `${name}: false → the server says not to retry`;
  }
  return undefined;
}

function skewLine(exchange: Exchange): string | undefined {
  const skew = skewOf(exchange);
  if (skew === 0) return undefined;
  const direction = skew > 0 ? "ahead of" : "behind";
  return `Date: the server's clock was ${formatDuration(Math.abs(skew))} ${direction} this computer's; reset times are corrected for it`;
}

/** Retry-After, rate-limit and retry-hint headers of a response, said in words. */
export function explainHeaders(exchange: Exchange): string[] {
  return [
    retryAfterLine(exchange),
    rateLimitLine(exchange),
    shouldRetryLine(exchange),
    skewLine(exchange),
  ].filter((line): line is string => line !== undefined);
}
