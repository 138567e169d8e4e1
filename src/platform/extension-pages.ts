import { browser } from "./browser.js";
import type { ActiveTab } from "./ports/pages.js";

/**
 * The active tab of the current window. Opened from the toolbar, the popup holds `activeTab` for
 * it, which lets `tabs.query` tell its address.
 */
export async function activeTab(): Promise<ActiveTab> {
  try {
    const [found] = await browser.tabs.query({ active: true, currentWindow: true });
    return { id: found?.id ?? null, url: found?.url ?? null };
  } catch {
    return { id: null, url: null };
  }
}

export function openOptionsPage(): void {
  browser.runtime.openOptionsPage().catch((error: unknown) => {
    console.error("Ratelens options:", error);
  });
}
