/**
 * The browser surfaces the extension's own pages (popup, options) use, as the adapters in
 * src/platform implement them. Declared here so that src/platform never imports those pages: each
 * page's entry (main.tsx) builds the page's ports from these.
 */

/** Host permissions, as match patterns (`*://127.0.0.1/*`). */
export interface HostPermissions {
  contains(origins: string[]): Promise<boolean>;
  /**
   * Resolves to whether the user allowed it. Call it straight from the click: the browser asks
   * only within the user's gesture.
   */
  request(origins: string[]): Promise<boolean>;
  remove(origins: string[]): Promise<void>;
  /** The patterns granted beyond those the manifest requires (which cannot be given back). */
  optional(): Promise<string[]>;
}

/** The tab the toolbar popup was opened on; null fields when the extension may not know them. */
export interface ActiveTab {
  id: number | null;
  url: string | null;
}
