import type { ComponentChildren } from "preact";
import type { BudgetState } from "../core/budget/budget-tracker.js";
import { formatClockSeconds } from "../core/clock-time.js";
import { BudgetMeter } from "./budget-meter.js";
import { burnRateText, estimateText, isLow, resetText, runsOutText } from "./budget-text.js";
import { formatCountdown, formatDuration } from "./format.js";

/** Where the card is drawn: each page's stylesheet and tests know it by its own names. */
export type CardSurface = "panel" | "popup";

const NAMES = {
  panel: {
    card: "budget-card",
    low: "budget-low",
    row: "budget-figures",
    numbers: "budget-numbers",
    ids: {
      card: "budget-host",
      estimate: "budget-estimate",
      remaining: "budget-remaining",
      limit: "budget-limit",
      reset: "budget-reset-countdown",
      retryAfter: "budget-retry-after",
      burnRate: undefined,
      runsOut: undefined,
    },
  },
  popup: {
    card: "host-card",
    low: "host-low",
    row: "meter-row",
    numbers: "numbers",
    ids: {
      card: "popup-host",
      estimate: "popup-estimate",
      remaining: "popup-remaining",
      limit: "popup-limit",
      reset: "popup-reset",
      retryAfter: "popup-retry-after",
      burnRate: "popup-burn-rate",
      runsOut: "popup-runs-out",
    },
  },
} as const;

export interface BudgetCardProps {
  surface: CardSurface;
  budget: BudgetState;
  now: number;
  /** The popup's host of the active tab: drawn marked. */
  active?: boolean;
  /** Drawn below the figures: the panel's chart, the popup's last errors. */
  children?: ComponentChildren;
}

/** The headline's meter names the binding budget, set apart from its own row below. */
function headlineLabel(budget: BudgetState): string {
  const [binding, ...others] = budget.meters;
  const name = binding?.name ?? "requests";
  return others.length === 0
    ? meterLabel(name, budget.host)
    : `${meterLabel(name, budget.host)}, the least left`;
}

function meterLabel(name: string, host: string): string {
  return `Remaining ${name} of ${host}`;
}

/**
 * Every budget of a host that keeps several (requests and tokens, GitHub's resources), binding
 * first, each with its own figures and countdown.
 */
function MeterRows({
  budget,
  now,
  names,
}: {
  budget: BudgetState;
  now: number;
  names: (typeof NAMES)[CardSurface];
}) {
  return (
    <ul class="meters" aria-label={`Budgets of ${budget.host}`}>
      {budget.meters.map((meter) => (
        <li key={meter.name} class="meter-item" data-testid="meter" data-meter={meter.name}>
          <span class="meter-name">
            {meter.name}
            {meter.source === "estimate" ? <span class="meter-estimate"> (estimate)</span> : null}
          </span>
          <BudgetMeter
            label={meterLabel(meter.name, budget.host)}
            remaining={meter.remaining}
            limit={meter.limit}
            rowClass={names.row}
            numbersClass={names.numbers}
            testIds={{ remaining: "meter-remaining", limit: "meter-limit" }}
          />
          <span class="meter-reset">
            resets <span data-testid="meter-reset">{resetText(meter.resetAt, now)}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}

/** One host's budget: what is left, when it comes back, how fast it goes. Panel and popup. */
export function BudgetCard({ surface, budget, now, active, children }: BudgetCardProps) {
  const names = NAMES[surface];
  const { remaining, limit } = budget;
  const low = isLow(remaining, limit);
  const retryAfter =
    budget.retryAfterUntil !== null && budget.retryAfterUntil > now ? budget.retryAfterUntil : null;
  const provider =
    budget.provider === null ? null : <span class="provider">{budget.provider}</span>;
  return (
    <article
      class={`${names.card}${active ? " host-active" : ""}${low ? ` ${names.low}` : ""}`}
      data-testid={names.ids.card}
      data-host={budget.host}
      data-active={surface === "popup" ? (active ? "true" : "false") : undefined}
      aria-label={`Budget of ${budget.host}`}
    >
      {surface === "panel" ? (
        <h3 class="budget-host">
          {budget.host}
          {provider}
        </h3>
      ) : (
        <h2 class="host-head">
          <span class="host-name">{budget.host}</span>
          {provider}
          {active ? <span class="this-tab">this tab</span> : null}
        </h2>
      )}
      {budget.source === "estimate" ? (
        <p class="estimate" data-testid={names.ids.estimate}>
          {estimateText(budget)}
        </p>
      ) : null}
      <BudgetMeter
        label={headlineLabel(budget)}
        remaining={remaining}
        limit={limit}
        rowClass={names.row}
        numbersClass={names.numbers}
        testIds={{ remaining: names.ids.remaining, limit: names.ids.limit }}
      />
      {budget.meters.length > 1 ? <MeterRows budget={budget} now={now} names={names} /> : null}
      <dl class="facts">
        <dt>Resets</dt>
        <dd data-testid={names.ids.reset}>{resetText(budget.resetAt, now)}</dd>
        {retryAfter === null ? null : (
          <>
            <dt>Retry-After</dt>
            <dd class="retry-after" data-testid={names.ids.retryAfter}>
              wait {formatCountdown(retryAfter - now)} more (until {formatClockSeconds(retryAfter)})
            </dd>
          </>
        )}
        <dt>Burn rate</dt>
        <dd data-testid={names.ids.burnRate}>{burnRateText(budget.requestsLastMinute)}</dd>
        <dt>Runs out</dt>
        <dd data-testid={names.ids.runsOut}>
          {runsOutText(remaining, budget.requestsLastMinute, budget.meters[0]?.unit)}
        </dd>
        {budget.skewMs === 0 ? null : (
          <>
            <dt>Clock skew</dt>
            <dd>
              server {formatDuration(Math.abs(budget.skewMs))}{" "}
              {budget.skewMs > 0 ? "ahead" : "behind"}
            </dd>
          </>
        )}
      </dl>
      {children}
    </article>
  );
}
