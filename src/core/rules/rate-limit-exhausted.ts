import { errorLabel, seconds } from "./describe.js";
import type { Rule } from "./rule.js";

export const rateLimitExhausted: Rule = {
  id: "rate-limit-exhausted",
  severity: "warning",
  summary:
    "A request is sent while the host's budget says 0 remaining before the reset, or while a Retry-After from a 429/503 is in force.",
  check({ exchange, budget, raised }) {
    if (raised.has("retry-after-ignored")) return undefined;
    const window = budget.exhaustedAt(exchange.host, exchange.start);
    if (window === undefined || window.index === exchange.index) return undefined;
    const into = seconds(exchange.start - window.from);
    const left = seconds(window.until - exchange.start);
    const message =
      window.reason === "retry-after"
        ? `sent ${into} into the ${seconds((window.retryAfterSeconds ?? 0) * 1000)} Retry-After of the ${errorLabel(undefined, window.status)} from ${exchange.host} (${left} still to wait)`
        : `sent while ${exchange.host} had 0${window.limit === undefined ? "" : ` of ${window.limit}`} requests left, ${left} before the reset`;
    return {
      message,
      entries: [window.index, exchange.index],
      advice:
        "Pause all requests to this host until the rate-limit reset (X-RateLimit-Reset) or the Retry-After has passed; queue them instead of sending.",
    };
  },
};
