import type { Exchange } from "../har/exchange.js";
import { parseHttpDate } from "../headers/parse-http-date.js";
import {
  parseRetryAfter,
  parseRetryAfterText,
  type RetryAfter,
} from "../headers/parse-retry-after.js";
import type { DecodedError } from "../types.js";
import { retryInfoSeconds } from "./google-status.js";

/** A wait the server stated for a failed request, in seconds from the response's end. */
export interface StatedWait {
  seconds: number;
  /** Stated as an HTTP-date, so rounded to the second and measured against the response's Date. */
  dated: boolean;
  /** Retry-After, retry-after-ms or x-ms-retry-after-ms; or the error body's own words. */
  from: "header" | "body";
}

/** Retry-After in seconds from the response: an HTTP-date counts from the response's own Date. */
export function retryAfterDelaySeconds(retryAfter: RetryAfter, exchange: Exchange): number {
  if (retryAfter.kind === "delay") return retryAfter.seconds;
  const serverNow = parseHttpDate(exchange.responseHeaders.get("date")) ?? exchange.end;
  return Math.max(0, (retryAfter.at - serverNow) / 1000);
}

/**
 * The one wait a failed response states, for the decoded error, the retry rules and the budget
 * alike: a header first (retry-after-ms, x-ms-retry-after-ms, then Retry-After); failing that,
 * the body's: a Google error's RetryInfo `retryDelay`, else "Retry after N seconds" in its
 * message. Undefined for a response that is no error, or states no wait.
 */
export function statedWait(
  exchange: Exchange,
  error: Pick<DecodedError, "message" | "details"> | undefined,
): StatedWait | undefined {
  if (error === undefined) return undefined;
  const header = parseRetryAfter(exchange.responseHeaders);
  if (header !== undefined) {
    return {
      seconds: retryAfterDelaySeconds(header, exchange),
      dated: header.kind === "date",
      from: "header",
    };
  }
  const body = retryInfoSeconds(error.details) ?? parseRetryAfterText(error.message);
  return body === undefined ? undefined : { seconds: body, dated: false, from: "body" };
}
