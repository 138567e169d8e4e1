import type { Page, Worker } from "@playwright/test";
import {
  clickToolbarButton as openToolbarPopup,
  type ToolbarPopup,
  waitFor,
} from "../../dev/chromium.js";
import type { Demo } from "./fixtures.js";
import { fetchWithKey } from "./page-fetch.js";

/** The few extension APIs the tests call inside the service worker. */
declare const chrome: {
  tabs: { query(filter: object): Promise<{ id?: number; url?: string }[]> };
  action: {
    getBadgeText(details: { tabId: number }): Promise<string>;
    getTitle(details: { tabId: number }): Promise<string>;
  };
  storage: { session: { get(key: string): Promise<Record<string, unknown>> } };
};

/** The storage.session key the background keeps its state under (src/background/index.ts). */
export const STATE_KEY = "ratelens.background";

export interface StoredObservation {
  tabId: number;
  url: string;
  status: number;
  via: string;
}

/** The extension's service worker, started again if Chromium stopped it. */
export function extensionWorker(demo: Demo): Promise<Worker> {
  const origin = `chrome-extension://${demo.devtools.extensionId}/`;
  return waitFor(
    () => demo.browser.context.serviceWorkers().find((w) => w.url().startsWith(origin)),
    "the extension's service worker",
  );
}

/** What the background has stored of the traffic, read in its own worker. */
export async function storedObservations(worker: Worker): Promise<StoredObservation[]> {
  return worker.evaluate(async (key) => {
    const stored = await chrome.storage.session.get(key);
    // The requests kept for joining, as TrafficState.snapshot() writes them: tuples.
    const state = stored[key] as { observations?: unknown[][] } | undefined;
    return (state?.observations ?? []).map((o) => ({
      tabId: o[0] as number,
      url: o[2] as string,
      status: o[3] as number,
      via: o[8] as string,
    }));
  }, STATE_KEY);
}

/** The tab id of the page at `url` (tabs without an address readable to us count as it). */
export async function tabIdOf(worker: Worker, url: string): Promise<number> {
  return worker.evaluate(async (pageUrl) => {
    const tabs = await chrome.tabs.query({});
    const ids = tabs.filter((t) => !t.url || t.url.startsWith(pageUrl)).map((t) => t.id);
    return ids[0] ?? -1;
  }, url);
}

/** The tab showing exactly `url`, once the extension may read its address (-1 before). */
export async function tabShowing(worker: Worker, url: string): Promise<number> {
  return worker.evaluate(async (pageUrl) => {
    const tabs = await chrome.tabs.query({});
    return tabs.find((t) => t.url === pageUrl)?.id ?? -1;
  }, url);
}

export async function badgeOf(worker: Worker, tabId: number): Promise<string> {
  return worker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
}

export async function titleOf(worker: Worker, tabId: number): Promise<string> {
  return worker.evaluate((id) => chrome.action.getTitle({ tabId: id }), tabId);
}

/** Whether the worker has written its state: a request sent before that may not reach it. */
export async function stateWritten(worker: Worker): Promise<boolean> {
  return worker.evaluate(
    async (key) => (await chrome.storage.session.get(key))[key] !== undefined,
    STATE_KEY,
  );
}

/** A call from the page with a key of its own; resolves to the rate-limit headers it got. */
export function call(page: Page, url: string, key: string) {
  return page.evaluate(fetchWithKey, { url, key });
}

/** The popup as a page of its own (its "active tab" is then itself). */
export async function popupPage(demo: Demo): Promise<Page> {
  const popup = await demo.browser.context.newPage();
  await popup.goto(`chrome-extension://${demo.devtools.extensionId}/src/popup/index.html`);
  return popup;
}

/** Clicks the extension's toolbar button on `page`'s tab: the real popup, activeTab granted. */
export function clickToolbarButton(demo: Demo, page: Page): Promise<ToolbarPopup> {
  return openToolbarPopup(demo.browser, demo.devtools.extensionId, page);
}
