import type { BudgetTracker } from "../budget/budget-tracker.js";
import type { Exchange } from "../har/exchange.js";
import type { Attempt, RetryLink } from "../retries/retry-tracker.js";
import type { DecodedError, ProviderId, Severity } from "../types.js";

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
  /** Rules that already fired for this request, by id, in registry order. */
  raised: ReadonlySet<string>;
}

/** What a rule says when it fires; the analyzer adds the rule's id, severity and the caller. */
export interface RuleResult {
  message: string;
  /** Indices into `log.entries`: the first is the request that failed, the last the offending one. */
  entries: number[];
  advice: string;
}

/**
 * One retry rule. A rule is a folder here: rule.ts, made with defineRule, and scenarios.ts beside
 * it; plus one line in index.ts. RuleId and docs/rules.md follow from the registry.
 */
export interface Rule<Id extends string = string> {
  id: Id;
  severity: Severity;
  /** One line under the rule's heading in the CLI's and the Markdown reports. */
  summary: string;
  /** When it fires: the rule table of docs/rules.md and the README says exactly this. */
  firesWhen: string;
  check(input: RuleInput): RuleResult | undefined;
}

/** A rule, its id kept as a literal so that `RuleId` is the registry's ids. */
export function defineRule<const Id extends string>(rule: Rule<Id>): Rule<Id> {
  return rule;
}
