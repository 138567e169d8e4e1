import type { BudgetState } from "../../src/core/budget/budget-tracker.js";
import { T0 } from "./har.js";

/** Casola's API as its headers state it: 42 of 100 left, reset 31 s after T0; `budget` changes it. */
export function casolaBudget(budget: Partial<BudgetState> = {}): BudgetState {
  return {
    host: "api.casola.ai",
    provider: "casola",
    limit: 100,
    remaining: 42,
    resetAt: T0 + 31_000,
    retryAfterUntil: null,
    source: "headers",
    requestsLastMinute: 5,
    skewMs: 0,
    ...budget,
  };
}
