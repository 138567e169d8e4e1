import type { ErrorCount } from "../../core/host-errors.js";
import type { HostView } from "../../messaging/protocol.js";
import { BudgetCard } from "../../ui/budget-card.js";
import { errorLabel } from "../../ui/budget-text.js";

/** The popup is small: the most recent error kinds, the rest counted. */
const MAX_ERRORS = 5;

export interface HostCardProps {
  view: HostView;
  /** The host the active tab used last: drawn first and marked. */
  active: boolean;
  now: number;
}

function ErrorList({ errors }: { errors: readonly ErrorCount[] }) {
  if (errors.length === 0) return null;
  const latest = [...errors].sort((a, b) => b.last - a.last);
  const shown = latest.slice(0, MAX_ERRORS);
  const more = latest.length - shown.length;
  return (
    <div class="errors">
      <h3>Last errors</h3>
      <ul>
        {shown.map((error) => (
          <li
            key={`${error.status} ${error.code ?? ""}`}
            data-testid="popup-error"
            data-status={String(error.status)}
            data-code={error.code ?? ""}
            class={error.code === null ? "status-only" : undefined}
          >
            <span class="error-label">{errorLabel(error)}</span>{" "}
            <span class="error-count">×{error.count}</span>
          </li>
        ))}
      </ul>
      {more > 0 ? (
        <p class="muted more">
          and {more} more {more === 1 ? "kind" : "kinds"} of error
        </p>
      ) : null}
    </div>
  );
}

/** One API host: what is left of its budget, when it comes back, how fast it goes, what failed. */
export function HostCard({ view, active, now }: HostCardProps) {
  return (
    <BudgetCard surface="popup" budget={view.budget} now={now} active={active}>
      <ErrorList errors={view.errors} />
    </BudgetCard>
  );
}
