import type { Settings } from "../settings/settings.js";

/**
 * What the options page needs from the browser, injected by main.tsx (src/platform behind it) and
 * by fakes in DOM tests. The options page's views never import src/platform themselves.
 */
export interface OptionsPorts {
  load(): Promise<Settings>;
  /** Stores the settings and tells the background to re-read them. */
  save(settings: Settings): Promise<void>;
  /**
   * Asks the browser for permission to watch `host` (`hostname` or `hostname:port`) from the
   * background; true when granted. Must be called during a user gesture, before any await.
   */
  requestHostPermission(host: string): Promise<boolean>;
  /** Gives back the permission for `host`'s hostname. */
  removeHostPermission(host: string): Promise<void>;
  /**
   * Asks for host permissions as match patterns (a provider preset's `https://api.openai.com/*`);
   * true when granted. During a user gesture, before any await.
   */
  requestOrigins(origins: string[]): Promise<boolean>;
  removeOrigins(origins: string[]): Promise<void>;
  /**
   * The origins of pages whose API calls the background may see: Chromium reports a request to
   * webRequest only when the extension may access both the API host and the page that sent it.
   * As match patterns (`*://localhost/*`), ports ignored.
   */
  watchedPages(): Promise<string[]>;
  /** Asks to watch pages on `hostname`; during a user gesture, before any await. */
  watchPages(hostname: string): Promise<boolean>;
  unwatchPages(hostname: string): Promise<void>;
}
