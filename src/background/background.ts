import { HostTable } from "../core/hosts.js";
import type { BackgroundState } from "../messaging/protocol.js";
import { serve } from "../messaging/rpc.js";
import { parseSettings, type Settings } from "../settings/settings.js";
import { badgeFor, nextBadgeChange } from "./badge.js";
import type {
  BackgroundDeps,
  Clock,
  CompletedDetails,
  ErrorDetails,
  RequestDetails,
} from "./ports.js";
import { createLogStore } from "./store.js";
import {
  computeState,
  dropTab,
  prune,
  recordPanel,
  recordResponse,
  recordStart,
  setFindings,
} from "./traffic-log.js";

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

export interface Background {
  /** Removes every listener and timer (a test's teardown; the worker itself just stops). */
  stop(): void;
}

function report(error: unknown): void {
  console.error("Ratelens background:", error);
}

/**
 * The background: webRequest observations of API traffic into the stored log, the toolbar badge
 * per tab, and the answers to the panel's and popup's requests. Every listener is registered
 * before the first await, as an MV3 service worker must to be woken by its events. The state lives
 * in `deps.storage` only; what is held here (settings, timers) is derived and rebuilt on start.
 */
export function startBackground(deps: BackgroundDeps): Background {
  const { clock } = deps;
  const store = createLogStore(deps.storage);
  const timers = new Map<number, () => void>();

  let current: { settings: Settings; table: HostTable } | undefined;
  let loading: Promise<Settings> = load();

  function load(): Promise<Settings> {
    const promise: Promise<Settings> = deps.settings.load().then(
      (settings) => adopt(promise, settings),
      (error: unknown) => {
        report(error);
        return adopt(promise, parseSettings(undefined));
      },
    );
    return promise;
  }

  function adopt(promise: Promise<Settings>, settings: Settings): Settings {
    // A later load or change wins over this one.
    if (loading === promise) current = { settings, table: new HostTable(settings.hosts) };
    return settings;
  }

  const settingsNow = (): Promise<Settings> => loading;

  /**
   * A cheap first sieve: before the settings are known, everything may be API traffic. An OPTIONS
   * request is a CORS preflight, not a call the client made (README, Decisions): Firefox reports
   * preflights to webRequest (Chrome does not), and webRequest gives the background no request
   * headers to tell one by its Access-Control-Request-Method.
   */
  const mayBeApi = (details: RequestDetails): boolean =>
    details.method.toUpperCase() !== "OPTIONS" && (current?.table.isApiHost(details.url) ?? true);

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
    const log = await store.read();
    const settings = await settingsNow();
    showBadge(tabId, computeState(log, settings, clock.now(), tabId, { activeHostOnly: true }));
  }

  async function refreshActiveTab(): Promise<void> {
    const tabId = await deps.tabs.activeTabId();
    if (tabId !== null) await refreshBadge(tabId);
  }

  function onResponse(details: CompletedDetails | ErrorDetails): void {
    if (!mayBeApi(details)) return;
    store
      .update(async (log) => recordResponse(log, details, await settingsNow(), clock.now()))
      .then(async (log) => {
        if (details.tabId < 0) return;
        const settings = await settingsNow();
        const now = clock.now();
        showBadge(
          details.tabId,
          computeState(log, settings, now, details.tabId, { activeHostOnly: true }),
        );
      })
      .catch(report);
  }

  const unsubscribes = [
    deps.webRequest.onBeforeRequest((details) => {
      if (!mayBeApi(details)) return;
      store.update(async (log) => recordStart(log, details, await settingsNow())).catch(report);
    }),
    deps.webRequest.onCompleted(onResponse),
    deps.webRequest.onErrorOccurred(onResponse),
    deps.tabs.onActivated((tabId) => {
      refreshBadge(tabId).catch(report);
    }),
    deps.tabs.onRemoved((tabId) => {
      timers.get(tabId)?.();
      timers.delete(tabId);
      store.update((log) => dropTab(log, tabId)).catch(report);
    }),
    deps.settings.onChanged((settings) => {
      loading = Promise.resolve(settings);
      adopt(loading, settings);
      refreshActiveTab().catch(report);
    }),
    serve(deps.transport, {
      getState: async ({ tabId }) => {
        const log = await store.read();
        const settings = await settingsNow();
        const state = computeState(log, settings, clock.now(), tabId);
        // The worker may have slept through a scheduled refresh: the popup's question is a moment
        // to catch up.
        if (tabId !== null) showBadge(tabId, state);
        return state;
      },
      reportPanel: async ({ tabId, observed, findings }) => {
        // What the panel captured counts for its tab whether or not webRequest may see the page.
        const log = await store.update(async (before) =>
          recordPanel(
            setFindings(before, tabId, findings),
            tabId,
            observed,
            await settingsNow(),
            clock.now(),
          ),
        );
        if (observed.length > 0 && tabId >= 0) {
          const settings = await settingsNow();
          showBadge(
            tabId,
            computeState(log, settings, clock.now(), tabId, { activeHostOnly: true }),
          );
        }
        return { ok: true };
      },
      settingsChanged: async () => {
        loading = load();
        await loading;
        await refreshActiveTab();
        return { ok: true };
      },
    }),
  ];

  // What a stopped worker left behind: forget what has aged out, and bring the badge up to date.
  store
    .update(async (log) => prune(log, await settingsNow(), clock.now()))
    .then(refreshActiveTab)
    .catch(report);

  return {
    stop() {
      for (const unsubscribe of unsubscribes) unsubscribe();
      for (const cancel of timers.values()) cancel();
      timers.clear();
    },
  };
}
