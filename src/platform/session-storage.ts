import { browser } from "./browser.js";
import type { StorageSlot } from "./ports/background.js";

/**
 * One key of `storage.session`: kept in memory while the browser runs, across service worker
 * restarts, and never written to disk.
 */
export function sessionSlot(key: string): StorageSlot {
  return {
    async get() {
      const stored = await browser.storage.session.get(key);
      return stored[key];
    },
    async set(value) {
      await browser.storage.session.set({ [key]: value });
    },
  };
}
