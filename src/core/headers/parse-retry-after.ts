import type { HeaderMap } from "./header-map.js";
import { parseHttpDate } from "./parse-http-date.js";

/** The waits stated in milliseconds: the SDKs' and gateways' `retry-after-ms`, Azure's `x-ms-retry-after-ms`. */
type MillisecondsHeader = "retry-after-ms" | "x-ms-retry-after-ms";

export type RetryAfter =
  /** `Retry-After: 30`, `retry-after-ms: 1500` or `x-ms-retry-after-ms: 1500`. */
  | { kind: "delay"; seconds: number; header: "retry-after" | MillisecondsHeader }
  /** `Retry-After: Wed, 21 Oct 2026 07:28:00 GMT`, in server time. */
  | { kind: "date"; at: number; header: "retry-after" };

/** The headers parseRetryAfter reads, in the order they count: the more precise first. */
export const RETRY_AFTER_HEADER_NAMES = [
  "retry-after-ms",
  "x-ms-retry-after-ms",
  "retry-after",
] as const;

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

/** The non-standard `retry-after-ms` (or Azure's `x-ms-retry-after-ms`), in seconds. */
export function parseRetryAfterMs(
  value: string | undefined,
  header: MillisecondsHeader = "retry-after-ms",
): RetryAfter | undefined {
  if (value === undefined) return undefined;
  const text = firstValue(value);
  if (!DELAY_MS.test(text)) return undefined;
  return { kind: "delay", seconds: Number(text) / 1000, header };
}

/**
 * The milliseconds headers are the more precise, so they win over Retry-After: `retry-after-ms`,
 * then `x-ms-retry-after-ms` (the order Azure's own SDKs read them in). One that is garbage says
 * nothing, so the next may still speak.
 */
export function parseRetryAfter(headers: HeaderMap): RetryAfter | undefined {
  return (
    parseRetryAfterMs(headers.get("retry-after-ms")) ??
    parseRetryAfterMs(headers.get("x-ms-retry-after-ms"), "x-ms-retry-after-ms") ??
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
