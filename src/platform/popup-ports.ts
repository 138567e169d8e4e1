import { createClient } from "../messaging/rpc.js";
import type { PopupPorts } from "../popup/ports.js";
import { browser } from "./browser.js";
import { runtimeTransport } from "./runtime-messaging.js";

/**
 * The popup's ports: the background's state as the active tab sees it, the tab's site and its
 * host permission, and the options page. Opened from the toolbar, the popup holds `activeTab` for
 * the tab, which lets `tabs.query` tell its address.
 */
export function popupPorts(): PopupPorts {
  const client = createClient(runtimeTransport());
  // The popup closes when the user switches tabs: its tab is asked for once.
  let activeTab: Promise<{ id: number | null; url: string | null }> | undefined;
  const tab = () => {
    activeTab ??= browser.tabs.query({ active: true, currentWindow: true }).then(
      ([found]) => ({ id: found?.id ?? null, url: found?.url ?? null }),
      () => ({ id: null, url: null }),
    );
    return activeTab;
  };
  return {
    async getState() {
      return client.call("getState", { tabId: (await tab()).id });
    },
    openOptions() {
      browser.runtime.openOptionsPage().catch((error: unknown) => {
        console.error("Ratelens options:", error);
      });
    },
    async activeTabUrl() {
      return (await tab()).url;
    },
    hasSite: (pattern) => browser.permissions.contains({ origins: [pattern] }),
    // Not async: the browser's prompt must be asked for within the caller's user gesture.
    requestSite: (pattern) => browser.permissions.request({ origins: [pattern] }),
  };
}
