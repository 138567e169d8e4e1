import type { BudgetState } from "../core/budget/budget-tracker.js";
import type { HostCost } from "../core/chains.js";
import type { ErrorCount } from "../core/host-errors.js";
import type { RequestRecord } from "../core/request-record.js";

/**
 * The one message protocol between the panel, the popup, the options page and the background.
 * Every request has a name, typed params and a typed result; `src/messaging/rpc.ts` carries them
 * over any transport (the runtime's messages in the extension, test/support/memory-transport.ts in
 * tests).
 */

/** What the background knows of one API host, for the popup and the badge. */
export interface HostView {
  /** The core's budget state for the host, as of `now` of the answer. */
  budget: BudgetState;
  /** Error responses by what is known of them: a code the panel decoded, or only the status. */
  errors: ErrorCount[];
  /** Epoch ms of the host's latest response. */
  lastSeen: number;
}

/** What bad retries to one API host cost, as the open panels' chains found it. */
export type { HostCost };

export interface BackgroundState {
  /** Epoch ms the figures are computed for. */
  now: number;
  /** The API hosts with traffic, most recently used first. */
  hosts: HostView[];
  /** The host the tab asked about used last, if any. */
  activeHost: string | null;
  /** Findings the panel raised, per tab that has an open panel, in total. */
  findings: number;
  /** Per API host, the cost of the bad retries the open panels found, costliest first. */
  cost: HostCost[];
  /** Requests dropped, oldest first, because storage.session was full; absent when none. */
  storageDropped?: number;
}

export interface Requests {
  /** The popup's view: every host, and the one the given tab used last. */
  getState: { params: { tabId: number | null }; result: BackgroundState };
  /**
   * The panel reports the API requests it captured in its tab (the background counts them in that
   * tab's budget, once, even when webRequest saw them too), how many findings it has, and what
   * its chains cost per host.
   */
  reportPanel: {
    params: { tabId: number; observed: RequestRecord[]; findings: number; cost: HostCost[] };
    result: { ok: true };
  };
  /** The options page or the panel changed the settings: re-read them. */
  settingsChanged: { params: Record<string, never>; result: { ok: true } };
}

export type RequestName = keyof Requests;
export type Params<N extends RequestName> = Requests[N]["params"];
export type Result<N extends RequestName> = Requests[N]["result"];

/** A request as it travels. `ratelens` tells our messages from anything else on the channel. */
export interface RequestMessage<N extends RequestName = RequestName> {
  ratelens: 1;
  name: N;
  params: Params<N>;
}

export type ResponseMessage<N extends RequestName = RequestName> =
  | { ok: true; result: Result<N> }
  | { ok: false; error: string };
