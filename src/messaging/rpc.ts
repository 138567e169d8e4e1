import { isCount } from "../core/guards.js";
import { isRecord } from "../core/is-record.js";
import type {
  HostCost,
  Params,
  RequestMessage,
  RequestName,
  Requests,
  ResponseMessage,
  Result,
} from "./protocol.js";

/** Who sent a message: the tab of a content script; absent for extension pages (panel, popup). */
export interface Sender {
  tabId?: number;
}

/**
 * What the RPC needs of a channel: the runtime's messages in the extension, an in-memory pair in
 * tests. A message handler returns a promise to answer, or undefined to leave the message to
 * other listeners.
 */
export interface Transport {
  send(message: RequestMessage): Promise<unknown>;
  onMessage(
    handler: (message: unknown, sender: Sender) => Promise<unknown> | undefined,
  ): () => void;
}

export type Handlers = {
  [N in RequestName]: (params: Params<N>, sender: Sender) => Promise<Result<N>> | Result<N>;
};

export interface Client {
  /** Resolves to the handler's result; rejects with the handler's error text or a bad answer. */
  call<N extends RequestName>(name: N, params: Params<N>): Promise<Result<N>>;
}

function isTabId(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value);
}

/** One host's cost as it crosses the channel: a host name and two counts that are not negative. */
export function isHostCost(value: unknown): value is HostCost {
  return (
    isRecord(value) &&
    typeof value.host === "string" &&
    value.host !== "" &&
    isCount(value.wastedRequests) &&
    typeof value.wastedSeconds === "number" &&
    Number.isFinite(value.wastedSeconds) &&
    value.wastedSeconds >= 0
  );
}

function isOk(value: unknown): boolean {
  return isRecord(value) && value.ok === true;
}

/** Shallow checks of what crosses the channel: enough that a handler or a view never trips. */
const CHECKS: { [N in RequestName]: { params(v: unknown): boolean; result(v: unknown): boolean } } =
  {
    getState: {
      params: (v) => isRecord(v) && (v.tabId === null || isTabId(v.tabId)),
      result: (v) =>
        isRecord(v) &&
        typeof v.now === "number" &&
        Array.isArray(v.hosts) &&
        v.hosts.every((h) => isRecord(h) && isRecord(h.budget) && Array.isArray(h.errors)) &&
        (v.activeHost === null || typeof v.activeHost === "string") &&
        isCount(v.findings) &&
        Array.isArray(v.cost) &&
        v.cost.every(isHostCost),
    },
    reportPanel: {
      params: (v) =>
        isRecord(v) &&
        isTabId(v.tabId) &&
        Array.isArray(v.observed) &&
        // Each record is made again by the core on receipt (readRecord), which drops what is not one.
        v.observed.every(isRecord) &&
        isCount(v.findings) &&
        Array.isArray(v.cost) &&
        v.cost.every(isHostCost),
      result: isOk,
    },
    settingsChanged: { params: isRecord, result: isOk },
  };

function isRequestName(value: unknown): value is RequestName {
  return typeof value === "string" && Object.hasOwn(CHECKS, value);
}

/** One of our requests (`ratelens: 1` and a known name), whatever its params. */
export function isRequestMessage(value: unknown): value is RequestMessage {
  return isRecord(value) && value.ratelens === 1 && isRequestName(value.name);
}

export function createClient(transport: Transport): Client {
  return {
    async call<N extends RequestName>(name: N, params: Params<N>): Promise<Result<N>> {
      const message: RequestMessage<N> = { ratelens: 1, name, params };
      const response: unknown = await transport.send(message as RequestMessage);
      if (!isRecord(response)) throw new Error(`No answer to ${name}`);
      if (response.ok === false) {
        throw new Error(typeof response.error === "string" ? response.error : `${name} failed`);
      }
      if (response.ok !== true || !CHECKS[name].result(response.result)) {
        throw new Error(`Malformed answer to ${name}`);
      }
      return response.result as Requests[N]["result"];
    },
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function answer<N extends RequestName>(
  handlers: Handlers,
  message: RequestMessage<N>,
  sender: Sender,
): Promise<ResponseMessage<N>> {
  if (!CHECKS[message.name].params(message.params)) {
    return { ok: false, error: `Invalid params for ${message.name}` };
  }
  try {
    const handler = handlers[message.name] as Handlers[N];
    return { ok: true, result: await handler(message.params, sender) };
  } catch (error) {
    return { ok: false, error: errorText(error) };
  }
}

/** Answers our requests with `handlers`; leaves every other message alone. Returns the unsubscribe. */
export function serve(transport: Transport, handlers: Handlers): () => void {
  return transport.onMessage((message, sender) =>
    isRequestMessage(message) ? answer(handlers, message, sender) : undefined,
  );
}
