import { contractBreach } from "./contract-breach/rule.js";
import { noBackoff } from "./no-backoff/rule.js";
import { rateLimitExhausted } from "./rate-limit-exhausted/rule.js";
import { retryAfterIgnored } from "./retry-after-ignored/rule.js";
import { retryNonRetryable } from "./retry-non-retryable/rule.js";
import { retryTooSoon } from "./retry-too-soon/rule.js";
import { retryWithoutIdempotencyKey } from "./retry-without-idempotency-key/rule.js";

/**
 * Every rule, in the order they run: retry-after-ignored before rate-limit-exhausted, which defers
 * to it. `RuleId` is the ids listed here.
 */
export const RULES = [
  retryNonRetryable,
  retryAfterIgnored,
  rateLimitExhausted,
  retryTooSoon,
  noBackoff,
  retryWithoutIdempotencyKey,
  contractBreach,
] as const;

/** A rule's id: one of the registry's, nothing else to update. */
export type RuleId = (typeof RULES)[number]["id"];
