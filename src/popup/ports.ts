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
}
