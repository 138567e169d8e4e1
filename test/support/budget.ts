import type { BudgetState } from "../../src/core/budget/budget-tracker.js";
import { T0 } from "./har.js";

/**
 * Casola's API as its headers state it: 42 of 100 left, reset 31 s after T0; `budget` changes it.
 * Without `meters`, the host has the one meter its figures are.
 */
export function casolaBudget(budget: Partial<BudgetState> = {}): BudgetState {
  const figures = {
    host: "api.casola.ai",
    provider: "casola" as const,
    limit: 100,
    remaining: 42,
    resetAt: T0 + 31_000,
    retryAfterUntil: null,
    source: "headers" as const,
    requestsLastMinute: 5,
    skewMs: 0,
    ...budget,
  };
  const { limit, remaining, resetAt, source } = figures;
  return {
    ...figures,
    meters: budget.meters ?? [{ name: "requests", limit, remaining, resetAt, source }],
  };
}
