import type { BudgetState } from "../../core/budget/budget-tracker.js";
import type { BudgetWindow } from "../../core/budget/windows.js";
import { formatClockSeconds } from "../../core/clock-time.js";
import type { BudgetSample } from "../../core/session.js";
import { BudgetCard } from "../../ui/budget-card.js";
import { BudgetChart } from "./budget-chart.js";

export interface BudgetViewProps {
  budgets: readonly BudgetState[];
  history: (host: string) => readonly BudgetSample[];
  /** The host's budget windows over the session: the chart shades its Retry-After ones. */
  windows: (host: string) => readonly BudgetWindow[];
  now: number;
  /** A recorded session: the figures are as of its end, not the wall clock. */
  recorded: boolean;
}

function HostBudget({
  state,
  samples,
  windows,
  now,
}: {
  state: BudgetState;
  samples: readonly BudgetSample[];
  windows: readonly BudgetWindow[];
  now: number;
}) {
  return (
    <BudgetCard surface="panel" budget={state} now={now}>
      <BudgetChart host={state.host} samples={samples} windows={windows} now={now} />
    </BudgetCard>
  );
}

/** One card per host: what is left, when it comes back, and how fast it is going. */
export function BudgetView({ budgets, history, windows, now, recorded }: BudgetViewProps) {
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
              windows={windows(state.host)}
              now={now}
            />
          ))}
        </div>
      )}
    </div>
  );
}
