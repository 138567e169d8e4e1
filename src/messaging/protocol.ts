import type { BudgetState } from "../core/budget/budget-tracker.js";

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

export interface ErrorCount {
  status: number;
  /** The decoded code (from the panel, which reads bodies); null when only the status is known. */
  code: string | null;
  count: number;
  /** Epoch ms of the latest such error. */
  last: number;
}

export interface BackgroundState {
  /** Epoch ms the figures are computed for. */
  now: number;
  /** The API hosts with traffic, most recently used first. */
  hosts: HostView[];
  /** The host the tab asked about used last, if any. */
  activeHost: string | null;
  /** Findings the panel raised, per tab that has an open panel, in total. */
  findings: number;
  /** Requests dropped, oldest first, because storage.session was full; absent when none. */
  storageDropped?: number;
}

/**
 * One API request a panel captured, as the background keeps it: enough for the budget and the
 * error counts, never a body, a cookie or a credential.
 */
export interface ObservedRequest {
  method: string;
  url: string;
  /** 0 when no response arrived. */
  status: number;
  /** Epoch ms the request started and its response ended, as the panel's entry says. */
  start: number;
  end: number;
  /** Only the response headers that speak of the rate limit, names lower-case. */
  headers: [name: string, value: string][];
  /** The code the panel decoded from the body (or the status), null for a success. */
  code: string | null;
}

export interface Requests {
  /** The popup's view: every host, and the one the given tab used last. */
  getState: { params: { tabId: number | null }; result: BackgroundState };
  /**
   * The panel reports the API requests it captured in its tab (the background counts them in that
   * tab's budget, once, even when webRequest saw them too) and how many findings it has.
   */
  reportPanel: {
    params: { tabId: number; observed: ObservedRequest[]; findings: number };
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
