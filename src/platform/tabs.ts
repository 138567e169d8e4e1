import { browser } from "./browser.js";
import type { TabEvents } from "./ports/background.js";

export const tabEvents: TabEvents = {
  async activeTabId() {
    const [tab] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
    return tab?.id ?? null;
  },
  onActivated(listener) {
    const handler = ({ tabId }: { tabId: number }) => listener(tabId);
    browser.tabs.onActivated.addListener(handler);
    return () => browser.tabs.onActivated.removeListener(handler);
  },
  onRemoved(listener) {
    const handler = (tabId: number) => listener(tabId);
    browser.tabs.onRemoved.addListener(handler);
    return () => browser.tabs.onRemoved.removeListener(handler);
  },
};
