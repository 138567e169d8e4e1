import type { BudgetState } from "../../core/budget/budget-tracker.js";
import type { BudgetSample } from "../../core/session.js";
import { BudgetCard } from "../../ui/budget-card.js";
import { formatClockSeconds } from "../../ui/format.js";
import { BudgetChart } from "./budget-chart.js";

export interface BudgetViewProps {
  budgets: readonly BudgetState[];
  history: (host: string) => readonly BudgetSample[];
  now: number;
  /** A recorded session: the figures are as of its end, not the wall clock. */
  recorded: boolean;
  /** Hosts (lower case, maybe with a port) the user set a limit for in the options. */
  userLimitHosts?: readonly string[];
}

function estimateLabel(
  state: BudgetState,
  samples: readonly BudgetSample[],
  userLimit: boolean,
): string {
  if (state.limit === null) return "no limit known: no rate-limit headers and no documented limit";
  if (samples.some((s) => s.source === "headers"))
    return "estimate: requests counted against the limit earlier rate-limit headers stated";
  return userLimit
    ? "estimate from the limit set in the options, no rate-limit headers"
    : "estimate from documented limits, no rate-limit headers";
}

function HostBudget({
  state,
  samples,
  now,
  userLimit,
}: {
  state: BudgetState;
  samples: readonly BudgetSample[];
  now: number;
  userLimit: boolean;
}) {
  return (
    <BudgetCard
      surface="panel"
      budget={state}
      now={now}
      estimate={estimateLabel(state, samples, userLimit)}
    >
      <BudgetChart samples={samples} now={now} />
    </BudgetCard>
  );
}

/** One card per host: what is left, when it comes back, and how fast it is going. */
export function BudgetView({
  budgets,
  history,
  now,
  recorded,
  userLimitHosts = [],
}: BudgetViewProps) {
  return (
    <div class="budget-view">
      {recorded && Number.isFinite(now) ? (
        <p class="note">
          Figures as of the end of the recording ({formatClockSeconds(now)}), not the current time.
        </p>
      ) : null}
      {budgets.length === 0 ? (
        <p class="empty">
          No rate-limit budget yet: no requests to an API host with a known limit.
        </p>
      ) : (
        <div class="budget-cards">
          {budgets.map((state) => (
            <HostBudget
              key={state.host}
              state={state}
              samples={history(state.host)}
              now={now}
              userLimit={
                userLimitHosts.includes(state.host) ||
                userLimitHosts.includes(state.host.replace(/:\d+$/, ""))
              }
            />
          ))}
        </div>
      )}
    </div>
  );
}
