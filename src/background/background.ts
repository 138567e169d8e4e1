import { isPreflight } from "../core/har/preflight.js";
import { HostTable } from "../core/hosts.js";
import { readRecord } from "../core/request-record.js";
import type { BackgroundState } from "../messaging/protocol.js";
import { serve } from "../messaging/rpc.js";
import { analysedHosts, parseSettings, type Settings } from "../settings/settings.js";
import { badgeFor, nextBadgeChange } from "./badge.js";
import type {
  BackgroundPorts,
  Clock,
  CompletedDetails,
  ErrorDetails,
  RequestDetails,
} from "./ports.js";
import { createStateStore } from "./store.js";
import type { Config } from "./traffic-state.js";

/** A timer further out than this is not worth keeping: the worker sleeps long before. */
const MAX_TIMER_MS = 10 * 60_000;
/** Fire just after the moment, so the figures have changed by then. */
const TIMER_MARGIN_MS = 250;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, ms);
    return () => clearTimeout(handle);
  },
};

function report(error: unknown): void {
  console.error("Ratelens background:", error);
}

/**
 * The background: webRequest observations of API traffic into the analysis state, the toolbar
 * badge per tab, and the answers to the panel's and popup's requests. Every listener is registered
 * before the first await, as an MV3 service worker must to be woken by its events. The state is
 * written to `deps.storage` as it changes and read back by the next worker; what is held here
 * besides (settings, timers) is derived and rebuilt on start.
 */
/**
 * There is no stop: the browser drops a stopped worker's listeners and timers itself, a suspend
 * can still be cancelled (the worker would run on, deaf), and a listener the extension removed is
 * one the browser no longer wakes it for.
 */
export function startBackground(deps: BackgroundPorts): void {
  const { clock } = deps;
  const timers = new Map<number, () => void>();

  let current: Config | undefined;
  let loading: Promise<Config> = load();

  function load(): Promise<Config> {
    const promise: Promise<Config> = deps.settings.load().then(
      (settings) => adopt(promise, settings),
      (error: unknown) => {
        report(error);
        return adopt(promise, parseSettings(undefined));
      },
    );
    return promise;
  }

  /** The host table is built here, once per settings change, and shared by every event. */
  function adopt(promise: Promise<Config>, settings: Settings): Config {
    const config = { settings, table: new HostTable(analysedHosts(settings)) };
    // A later load or change wins over this one.
    if (loading === promise) current = config;
    return current ?? config;
  }

  const configNow = (): Promise<Config> => loading;
  const store = createStateStore(deps.storage, configNow, clock);

  /**
   * A cheap first sieve: before the settings are known, everything may be API traffic. A CORS
   * preflight is not a call the client made (docs/decisions.md, "CORS preflights are not API
   * calls"); webRequest gives the background no request headers, so the core takes any OPTIONS
   * request for one.
   */
  const mayBeApi = (details: RequestDetails): boolean =>
    !isPreflight(details.method, undefined) && (current?.table.isApiHost(details.url) ?? true);

  function schedule(tabId: number, at: number | undefined, now: number): void {
    timers.get(tabId)?.();
    timers.delete(tabId);
    if (at === undefined || at - now > MAX_TIMER_MS) return;
    const cancel = clock.setTimeout(
      () => {
        timers.delete(tabId);
        refreshBadge(tabId).catch(report);
      },
      Math.max(0, at - now) + TIMER_MARGIN_MS,
    );
    timers.set(tabId, cancel);
  }

  function showBadge(tabId: number, state: BackgroundState): void {
    // A tab closed meanwhile makes the call fail: nothing to show it on.
    deps.setBadge(tabId, badgeFor(state, state.now)).catch(() => {});
    schedule(tabId, nextBadgeChange(state, state.now), state.now);
  }

  async function refreshBadge(tabId: number): Promise<void> {
    if (tabId < 0) return;
    const state = await store.run((s) => ({
      changed: false,
      result: s.stateFor(tabId, clock.now(), { activeHostOnly: true }),
    }));
    showBadge(tabId, state);
  }

  async function refreshActiveTab(): Promise<void> {
    const tabId = await deps.tabs.activeTabId();
    if (tabId !== null) await refreshBadge(tabId);
  }

  function onResponse(details: CompletedDetails | ErrorDetails): void {
    if (!mayBeApi(details)) return;
    store
      .run((s) => {
        const now = clock.now();
        const changed = s.recordResponse(details, now);
        const badge =
          changed && details.tabId >= 0
            ? s.stateFor(details.tabId, now, { activeHostOnly: true })
            : undefined;
        return { changed, result: badge };
      })
      .then((state) => {
        if (state !== undefined) showBadge(details.tabId, state);
      })
      .catch(report);
  }

  deps.webRequest.onBeforeRequest((details) => {
    if (!mayBeApi(details)) return;
    store.run((s) => ({ changed: s.recordStart(details), result: undefined })).catch(report);
  });
  deps.webRequest.onCompleted(onResponse);
  deps.webRequest.onErrorOccurred(onResponse);
  deps.tabs.onActivated((tabId) => {
    refreshBadge(tabId).catch(report);
  });
  deps.tabs.onRemoved((tabId) => {
    timers.get(tabId)?.();
    timers.delete(tabId);
    store.run((s) => ({ changed: s.dropTab(tabId), result: undefined })).catch(report);
  });
  deps.settings.onChanged((settings) => {
    loading = Promise.resolve(adoptNow(settings));
    refreshActiveTab().catch(report);
  });
  serve(deps.transport, {
    getState: async ({ tabId }) => {
      const state = await store.run((s) => {
        const now = clock.now();
        const changed = s.prune(now);
        return { changed, result: s.stateFor(tabId, now) };
      });
      // The worker may have slept through a scheduled refresh: the popup's question is a moment
      // to catch up.
      if (tabId !== null) showBadge(tabId, state);
      return state;
    },
    reportPanel: async ({ tabId, observed, findings, cost }) => {
      // What the panel captured counts for its tab whether or not webRequest may see the page.
      const state = await store.run((s) => {
        const now = clock.now();
        // Made again by the core, so that only what a record may hold is kept, whatever came.
        const records = observed.map(readRecord).filter((r) => r !== undefined);
        const counted = s.recordPanel(tabId, records, now);
        const found = s.setFindings(tabId, findings);
        const costChanged = s.setCost(tabId, cost);
        const changed = found || costChanged || counted;
        const badge =
          observed.length > 0 && tabId >= 0
            ? s.stateFor(tabId, now, { activeHostOnly: true })
            : undefined;
        return { changed, result: badge };
      });
      if (state !== undefined) showBadge(tabId, state);
      return { ok: true };
    },
    settingsChanged: async () => {
      loading = load();
      await loading;
      await refreshActiveTab();
      return { ok: true };
    },
  });

  function adoptNow(settings: Settings): Config {
    current = { settings, table: new HostTable(analysedHosts(settings)) };
    return current;
  }

  // What a stopped worker left behind: forget what has aged out, write the state (a first write
  // tells that the worker has run), and bring the badge up to date.
  store
    .run((s) => {
      s.prune(clock.now());
      return { changed: true, result: undefined };
    })
    .then(refreshActiveTab)
    .catch(report);
}
