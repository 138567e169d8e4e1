import { CASOLA_BACKOFF_ADVICE } from "../../catalog/casola.js";
import { CUADRA_BACKOFF_ADVICE } from "../../catalog/cuadra.js";
import { retryableWithoutRetryAfter } from "../../retries/retry-tracker.js";
import { seconds } from "../describe.js";
import { defineRule } from "../rule.js";

const GROWTH = 1.25;
const FLOOR_MS = 100;
/** The documented cap is 60 s; waits near it are allowed to stop growing. */
const CAP_MS = 55_000;

export const noBackoff = defineRule({
  id: "no-backoff",
  severity: "warning",
  summary:
    "In a chain of retryable errors without Retry-After, a retry waits less than 1.25 times the wait before it (waits of 55 s or more excepted).",
  firesWhen:
    "in a chain of retryable errors without Retry-After, a wait under 1.25 times the one before (each at least 0.1 s; waits of 55 s or more never fire)",
  check({ retry, exchange, hostProvider }) {
    const previous = retry?.previous;
    const before = previous?.retryOf;
    if (retry === undefined || previous === undefined || before === undefined) return undefined;
    if (!before.retryableWithoutRetryAfter || !retryableWithoutRetryAfter(previous))
      return undefined;
    if (retry.waitMs >= CAP_MS) return undefined;
    const wait = Math.max(retry.waitMs, FLOOR_MS);
    const waitBefore = Math.max(before.waitMs, FLOOR_MS);
    if (wait >= GROWTH * waitBefore) return undefined;
    const backToBack = retry.waitMs < FLOOR_MS && before.waitMs < FLOOR_MS;
    return {
      message: backToBack
        ? `retried back to back again: waited ${seconds(retry.waitMs)}, and ${seconds(before.waitMs)} before the previous attempt`
        : `waited ${seconds(retry.waitMs)} after waiting ${seconds(before.waitMs)} before the previous attempt; backoff needs at least ${seconds(GROWTH * waitBefore)}`,
      entries: [before.index, previous.index, exchange.index],
      advice: hostProvider === "cuadra" ? CUADRA_BACKOFF_ADVICE : CASOLA_BACKOFF_ADVICE,
    };
  },
});
