import { type CostView, costText } from "../../ui/cost.js";

export interface SessionCostProps {
  /** The session's cost, as the core's report has it. */
  cost: CostView;
}

/** The panel's header line: what the session's bad retries cost, in requests and seconds. */
export function SessionCost({ cost }: SessionCostProps) {
  if (cost.wastedRequests === 0 && cost.wastedSeconds === 0) return null;
  return (
    <p class="session-cost" data-testid="session-cost">
      <span class="chain-label">Bad retries cost:</span> {costText(cost)}
    </p>
  );
}
