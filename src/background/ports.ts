import type { Transport } from "../messaging/rpc.js";
import type {
  Badge,
  StorageSlot,
  TabEvents,
  WebRequestEvents,
} from "../platform/ports/background.js";
import type { Settings } from "../settings/settings.js";

export type {
  Badge,
  CompletedDetails,
  ErrorDetails,
  RequestDetails,
  StorageSlot,
  TabEvents,
  WebRequestEvents,
} from "../platform/ports/background.js";

/**
 * What the background needs from the browser. Its entry, index.ts, builds one `BackgroundPorts`
 * from the adapters in src/platform (whose interfaces src/platform/ports/background.ts declares)
 * and hands it to `startBackground`, as the panel, popup and options pages build their `*Ports`
 * in their main.tsx; tests hand it fakes of the same interfaces.
 */

export interface SettingsSource {
  load(): Promise<Settings>;
  onChanged(listener: (settings: Settings) => void): () => void;
}

export interface Clock {
  now(): number;
  /** Calls `callback` after `ms`; returns the cancel. */
  setTimeout(callback: () => void, ms: number): () => void;
}

export interface BackgroundPorts {
  webRequest: WebRequestEvents;
  storage: StorageSlot;
  settings: SettingsSource;
  /** Shows `badge` on the tab's toolbar button. */
  setBadge(tabId: number, badge: Badge): Promise<void>;
  tabs: TabEvents;
  transport: Transport;
  clock: Clock;
}
