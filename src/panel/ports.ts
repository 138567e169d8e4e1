import type { Settings } from "../settings/settings.js";

/**
 * What the panel's views need from the browser, injected by main.tsx (src/platform behind it) and
 * by fakes in DOM tests. Views never import src/platform themselves.
 */
export interface PanelPorts {
  /** Opens a script in DevTools' Sources panel; line and column are 1-based as CallerFrame has them. */
  openResource(url: string, line: number, column: number): void;
  /** Offers `text` to the user as a download named `filename`. */
  save(filename: string, mimeType: string, text: string): void;
  /** Stores the user's hosts and limits; the store is reconfigured when they land. */
  saveSettings(settings: Settings): void;
}

export type { ThemeName } from "../platform/ports/devtools.js";
