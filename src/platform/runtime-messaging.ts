import type { Sender, Transport } from "../messaging/rpc.js";
import { browser } from "./browser.js";

/**
 * The RPC transport over `runtime.sendMessage` / `runtime.onMessage`. A listener answers by
 * returning a promise (the polyfill and Firefox both take that); returning undefined leaves the
 * message to another listener.
 */
export function runtimeTransport(): Transport {
  return {
    send: (message) => browser.runtime.sendMessage(message),
    onMessage(handler) {
      const listener = (message: unknown, sender: { tab?: { id?: number } }) => {
        const tabId = sender.tab?.id;
        const from: Sender = tabId === undefined ? {} : { tabId };
        return handler(message, from);
      };
      browser.runtime.onMessage.addListener(listener);
      return () => browser.runtime.onMessage.removeListener(listener);
    },
  };
}
