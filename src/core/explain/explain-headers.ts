import { resetAtOf, skewOf } from "../budget/budget-tracker.js";
import { retryAfterDelaySeconds } from "../decode/decode-error.js";
import type { Exchange } from "../har/exchange.js";
import { type MeterReading, parseMeters } from "../headers/parse-meters.js";
import { parseRetryAfter } from "../headers/parse-retry-after.js";
import { SHOULD_RETRY_HEADER_NAMES } from "../retryable.js";

/** What one of a response's rate-limit or retry-hint headers says; times are epoch milliseconds. */
export type HeaderExplanation =
  | {
      kind: "retry-after";
      /** As the header is spelled in documents: "Retry-After" or "retry-after-ms". */
      header: "Retry-After" | "retry-after-ms";
      /** The header's value as sent. */
      raw: string;
      /** An HTTP-date, counted from the response's own Date. */
      dated: boolean;
      waitSeconds: number;
      until: number;
    }
  | {
      /** One budget the response states (parseMeters). */
      kind: "meter";
      name: string;
      family: MeterReading["family"];
      unit: MeterReading["unit"];
      limit: number | undefined;
      remaining: number | undefined;
      windowSeconds: number | undefined;
      /** When the meter resets, skew-corrected; undefined when the headers do not say. */
      resetAt: number | undefined;
      /** When the response arrived: a reset before it had already passed. */
      at: number;
    }
  | { kind: "should-retry"; header: "x-should-retry" | "stripe-should-retry"; retry: boolean }
  | {
      kind: "clock-skew";
      /** Server clock minus this computer's, 0 never (a skew under a second is not explained). */
      skewMs: number;
    };

function retryAfter(exchange: Exchange): HeaderExplanation | undefined {
  const stated = parseRetryAfter(exchange.responseHeaders);
  if (stated === undefined) return undefined;
  const waitSeconds = retryAfterDelaySeconds(stated, exchange);
  return {
    kind: "retry-after",
    header: stated.header === "retry-after-ms" ? "retry-after-ms" : "Retry-After",
    raw: exchange.responseHeaders.get(stated.header) ?? "",
    dated: stated.kind === "date",
    waitSeconds,
    until: exchange.end + waitSeconds * 1000,
  };
}

function meters(exchange: Exchange): HeaderExplanation[] {
  const at = exchange.end;
  const skew = skewOf(exchange);
  return parseMeters(exchange.responseHeaders).map((meter) => ({
    kind: "meter",
    name: meter.name,
    family: meter.family,
    unit: meter.unit,
    limit: meter.limit,
    remaining: meter.remaining,
    windowSeconds: meter.windowSeconds,
    resetAt: resetAtOf(meter, at, skew),
    at,
  }));
}

function shouldRetry(exchange: Exchange): HeaderExplanation | undefined {
  for (const header of SHOULD_RETRY_HEADER_NAMES) {
    const value = exchange.responseHeaders.get(header)?.trim().toLowerCase();
    if (value === "true" || value === "false")
      return { kind: "should-retry", header, retry: value === "true" };
  }
  return undefined;
}

function clockSkew(exchange: Exchange): HeaderExplanation | undefined {
  const skewMs = skewOf(exchange);
  return skewMs === 0 ? undefined : { kind: "clock-skew", skewMs };
}

/**
 * Retry-After, every meter the rate-limit headers state, the retry hints and the Date header's
 * clock skew of a response, read by the same parsers and reset formula the budget tracker uses.
 */
export function explainHeaders(exchange: Exchange): HeaderExplanation[] {
  return [
    retryAfter(exchange),
    ...meters(exchange),
    shouldRetry(exchange),
    clockSkew(exchange),
  ].filter((line): line is HeaderExplanation => line !== undefined);
}
