import { errorLabel, seconds } from "../describe.js";
import { defineRule } from "../rule.js";

/** Delay-seconds are exact; an HTTP-date is rounded to the second and compared against the server's Date. */
const TOLERANCE_MS = { delay: 500, date: 1000 } as const;

export const retryAfterIgnored = defineRule({
  id: "retry-after-ignored",
  severity: "error",
  summary: "A retry starts before the Retry-After (or retry-after-ms) of the failed request is up.",
  firesWhen:
    "B starts more than 0.5 s before A's end plus its Retry-After (HTTP-date: against A's `Date`, 1 s tolerance)",
  check({ retry, exchange }) {
    const previous = retry?.previous;
    const retryAfter = previous?.retryAfter;
    if (retry === undefined || previous === undefined || retryAfter === undefined) return undefined;
    const wait = retryAfter.seconds;
    const toleranceMs = retryAfter.dated ? TOLERANCE_MS.date : TOLERANCE_MS.delay;
    if (retry.waitMs >= wait * 1000 - toleranceMs) return undefined;
    return {
      message: `retried ${seconds(retry.waitMs)} after a ${errorLabel(previous.error, previous.status)} whose Retry-After was ${seconds(wait * 1000)}`,
      entries: [previous.index, exchange.index],
      advice:
        'Honor Retry-After: wait at least the delay it states before the next attempt (Casola: "honor Retry-After header"; Cuadra: "Wait for Retry-After seconds").',
    };
  },
});
