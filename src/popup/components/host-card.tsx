import type { ErrorCount, HostView } from "../../messaging/protocol.js";
import { BudgetMeter } from "../../ui/budget-meter.js";
import { burnRateText, errorLabel, isLow, resetText, runsOutText } from "../../ui/budget-text.js";
import { formatClockSeconds, formatCountdown } from "../../ui/format.js";

/** The popup is small: the most recent error kinds, the rest counted. */
const MAX_ERRORS = 5;

export interface HostCardProps {
  view: HostView;
  /** The host the active tab used last: drawn first and marked. */
  active: boolean;
  now: number;
}

function estimateLabel(limit: number | null): string {
  return limit === null
    ? "no limit known: no rate-limit headers and no documented limit"
    : "estimate from documented limits, no rate-limit headers";
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
  const { budget } = view;
  const { remaining, limit } = budget;
  const low = isLow(remaining, limit);
  const retryAfter =
    budget.retryAfterUntil !== null && budget.retryAfterUntil > now ? budget.retryAfterUntil : null;
  return (
    <article
      class={`host-card${active ? " host-active" : ""}${low ? " host-low" : ""}`}
      data-testid="popup-host"
      data-host={budget.host}
      data-active={active ? "true" : "false"}
      aria-label={`Budget of ${budget.host}`}
    >
      <h2 class="host-head">
        <span class="host-name">{budget.host}</span>
        {budget.provider === null ? null : <span class="provider">{budget.provider}</span>}
        {active ? <span class="this-tab">this tab</span> : null}
      </h2>
      {budget.source === "estimate" ? (
        <p class="estimate" data-testid="popup-estimate">
          {estimateLabel(limit)}
        </p>
      ) : null}
      <BudgetMeter
        host={budget.host}
        remaining={remaining}
        limit={limit}
        rowClass="meter-row"
        numbersClass="numbers"
        testIds={{ remaining: "popup-remaining", limit: "popup-limit" }}
      />
      <dl class="facts">
        <dt>Resets</dt>
        <dd data-testid="popup-reset">{resetText(budget.resetAt, now)}</dd>
        {retryAfter === null ? null : (
          <>
            <dt>Retry-After</dt>
            <dd class="retry-after" data-testid="popup-retry-after">
              wait {formatCountdown(retryAfter - now)} more (until {formatClockSeconds(retryAfter)})
            </dd>
          </>
        )}
        <dt>Burn rate</dt>
        <dd data-testid="popup-burn-rate">{burnRateText(budget.requestsLastMinute)}</dd>
        <dt>Runs out</dt>
        <dd data-testid="popup-runs-out">{runsOutText(remaining, budget.requestsLastMinute)}</dd>
      </dl>
      <ErrorList errors={view.errors} />
    </article>
  );
}
