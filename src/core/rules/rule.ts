import type { BudgetTracker } from "../budget/budget-tracker.js";
import type { Exchange } from "../har/exchange.js";
import type { Attempt, RetryLink } from "../retries/retry-tracker.js";
import type { DecodedError, Finding, ProviderId, RuleId, Severity } from "../types.js";

/** What every rule sees of one request as it is added. */
export interface RuleInput {
  exchange: Exchange;
  /** The provider of the host (a default API host or one the user mapped), if any. */
  hostProvider: ProviderId | undefined;
  attempt: Attempt;
  error: DecodedError | undefined;
  retry: RetryLink | undefined;
  /** The budget as it stood before this request's own response was read. */
  budget: BudgetTracker;
  /**
   * The page's code (or a client of an API host) sent it; false for what the browser loaded by
   * itself for a page (an image, a script, a favicon), which no client code can pace.
   */
  byClient: boolean;
  /** Rules that already fired for this request, in registry order. */
  raised: ReadonlySet<RuleId>;
}

export type RuleResult = Pick<Finding, "message" | "entries" | "advice">;

/** One rule of section 5. Adding a rule means one file in this folder and one line in index.ts. */
export interface Rule {
  id: RuleId;
  severity: Severity;
  /** One line for the README and the CLI's report. */
  summary: string;
  check(input: RuleInput): RuleResult | undefined;
}
