import { createClient } from "../messaging/rpc.js";
import type { PopupPorts } from "../popup/ports.js";
import { browser } from "./browser.js";
import { runtimeTransport } from "./runtime-messaging.js";

/** The popup's ports: the background's state as the active tab sees it, and the options page. */
export function popupPorts(): PopupPorts {
  const client = createClient(runtimeTransport());
  // The popup closes when the user switches tabs: its tab is asked for once.
  let tabId: Promise<number | null> | undefined;
  const activeTabId = () => {
    tabId ??= browser.tabs.query({ active: true, currentWindow: true }).then(
      ([tab]) => tab?.id ?? null,
      () => null,
    );
    return tabId;
  };
  return {
    async getState() {
      return client.call("getState", { tabId: await activeTabId() });
    },
    openOptions() {
      browser.runtime.openOptionsPage().catch((error: unknown) => {
        console.error("Ratelens options:", error);
      });
    },
  };
}
