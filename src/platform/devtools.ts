import type { HarEntry } from "../core/types.js";
import { browser } from "./browser.js";
import { getContent } from "./get-content.js";
import type { CapturedRequest, NetworkSource, ThemeName } from "./ports/devtools.js";

type DevtoolsRequest = HarEntry & { getContent(callback?: (...args: unknown[]) => void): unknown };

function captured(request: DevtoolsRequest): CapturedRequest {
  return { entry: request, content: (timeoutMs) => getContent(request, timeoutMs) };
}

declare const __RATELENS_BROWSER__: string;
const BROWSER = typeof __RATELENS_BROWSER__ === "string" ? __RATELENS_BROWSER__ : "chrome";

/** `devtools.network` as capture needs it: each subscription returns its unsubscribe. */
export const devtoolsNetwork: NetworkSource = {
  // Firefox (153) drops CORS-preflighted requests from its own network log when getHAR() runs
  // while they are under way: with the log read every 0.4 s, 7 and 9 of 40 such requests were
  // missing from it, and from every later read; with no reads, 0 of 80. Chrome needs the reads for
  // requests it never reports (a no-store body the page never reads), and loses nothing to them.
  periodicReads: BROWSER !== "firefox",
  onRequestFinished(listener) {
    const handler = (request: unknown) => listener(captured(request as DevtoolsRequest));
    browser.devtools.network.onRequestFinished.addListener(handler);
    return () => browser.devtools.network.onRequestFinished.removeListener(handler);
  },
  async getHar() {
    const log = (await browser.devtools.network.getHAR()) as unknown as { entries?: unknown[] };
    return (log.entries ?? []).map((entry) => captured(entry as DevtoolsRequest));
  },
  onNavigated(listener) {
    browser.devtools.network.onNavigated.addListener(listener);
    return () => browser.devtools.network.onNavigated.removeListener(listener);
  },
};

export function themeName(): ThemeName {
  return browser.devtools.panels.themeName === "dark" ? "dark" : "default";
}

export function onThemeChanged(listener: (theme: ThemeName) => void): () => void {
  const onThemeChangedEvent = browser.devtools.panels.onThemeChanged;
  // Chrome has no onThemeChanged; DevTools reloads extension panels when the theme changes.
  if (onThemeChangedEvent === undefined) return () => {};
  const handler = (name: string) => listener(name === "dark" ? "dark" : "default");
  onThemeChangedEvent.addListener(handler);
  return () => onThemeChangedEvent.removeListener(handler);
}

/** Opens a script in the Sources panel; `line` and `column` are 1-based, DevTools counts from 0. */
export function openResource(url: string, line: number, column: number): void {
  const panels = browser.devtools.panels as unknown as {
    openResource?: (url: string, line: number, column?: number, callback?: () => void) => unknown;
  };
  panels.openResource?.(url, Math.max(0, line - 1), Math.max(0, column - 1), () => {});
}

export function createPanel(title: string, icon: string, page: string): Promise<unknown> {
  return browser.devtools.panels.create(title, icon, page);
}

/** The tab DevTools inspects: the panel reports for this tab. */
export function inspectedTabId(): number {
  return browser.devtools.inspectedWindow.tabId;
}
