import type { Transport } from "../messaging/rpc.js";
import type { Settings } from "../settings/settings.js";

/**
 * What the background needs from the browser, injected by index.ts (src/platform behind it) and
 * by fakes in tests. Every subscription returns its unsubscribe.
 */

/** The part of a webRequest event's details every event has. */
export interface RequestDetails {
  requestId: string;
  url: string;
  method: string;
  /** -1 when the request is not from a tab (a service worker, another extension). */
  tabId: number;
  /** Epoch ms of the event. */
  timeStamp: number;
}

export interface CompletedDetails extends RequestDetails {
  statusCode: number;
  /** Served from the browser's cache: no request reached the server. */
  fromCache?: boolean;
  responseHeaders?: { name: string; value?: string }[];
}

export interface ErrorDetails extends RequestDetails {
  error: string;
}

export interface WebRequestEvents {
  onBeforeRequest(listener: (details: RequestDetails) => void): () => void;
  /** With the response headers. */
  onCompleted(listener: (details: CompletedDetails) => void): () => void;
  onErrorOccurred(listener: (details: ErrorDetails) => void): () => void;
}

/** One value in a storage area (`storage.session` in the extension, a variable in tests). */
export interface StorageSlot {
  get(): Promise<unknown>;
  set(value: unknown): Promise<void>;
}

export interface SettingsSource {
  load(): Promise<Settings>;
  onChanged(listener: (settings: Settings) => void): () => void;
}

export interface Badge {
  text: string;
  color: string;
  title: string;
}

export interface TabEvents {
  /** The active tab of the focused window, if any. */
  activeTabId(): Promise<number | null>;
  onActivated(listener: (tabId: number) => void): () => void;
  onRemoved(listener: (tabId: number) => void): () => void;
}

export interface Clock {
  now(): number;
  /** Calls `callback` after `ms`; returns the cancel. */
  setTimeout(callback: () => void, ms: number): () => void;
}

export interface BackgroundDeps {
  webRequest: WebRequestEvents;
  storage: StorageSlot;
  settings: SettingsSource;
  /** Shows `badge` on the tab's toolbar button. */
  setBadge(tabId: number, badge: Badge): Promise<void>;
  tabs: TabEvents;
  transport: Transport;
  clock: Clock;
}
