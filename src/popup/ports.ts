import type { BackgroundState } from "../messaging/protocol.js";

/**
 * What the popup needs from the browser, injected by main.tsx (src/platform behind it) and by
 * fakes in DOM tests. The popup's views never import src/platform themselves.
 */
export interface PopupPorts {
  /** The background's view of every API host, and the one the active tab used last. */
  getState(): Promise<BackgroundState>;
  /** Opens the extension's options page. */
  openOptions(): void;
  /** The active tab's address, or null when the extension may not read it. */
  activeTabUrl(): Promise<string | null>;
  /** Whether the extension holds the host permission `pattern` (e.g. `*://127.0.0.1/*`). */
  hasSite(pattern: string): Promise<boolean>;
  /**
   * Asks the browser for the host permission `pattern`; resolves to whether the user allowed it.
   * Call it straight from the click: the browser asks only within the user's gesture.
   */
  requestSite(pattern: string): Promise<boolean>;
}
