import type { HeaderMap } from "./header-map.js";
import { parseHttpDate } from "./parse-http-date.js";

export type RetryAfter =
  /** `Retry-After: 30` or `retry-after-ms: 1500`. */
  | { kind: "delay"; seconds: number; header: "retry-after" | "retry-after-ms" }
  /** `Retry-After: Wed, 21 Oct 2026 07:28:00 GMT`, in server time. */
  | { kind: "date"; at: number; header: "retry-after" };

/** The headers parseRetryAfter reads, the more precise first. */
export const RETRY_AFTER_HEADER_NAMES = ["retry-after-ms", "retry-after"] as const;

const DELAY_SECONDS = /^\d{1,10}$/;
const DELAY_MS = /^\d{1,13}(?:\.\d{1,6})?$/;

/**
 * A header sent twice reads as "a, b" (see toHeaderMap): the first value counts. An HTTP-date
 * has a comma of its own, so a repeated date splits after its "GMT". "1,5" stays garbage.
 */
const REPEATED = /^(\d{1,13}(?:\.\d{1,6})?|[^,]*,[^,]*? GMT)\s*,\s/;

function firstValue(value: string): string {
  const text = value.trim();
  return REPEATED.exec(text)?.[1] ?? text;
}

/** Retry-After as delay-seconds or an HTTP-date (RFC 9110 section 10.2.3), or undefined. */
export function parseRetryAfterValue(value: string | undefined): RetryAfter | undefined {
  if (value === undefined) return undefined;
  const text = firstValue(value);
  if (DELAY_SECONDS.test(text))
    return { kind: "delay", seconds: Number(text), header: "retry-after" };
  const at = parseHttpDate(text);
  return at === undefined ? undefined : { kind: "date", at, header: "retry-after" };
}

/** The non-standard `retry-after-ms` some SDKs and gateways send, in seconds. */
export function parseRetryAfterMs(value: string | undefined): RetryAfter | undefined {
  if (value === undefined) return undefined;
  const text = firstValue(value);
  if (!DELAY_MS.test(text)) return undefined;
  return { kind: "delay", seconds: Number(text) / 1000, header: "retry-after-ms" };
}

/** retry-after-ms is the more precise of the two, so it wins when both are present. */
export function parseRetryAfter(headers: HeaderMap): RetryAfter | undefined {
  return (
    parseRetryAfterMs(headers.get("retry-after-ms")) ??
    parseRetryAfterValue(headers.get("retry-after"))
  );
}

const IN_TEXT = /\bretry\s+(?:after|in)\s+(\d{1,6}(?:\.\d{1,3})?)\s*(?:s|secs?|seconds?)\b/i;

/** "Rate limit exceeded. Retry after 60 seconds." -> 60 */
export function parseRetryAfterText(text: string | null | undefined): number | undefined {
  if (typeof text !== "string") return undefined;
  const match = IN_TEXT.exec(text.slice(0, 4096));
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
