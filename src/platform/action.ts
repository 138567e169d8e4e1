import { browser } from "./browser.js";
import type { Badge } from "./ports/background.js";

/** Shows `badge` on the toolbar button for one tab; rejects when the tab is gone. */
export async function setBadge(tabId: number, badge: Badge): Promise<void> {
  await Promise.all([
    browser.action.setBadgeText({ tabId, text: badge.text }),
    browser.action.setBadgeBackgroundColor({ tabId, color: badge.color }),
    browser.action.setTitle({ tabId, title: badge.title }),
  ]);
}
