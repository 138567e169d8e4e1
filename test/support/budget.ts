import type { BudgetState } from "../../src/core/budget/budget-tracker.js";
import type { HostBudget } from "../../src/core/types.js";
import { T0 } from "./har.js";

/** Casola's API as its headers state it: 42 of 100 left, reset 31 s after T0; `budget` changes it. */
export function casolaBudget(budget: Partial<BudgetState> = {}): BudgetState {
  return withMeter({
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
  });
}

/** A budget of one meter, `requests`, holding the headline figures (unless it names its own). */
export function withMeter(
  budget: Omit<BudgetState, "meters"> & { meters?: BudgetState["meters"] },
): BudgetState {
  const { limit, remaining, resetAt, source } = budget;
  return {
    ...budget,
    meters: budget.meters ?? [
      { name: "requests", unit: "requests", limit, remaining, resetAt, source },
    ],
  };
}

/** The CLI's line of a host with one meter: the meter holds the host's own figures. */
export function oneMeter(budget: Omit<HostBudget, "meters">, name = "requests"): HostBudget {
  const { limit, remaining, resetAt, source } = budget;
  return { ...budget, meters: [{ name, limit, remaining, resetAt, source }] };
}
