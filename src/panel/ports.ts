import type { NetworkSource, ThemeName } from "../platform/ports/devtools.js";
import type { Settings } from "../settings/settings.js";
import type { PanelReport } from "./report-to-background.js";

/**
 * What the panel needs from the browser. Its entry, main.tsx, builds one `PanelPorts` from
 * src/platform's adapters and the background's RPC client and hands it to `startPanel`, as the
 * popup, options page and background do with theirs; DOM tests hand fakes of the same interface.
 * Views never import src/platform themselves.
 */
export interface PanelPorts {
  /** Opens a script in DevTools' Sources panel; line and column are 1-based as CallerFrame has them. */
  openResource(url: string, line: number, column: number): void;
  /** Offers `text` to the user as a download named `filename`. */
  save(filename: string, mimeType: string, text: string): void;
  /** Stores the user's hosts and limits; the store is reconfigured when they land. */
  saveSettings(settings: Settings): void;
  /** The user's hosts and limits as stored, read once as the panel starts. */
  loadSettings(): Promise<Settings>;
  /** Settings stored since (by the options page or the panel's Hosts view); returns the unsubscribe. */
  onSettingsChanged(listener: (settings: Settings) => void): () => void;
  /**
   * Asks for host permissions as match patterns (a provider preset's hosts), from the click;
   * rejects where the browser lets no DevTools panel ask (src/platform/permissions.ts says where).
   */
  requestOrigins(origins: string[]): Promise<boolean>;
  removeOrigins(origins: string[]): Promise<void>;
  /** DevTools' record of the inspected page's requests. */
  network: NetworkSource;
  /** Tells the background what the panel captured on the inspected tab. */
  reportPanel(report: PanelReport): Promise<unknown>;
  /** DevTools' theme now, and its changes; the subscription returns its unsubscribe. */
  themeName(): ThemeName;
  onThemeChanged(listener: (theme: ThemeName) => void): () => void;
}

export type { ThemeName } from "../platform/ports/devtools.js";
