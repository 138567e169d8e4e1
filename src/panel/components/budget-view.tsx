import type { BudgetState } from "../../core/budget/budget-tracker.js";
import { plural } from "../../core/labels.js";
import type { BudgetSample } from "../../core/session.js";
import { BudgetMeter } from "../../ui/budget-meter.js";
import { formatClockSeconds, formatCountdown, formatDuration } from "../../ui/format.js";
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

function runsOut(state: BudgetState): string {
  if (state.remaining === null) return "unknown";
  if (state.remaining === 0) return "already used up";
  if (state.requestsLastMinute === 0)
    return "not at the current rate (no requests in the last minute)";
  const ms = (state.remaining / state.requestsLastMinute) * 60_000;
  return `in about ${formatDuration(ms)} at this rate`;
}

function BudgetCard({
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
  const { remaining, limit } = state;
  const low = remaining !== null && limit !== null && limit > 0 && remaining / limit <= 0.1;
  return (
    <article
      class={`budget-card${low ? " budget-low" : ""}`}
      data-testid="budget-host"
      data-host={state.host}
      aria-label={`Budget of ${state.host}`}
    >
      <h3 class="budget-host">
        {state.host}
        {state.provider === null ? null : <span class="provider">{state.provider}</span>}
      </h3>
      {state.source === "estimate" ? (
        <p class="estimate" data-testid="budget-estimate">
          {estimateLabel(state, samples, userLimit)}
        </p>
      ) : null}
      <BudgetMeter
        host={state.host}
        remaining={remaining}
        limit={limit}
        rowClass="budget-figures"
        numbersClass="budget-numbers"
        testIds={{ remaining: "budget-remaining", limit: "budget-limit" }}
      />
      <dl class="facts">
        <dt>Resets</dt>
        <dd data-testid="budget-reset-countdown">
          {state.resetAt === null
            ? "unknown"
            : state.resetAt > now
              ? `in ${formatCountdown(state.resetAt - now)} (${formatClockSeconds(state.resetAt)})`
              : "now"}
        </dd>
        {state.retryAfterUntil === null ? null : (
          <>
            <dt>Retry-After</dt>
            <dd class="retry-after" data-testid="budget-retry-after">
              wait {formatCountdown(state.retryAfterUntil - now)} more (until{" "}
              {formatClockSeconds(state.retryAfterUntil)})
            </dd>
          </>
        )}
        <dt>Burn rate</dt>
        <dd>{plural(state.requestsLastMinute, "request")} in the last minute</dd>
        <dt>Runs out</dt>
        <dd>{runsOut(state)}</dd>
        {state.skewMs === 0 ? null : (
          <>
            <dt>Clock skew</dt>
            <dd>
              server {formatDuration(Math.abs(state.skewMs))}{" "}
              {state.skewMs > 0 ? "ahead" : "behind"}
            </dd>
          </>
        )}
      </dl>
      <BudgetChart samples={samples} now={now} />
    </article>
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
            <BudgetCard
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
