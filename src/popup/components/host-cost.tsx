import type { HostCost } from "../../messaging/protocol.js";
import { costText } from "../../ui/cost.js";

export interface HostCostsProps {
  cost: readonly HostCost[];
}

/** What bad retries cost per API host, from what the open panels found; nothing when none. */
export function HostCosts({ cost }: HostCostsProps) {
  if (cost.length === 0) return null;
  return (
    <section class="host-costs" aria-label="Cost of bad retries">
      <h2>Bad retries cost</h2>
      <ul>
        {cost.map((c) => (
          <li key={c.host} data-testid="host-cost" data-host={c.host}>
            <span class="host-name">{c.host}</span>: {costText(c)}
          </li>
        ))}
      </ul>
    </section>
  );
}
