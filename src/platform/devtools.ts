import type { HarEntry } from "../core/types.js";
import { browser } from "./browser.js";
import { getContent } from "./get-content.js";
import { type NetworkEvents, NetworkRecording } from "./network-recording.js";
import type { CapturedRequest, NetworkSource, ThemeName } from "./ports/devtools.js";

type DevtoolsRequest = HarEntry & { getContent(callback?: (...args: unknown[]) => void): unknown };

function captured(request: DevtoolsRequest): CapturedRequest {
  return { entry: request, content: (timeoutMs) => getContent(request, timeoutMs) };
}

declare const __RATELENS_BROWSER__: string;
const BROWSER = typeof __RATELENS_BROWSER__ === "string" ? __RATELENS_BROWSER__ : "chrome";
/**
 * Firefox (153) drops CORS-preflighted requests from its own network log when `getHAR()` runs
 * while they are under way, for good: with the log read every 0.4 s, 7 and 9 of 40 such requests
 * were missing; a burst sent as the panel opened lost 7 to 38 of 302 even with reads made only in
 * quiet moments, and 0 of 302 (three runs) with no reads. So in Firefox the DevTools page records
 * what `onRequestFinished` reports from the moment the toolbox opens, and the panel reads that
 * recording, never DevTools' log. Chrome needs its log for requests it never reports (a no-store
 * body the page never reads), and loses nothing to reads.
 */
const RECORDS = BROWSER === "firefox";

const devtoolsEvents: NetworkEvents = {
  onRequestFinished(listener) {
    const handler = (request: unknown) => listener(captured(request as DevtoolsRequest));
    browser.devtools.network.onRequestFinished.addListener(handler);
    return () => browser.devtools.network.onRequestFinished.removeListener(handler);
  },
  onNavigated(listener) {
    browser.devtools.network.onNavigated.addListener(listener);
    return () => browser.devtools.network.onNavigated.removeListener(listener);
  },
};

/** `devtools.network` as capture needs it: each subscription returns its unsubscribe. */
const devtoolsNetwork: NetworkSource = {
  ...devtoolsEvents,
  async getHar() {
    const log = (await browser.devtools.network.getHAR()) as unknown as { entries?: unknown[] };
    return (log.entries ?? []).map((entry) => captured(entry as DevtoolsRequest));
  },
};

/** Where the DevTools page leaves its recording in the panel's window. */
interface PanelWindow {
  ratelensNetwork?: NetworkSource;
  ratelensReceiveNetwork?: (network: NetworkSource) => void;
}

/** How long the panel waits for the DevTools page's recording before it records for itself. */
const HANDOVER_MS = 5000;

/**
 * Creates the panel, from the DevTools page as it loads. Where the panel reads a recording
 * (Firefox), the recording starts first, and goes to the panel's page each time it is shown.
 */
export async function createPanel(title: string, icon: string, page: string): Promise<void> {
  const recording = RECORDS ? new NetworkRecording(devtoolsEvents) : undefined;
  const panel = await browser.devtools.panels.create(title, icon, page);
  if (recording === undefined) return;
  panel.onShown.addListener((shown: unknown) => {
    const panelWindow = shown as PanelWindow;
    panelWindow.ratelensNetwork = recording;
    panelWindow.ratelensReceiveNetwork?.(recording);
  });
}

/**
 * The network the panel captures from: DevTools' own in Chrome; in Firefox the DevTools page's
 * recording, handed over when the panel is shown, or, should it never come, one of the panel's own.
 */
export function panelNetwork(): Promise<NetworkSource> {
  if (!RECORDS) return Promise.resolve(devtoolsNetwork);
  const panelWindow = window as PanelWindow;
  return new Promise((resolve) => {
    if (panelWindow.ratelensNetwork !== undefined) {
      resolve(panelWindow.ratelensNetwork);
      return;
    }
    const timer = setTimeout(() => {
      console.warn("Ratelens: no recording from the DevTools page; recording from now on");
      resolve(new NetworkRecording(devtoolsEvents));
    }, HANDOVER_MS);
    panelWindow.ratelensReceiveNetwork = (network) => {
      clearTimeout(timer);
      resolve(network);
    };
  });
}

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

/** The tab DevTools inspects: the panel reports for this tab. */
export function inspectedTabId(): number {
  return browser.devtools.inspectedWindow.tabId;
}
