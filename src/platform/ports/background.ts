/**
 * The browser surfaces the background uses, as the adapters in src/platform implement them and
 * tests fake them. Declared here, beside the adapters, so that src/platform never imports the app
 * folders it serves: src/background imports these types, and its entry (index.ts) hands it the
 * implementations. Every subscription returns its unsubscribe.
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
