import type { Chain, Cost } from "../core/chains.js";
import { plural } from "../core/labels.js";
import type { HostCost } from "../messaging/protocol.js";
import { formatDuration } from "./format.js";

/** What the views read of the core's `Cost` (spec section 8): the session's figures in all. */
export type CostView = Pick<Cost, "wastedRequests" | "wastedSeconds">;

/** "3 requests wasted, 1.5 s lost": what the header, a chain's row and the popup say. */
export function costText({ wastedRequests, wastedSeconds }: CostView): string {
  return `${plural(wastedRequests, "request")} wasted, ${formatDuration(wastedSeconds * 1000)} lost`;
}

/**
 * The chains' cost per API host, costliest first: what the panel tells the background, for the
 * popup. A chain that wasted nothing costs nothing and names no host.
 */
export function costByHost(chains: readonly Chain[]): HostCost[] {
  const byHost = new Map<string, HostCost>();
  for (const { host, wastedRequests, wastedSeconds } of chains) {
    if (wastedRequests === 0 && wastedSeconds === 0) continue;
    const sum = byHost.get(host) ?? { host, wastedRequests: 0, wastedSeconds: 0 };
    sum.wastedRequests += wastedRequests;
    sum.wastedSeconds += wastedSeconds;
    byHost.set(host, sum);
  }
  return [...byHost.values()].sort(
    (a, b) =>
      b.wastedRequests - a.wastedRequests ||
      b.wastedSeconds - a.wastedSeconds ||
      a.host.localeCompare(b.host),
  );
}
