import type { RuleId } from "../core/rules/index.js";
import type { HostMapping, Severity } from "../core/types.js";
import { OPENAI_HOST } from "./openai-mock.js";

export type ScenarioId =
  | "careful"
  | "retry-quota"
  | "ignore-retry-after"
  | "retry-401"
  | "no-backoff"
  | "zero-budget"
  | "openai-tokens"
  | "openai-sdk";

/** One button of the demo page (page/index.html) and what Ratelens must make of its traffic. */
export interface DemoScenario {
  id: ScenarioId;
  /** The button's selector; clicking it runs the scenario, then `#status` reads `done: <id>`. */
  button: `#${ScenarioId}`;
  title: string;
  /** The function in page/client.js that calls fetch(): the caller DevTools records. */
  functionName: string;
  /** The API hosts it calls. */
  hosts: readonly string[];
  /**
   * Those of its hosts that are not documented API hosts, as a user adds them (the panel's Hosts
   * view, the options page): Ratelens ignores their traffic until then.
   */
  userHosts?: readonly HostMapping[];
  /** Rules that fire, each at least once. In a fresh session no other rule fires. */
  expectedRules: readonly RuleId[];
  /** Severities none of its findings may have. */
  forbiddenSeverities?: readonly Severity[];
}

/**
 * In the order a full run goes through them: the scenarios that leave a host's budget exhausted
 * come last or use a host of their own, so that a run without clearing stays readable.
 */
export const SCENARIOS: readonly DemoScenario[] = [
  {
    id: "careful",
    button: "#careful",
    title:
      "A careful client: backoff with jitter, honours Retry-After and the budget, Idempotency-Key",
    functionName: "carefulClient",
    hosts: ["api.casola.ai", "api.cuadra.ai"],
    expectedRules: [],
    forbiddenSeverities: ["error", "warning"],
  },
  {
    id: "retry-quota",
    button: "#retry-quota",
    title: "Retries a 429 quota_exceeded, which no wait will fix",
    functionName: "retryQuota",
    hosts: ["api.casola.ai"],
    expectedRules: ["retry-non-retryable"],
  },
  {
    id: "ignore-retry-after",
    button: "#ignore-retry-after",
    title: "Retries a 429 rate_limit after half a second, ignoring its Retry-After",
    functionName: "ignoreRetryAfter",
    hosts: ["api.us.casola.ai"],
    expectedRules: ["retry-after-ignored"],
  },
  {
    id: "retry-401",
    button: "#retry-401",
    title: "Retries a 401 with an expired token instead of refreshing it",
    functionName: "retryUnauthorized",
    hosts: ["api.cuadra.ai"],
    expectedRules: ["retry-non-retryable"],
  },
  {
    id: "no-backoff",
    button: "#no-backoff",
    title: "Retries a 502 worker_error every 300 ms, reading only the status",
    functionName: "noBackoff",
    hosts: ["api.eu.casola.ai"],
    expectedRules: ["no-backoff"],
  },
  {
    id: "zero-budget",
    button: "#zero-budget",
    title: "Keeps polling while X-RateLimit-Remaining is 0 before the reset",
    functionName: "zeroBudget",
    hosts: ["api.casola.ai"],
    expectedRules: ["rate-limit-exhausted"],
  },
  {
    id: "openai-tokens",
    button: "#openai-tokens",
    title:
      "Spends an OpenAI-shaped host's tokens while requests remain, sends once more, waits the 429's Retry-After",
    functionName: "openaiTokens",
    hosts: [OPENAI_HOST],
    userHosts: [{ host: OPENAI_HOST, provider: "generic" }],
    expectedRules: ["rate-limit-exhausted"],
    forbiddenSeverities: ["error"],
  },
  {
    id: "openai-sdk",
    button: "#openai-sdk",
    title:
      "OpenAI's SDK retries a 429 whose Retry-After is over its 60 s ceiling after its own short backoff",
    functionName: "openaiSdk",
    hosts: [OPENAI_HOST],
    userHosts: [{ host: OPENAI_HOST, provider: "generic" }],
    expectedRules: ["retry-after-ignored"],
  },
];
