import type { BudgetState } from "../core/budget/budget-tracker.js";
import { formatClockSeconds } from "../core/clock-time.js";
import { statusLabel } from "../core/labels.js";
import { formatCountdown, formatDuration } from "./format.js";

/** Short budget and error texts the popup and the options page share with the panel's wording. */

/** What the popup says of an error it only knows the status of: the panel reads bodies. */
export const STATUS_ONLY_HINT = "status only: open the Ratelens panel in DevTools to decode it";

/**
 * `429 quota_exceeded`, or `429 (status only: …)` when no panel decoded the body. Takes the two
 * fields, not the background's ErrorCount: src/ui depends on settings and core only.
 */
export function errorLabel(error: { status: number; code: string | null }): string {
  return error.code === null
    ? `${statusLabel(error.status)} (${STATUS_ONLY_HINT})`
    : `${statusLabel(error.status)} ${error.code}`;
}

/**
 * What an estimated budget is counted against, in the same words on the panel and the popup: the
 * core says where the limit came from (`limitFrom`), the view does not guess it.
 */
export function estimateText(budget: Pick<BudgetState, "limit" | "limitFrom">): string {
  if (budget.limit === null) return "no limit known: no rate-limit headers and no documented limit";
  switch (budget.limitFrom) {
    case "headers":
      return "estimate: requests counted against the limit earlier rate-limit headers stated";
    case "setting":
      return "estimate from the limit set in the options, no rate-limit headers";
    case "documented":
      return "estimate from documented limits, no rate-limit headers";
    default:
      return "estimate: no rate-limit headers";
  }
}

/** `in 42 s (10:00:31)`, `now` once passed, `unknown` without a time. */
export function resetText(resetAt: number | null, now: number): string {
  if (resetAt === null || !Number.isFinite(resetAt)) return "unknown";
  if (resetAt <= now) return "now";
  return `in ${formatCountdown(resetAt - now)} (${formatClockSeconds(resetAt)})`;
}

/** `12 requests/min`, `1 request/min`. */
export function burnRateText(requestsLastMinute: number): string {
  return `${requestsLastMinute} ${requestsLastMinute === 1 ? "request" : "requests"}/min`;
}

/**
 * When the budget runs out if requests keep coming at the last minute's rate. A budget of tokens
 * goes by each request's size, which no header tells, so requests per minute cannot time it.
 */
export function runsOutText(
  remaining: number | null,
  requestsLastMinute: number,
  unit: "requests" | "tokens" = "requests",
): string {
  if (remaining === null) return "unknown (no limit known)";
  if (remaining === 0) return "already used up";
  if (unit === "tokens") return "unknown (tokens go by each request's size)";
  if (requestsLastMinute <= 0) return "not at the current rate (no requests in the last minute)";
  return `in about ${formatDuration((remaining / requestsLastMinute) * 60_000)} at this rate`;
}

/** Whether at most a tenth of the budget is left: the card is then drawn as a warning. */
export function isLow(remaining: number | null, limit: number | null): boolean {
  return remaining !== null && limit !== null && limit > 0 && remaining / limit <= 0.1;
}
