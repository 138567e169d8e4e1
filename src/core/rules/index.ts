import { contractBreach } from "./contract-breach.js";
import { noBackoff } from "./no-backoff.js";
import { rateLimitExhausted } from "./rate-limit-exhausted.js";
import { retryAfterIgnored } from "./retry-after-ignored.js";
import { retryNonRetryable } from "./retry-non-retryable.js";
import { retryTooSoon } from "./retry-too-soon.js";
import { retryWithoutIdempotencyKey } from "./retry-without-idempotency-key.js";

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
