import type { ExhaustionWindow } from "../../budget/budget-tracker.js";
import { errorLabel, seconds } from "../describe.js";
import { defineRule } from "../rule.js";

/** "requests", "tokens", or "tokens (tokens-month)" for a token meter of another name. */
function unitsOf(span: ExhaustionWindow): string {
  if (span.unit !== "tokens") return "requests";
  return span.meter === undefined || span.meter === "tokens" ? "tokens" : `tokens (${span.meter})`;
}

export const rateLimitExhausted = defineRule({
  id: "rate-limit-exhausted",
  severity: "warning",
  summary:
    "A request is sent while the host's budget says 0 remaining before the reset, or while a Retry-After from a 429/503 is in force.",
  firesWhen:
    "any request to a host while its budget said 0 remaining before the reset, or while a Retry-After from a 429/503 was in force (not when `retry-after-ignored` already fired)",
  check({ exchange, budget, raised, byClient }) {
    if (raised.has("retry-after-ignored") || !byClient) return undefined;
    const span = budget.exhaustedBy(exchange);
    if (span === undefined || span.index === exchange.index) return undefined;
    const into = seconds(exchange.start - span.from);
    const left = seconds(span.until - exchange.start);
    const message =
      span.reason === "retry-after"
        ? `sent ${into} into the ${seconds((span.retryAfterSeconds ?? 0) * 1000)} Retry-After of the ${errorLabel(undefined, span.status)} from ${exchange.host} (${left} still to wait)`
        : `sent while ${exchange.host} had 0${span.limit === undefined ? "" : ` of ${span.limit}`} ${unitsOf(span)} left, ${left} before the reset`;
    return {
      message,
      entries: [span.index, exchange.index],
      advice:
        "Pause all requests to this host until the rate-limit reset (X-RateLimit-Reset) or the Retry-After has passed; queue them instead of sending.",
    };
  },
});
