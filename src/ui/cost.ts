import type { Cost } from "../core/chains.js";
import { plural } from "../core/labels.js";
import { formatDuration } from "./format.js";

/** What the views read of the core's `Cost`: the session's figures in all. */
export type CostView = Pick<Cost, "wastedRequests" | "wastedSeconds">;

/** "3 requests wasted, 1.5 s lost": what the header, a chain's row and the popup say. */
export function costText({ wastedRequests, wastedSeconds }: CostView): string {
  return `${plural(wastedRequests, "request")} wasted, ${formatDuration(wastedSeconds * 1000)} lost`;
}
