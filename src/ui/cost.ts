import { plural } from "../core/labels.js";
import type { RuleId } from "../core/rules/index.js";
import type { CallerFrame, Severity } from "../core/types.js";
import type { HostCost } from "../messaging/protocol.js";
import { formatDuration } from "./format.js";

/**
 * A retry chain as the views read it: the fields of the core's `Chain` (spec section 8) they
 * show. The core's chains fit it as they are.
 */
export interface ChainView {
  rules: RuleId[];
  severity: Severity;
  entries: number[];
  host: string;
  method: string;
  url: string;
  attempts: number;
  wastedRequests: number;
  wastedSeconds: number;
  caller?: CallerFrame;
  library?: { name: string; option: string; advice: string };
  message: string;
  advice: string;
}

/** What the bad retries of a session cost in all (the core's `Cost`, without its split by rule). */
export interface CostView {
  wastedRequests: number;
  wastedSeconds: number;
}

/** "3 requests wasted, 1.5 s lost": what the header, a chain's row and the popup say. */
export function costText({ wastedRequests, wastedSeconds }: CostView): string {
  return `${plural(wastedRequests, "request")} wasted, ${formatDuration(wastedSeconds * 1000)} lost`;
}

/**
 * The chains' cost per API host, costliest first: what the panel tells the background, for the
 * popup. A chain that wasted nothing costs nothing and names no host.
 */
export function costByHost(chains: readonly ChainView[]): HostCost[] {
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
