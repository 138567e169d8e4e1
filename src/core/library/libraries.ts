import type { RuleId } from "../rules/index.js";

/**
 * The client libraries Ratelens recognises, each with its signs and, per rule, the library's own
 * option that fixes the finding, as its documentation names it (docs/decoding-and-retries.md,
 * "Client libraries", lists the sources).
 */
export type LibraryId =
  | "openai"
  | "anthropic"
  | "axios-retry"
  | "ky"
  | "tanstack-query"
  | "ofetch"
  | "p-retry"
  | "fetch-retry"
  | "got"
  | "octokit-retry"
  | "octokit-throttling";

/** A library's option for one rule: its name, and one sentence saying what to set. */
export interface LibraryOption {
  option: string;
  advice: string;
}

export interface Library {
  id: LibraryId;
  /** The name a developer knows it by: the package, or the SDK. */
  name: string;
  /**
   * The package names whose scripts show it in a call stack (`@tanstack/react-query`); a
   * pattern, matched whole, as npm spells the name.
   */
  packages: string;
  options: Partial<Record<RuleId, LibraryOption>>;
}

export const LIBRARIES: readonly Library[] = [
  {
    id: "openai",
    name: "OpenAI SDK",
    packages: "openai",
    options: {
      "retry-non-retryable": {
        option: "maxRetries",
        advice:
          "The SDK retries 408, 409, 429 and 5xx by itself: set maxRetries: 0 on calls whose error says to stop (a 429 insufficient_quota), and handle that error instead of calling again.",
      },
      "retry-after-ignored": {
        option: "maxRetries",
        advice:
          "Set maxRetries: 0 for this call and wait the stated Retry-After yourself before calling again.",
      },
      "rate-limit-exhausted": {
        option: "maxRetries",
        advice:
          "Set maxRetries lower (0 to stop), and hold further calls until the x-ratelimit-reset time the last response gave.",
      },
      "no-backoff": {
        option: "maxRetries",
        advice:
          "Let the SDK retry with its own exponential backoff (maxRetries, default 2) instead of calling again in a loop of your own.",
      },
    },
  },
  {
    id: "anthropic",
    name: "Anthropic SDK",
    packages: "@anthropic-ai/sdk",
    options: {
      "retry-non-retryable": {
        option: "maxRetries",
        advice:
          "The SDK retries 408, 409, 429 and 5xx by itself: set maxRetries: 0 on calls whose error says to stop, and handle that error instead of calling again.",
      },
      "retry-after-ignored": {
        option: "maxRetries",
        advice:
          "Set maxRetries: 0 for this call and wait the stated retry-after yourself before calling again.",
      },
      "rate-limit-exhausted": {
        option: "maxRetries",
        advice:
          "Set maxRetries lower (0 to stop), and hold further calls until the anthropic-ratelimit-*-reset time the last response gave.",
      },
      "no-backoff": {
        option: "maxRetries",
        advice:
          "Let the SDK retry with its own exponential backoff (maxRetries, default 2) instead of calling again in a loop of your own.",
      },
    },
  },
  {
    id: "axios-retry",
    name: "axios-retry",
    packages: "axios-retry",
    options: {
      "retry-non-retryable": {
        option: "retryCondition",
        advice:
          "Set retryCondition to return false for this error (the default, isNetworkOrIdempotentRequestError, retries only network errors and 5xx).",
      },
      "retry-after-ignored": {
        option: "retryDelay",
        advice:
          "Set retryDelay to return at least the response's Retry-After in milliseconds (axios-retry 4 waits the larger of the two).",
      },
      "rate-limit-exhausted": {
        option: "retryCondition",
        advice:
          "Set retryCondition to return false while the rate limit is spent, or retryDelay to wait until its reset.",
      },
      "retry-too-soon": {
        option: "retryDelay",
        advice: "Set retryDelay to return at least the documented minimum wait for this code.",
      },
      "no-backoff": {
        option: "retryDelay",
        advice:
          "Set retryDelay: axiosRetry.exponentialDelay (the default, no delay, retries back to back).",
      },
      "retry-without-idempotency-key": {
        option: "retryCondition",
        advice:
          "Keep retryCondition to isNetworkOrIdempotentRequestError, which leaves POST alone, or send an Idempotency-Key header with the request.",
      },
    },
  },
  {
    id: "ky",
    name: "ky",
    packages: "ky",
    options: {
      "retry-non-retryable": {
        option: "retry.statusCodes",
        advice: "Remove this status from retry.statusCodes, so that ky does not retry it.",
      },
      "retry-after-ignored": {
        option: "retry.afterStatusCodes",
        advice:
          "List this status in retry.afterStatusCodes (default 413, 429, 503), so that ky waits the Retry-After, and keep retry.maxRetryAfter above it.",
      },
      "rate-limit-exhausted": {
        option: "retry.limit",
        advice:
          "Set retry.limit lower (0 to stop), and hold further requests until the rate limit resets.",
      },
      "retry-too-soon": {
        option: "retry.delay",
        advice: "Set retry.delay to return at least the documented minimum wait for this code.",
      },
      "no-backoff": {
        option: "retry.delay",
        advice:
          "Keep ky's exponential retry.delay (0.3 s doubling) rather than a constant one, and let retry.backoffLimit cap it.",
      },
      "retry-without-idempotency-key": {
        option: "retry.methods",
        advice:
          "Leave post out of retry.methods (ky's default leaves it out), or send an Idempotency-Key header with the request.",
      },
    },
  },
  {
    id: "tanstack-query",
    name: "TanStack Query",
    packages: "@tanstack/(?:[a-z]+-)?query(?:-[a-z]+)*",
    options: {
      "retry-non-retryable": {
        option: "retry",
        advice:
          "Set retry to a function (failureCount, error) => ... that returns false for this error, so that the query stops retrying it.",
      },
      "retry-after-ignored": {
        option: "retryDelay",
        advice:
          "Set retryDelay to a function (failureCount, error) => ... that returns the response's Retry-After in milliseconds.",
      },
      "rate-limit-exhausted": {
        option: "retry",
        advice:
          "Set retry to return false while the rate limit is spent, and refetch after it resets.",
      },
      "retry-too-soon": {
        option: "retryDelay",
        advice: "Set retryDelay to return at least the documented minimum wait for this code.",
      },
      "no-backoff": {
        option: "retryDelay",
        advice:
          "Keep the default retryDelay (doubling from 1 s up to 30 s) rather than a constant number.",
      },
      "retry-without-idempotency-key": {
        option: "retry",
        advice:
          "Leave the mutation's retry at its default, 0, or send an Idempotency-Key header with the request.",
      },
    },
  },
  {
    id: "ofetch",
    name: "ofetch",
    packages: "ofetch",
    options: {
      "retry-non-retryable": {
        option: "retryStatusCodes",
        advice: "Remove this status from retryStatusCodes, so that ofetch does not retry it.",
      },
      "retry-after-ignored": {
        option: "retryDelay",
        advice:
          "Set retryDelay to at least the Retry-After in milliseconds (the default is 0), or retry: false and wait yourself.",
      },
      "rate-limit-exhausted": {
        option: "retry",
        advice:
          "Set retry: false (or fewer), and hold further requests until the rate limit resets.",
      },
      "retry-too-soon": {
        option: "retryDelay",
        advice: "Set retryDelay to at least the documented minimum wait for this code.",
      },
      "no-backoff": {
        option: "retryDelay",
        advice: "Set retryDelay (0 by default, back to back) to a growing wait.",
      },
      "retry-without-idempotency-key": {
        option: "retry",
        advice:
          "Leave retry unset for POST (ofetch does not retry it by default), or send an Idempotency-Key header with the request.",
      },
    },
  },
  {
    id: "p-retry",
    name: "p-retry",
    packages: "p-retry",
    options: {
      "retry-non-retryable": {
        option: "shouldRetry",
        advice:
          "Set shouldRetry to return false for this error, or throw an AbortError from the function, so that p-retry stops.",
      },
      "retry-after-ignored": {
        option: "onFailedAttempt",
        advice:
          "Make onFailedAttempt wait the response's Retry-After before it returns (it may return a promise).",
      },
      "rate-limit-exhausted": {
        option: "shouldRetry",
        advice:
          "Set shouldRetry to return false while the rate limit is spent, and run again after it resets.",
      },
      "retry-too-soon": {
        option: "minTimeout",
        advice: "Set minTimeout to at least the documented minimum wait for this code.",
      },
      "no-backoff": {
        option: "factor",
        advice:
          "Keep factor above 1 (default 2) and minTimeout above 0 (default 1000), so that each wait grows.",
      },
      "retry-without-idempotency-key": {
        option: "shouldRetry",
        advice:
          "Set shouldRetry to return false for a POST without an Idempotency-Key, or send that header.",
      },
    },
  },
  {
    id: "fetch-retry",
    name: "fetch-retry",
    packages: "fetch-retry",
    options: {
      "retry-non-retryable": {
        option: "retryOn",
        advice:
          "Leave this status out of retryOn (or return false for it from a retryOn function).",
      },
      "retry-after-ignored": {
        option: "retryDelay",
        advice:
          "Set retryDelay to a function (attempt, error, response) => ... that returns the response's Retry-After in milliseconds.",
      },
      "rate-limit-exhausted": {
        option: "retryOn",
        advice:
          "Make retryOn return false while the rate limit is spent, and fetch again after it resets.",
      },
      "retry-too-soon": {
        option: "retryDelay",
        advice: "Set retryDelay to at least the documented minimum wait for this code.",
      },
      "no-backoff": {
        option: "retryDelay",
        advice:
          "Set retryDelay to a function of the attempt, such as 2 ** attempt * 1000, instead of a constant.",
      },
      "retry-without-idempotency-key": {
        option: "retryOn",
        advice:
          "Make retryOn return false for a POST without an Idempotency-Key, or send that header.",
      },
    },
  },
  {
    id: "got",
    name: "got",
    packages: "got",
    options: {
      "retry-non-retryable": {
        option: "retry.statusCodes",
        advice: "Remove this status from retry.statusCodes, so that got does not retry it.",
      },
      "retry-after-ignored": {
        option: "retry.calculateDelay",
        advice:
          "Make retry.calculateDelay return the computedValue got offers (it holds the Retry-After), and keep retry.maxRetryAfter above the stated wait.",
      },
      "rate-limit-exhausted": {
        option: "retry.limit",
        advice:
          "Set retry.limit lower (0 to stop), and hold further requests until the rate limit resets.",
      },
      "retry-too-soon": {
        option: "retry.calculateDelay",
        advice:
          "Make retry.calculateDelay return at least the documented minimum wait for this code.",
      },
      "no-backoff": {
        option: "retry.calculateDelay",
        advice:
          "Make retry.calculateDelay return got's computedValue (exponential), not a constant, and cap it with retry.backoffLimit.",
      },
      "retry-without-idempotency-key": {
        option: "retry.methods",
        advice:
          "Leave POST out of retry.methods (got's default leaves it out), or send an Idempotency-Key header with the request.",
      },
    },
  },
  {
    id: "octokit-retry",
    name: "@octokit/plugin-retry",
    packages: "@octokit/plugin-retry",
    options: {
      "retry-non-retryable": {
        option: "retry.doNotRetry",
        advice:
          "Keep this status in retry.doNotRetry (default 400, 401, 403, 404, 410, 422, 451), so that the plugin does not retry it.",
      },
      "no-backoff": {
        option: "retry.retryAfterBaseValue",
        advice:
          "Keep retry.retryAfterBaseValue above 0 (default 1000 ms), the base of the plugin's growing wait.",
      },
    },
  },
  {
    id: "octokit-throttling",
    name: "@octokit/plugin-throttling",
    packages: "@octokit/plugin-throttling",
    options: {
      "retry-after-ignored": {
        option: "throttle.onSecondaryRateLimit",
        advice:
          "Return true from throttle.onSecondaryRateLimit so that the plugin retries after the retryAfter seconds GitHub states, and do not retry the request yourself.",
      },
      "rate-limit-exhausted": {
        option: "throttle.onRateLimit",
        advice:
          "Let throttle.onRateLimit return true to wait the retryAfter it is given (until the reset), or false to stop, instead of sending more requests.",
      },
    },
  },
];
