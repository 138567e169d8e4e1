import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../test/support/fake-clock.js";
import { T0 } from "../../test/support/har.js";
import { memoryTransportPair } from "../../test/support/memory-transport.js";
import { record } from "../../test/support/record.js";
import { HostTable } from "../core/hosts.js";
import { type Client, createClient } from "../messaging/rpc.js";
import { DEFAULT_SETTINGS, type Settings } from "../settings/settings.js";
import { startBackground } from "./background.js";
import { BADGE_COLORS } from "./badge.js";
import type {
  BackgroundPorts,
  Badge,
  CompletedDetails,
  ErrorDetails,
  RequestDetails,
  StorageSlot,
} from "./ports.js";
import { WRITE_INTERVAL_MS } from "./store.js";
import { TrafficState } from "./traffic-state.js";

const CASOLA = "https://api.casola.ai/v1/jobs";
const CUADRA = "https://api.cuadra.ai/v1/usage";
const STAGING = "https://staging.casola.test/v1/jobs";

/** Lets every pending promise chain run: the fakes below never use timers. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

class FakeEvent<T> {
  readonly listeners = new Set<(value: T) => void>();
  subscribe = (listener: (value: T) => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  emit(value: T): void {
    for (const listener of this.listeners) listener(value);
  }
}

/** session storage: survives a restart of the background, copies through JSON. */
class FakeSlot implements StorageSlot {
  value: unknown;
  async get() {
    return this.value === undefined ? undefined : JSON.parse(JSON.stringify(this.value));
  }
  async set(value: unknown) {
    this.value = JSON.parse(JSON.stringify(value));
  }
}

/** The browser around the background: what survives a restart is the storage and the settings. */
class FakeBrowser {
  storage = new FakeSlot();
  settings: Settings = { ...DEFAULT_SETTINGS, hosts: [], limits: [] };
  settingsLoads = 0;
  /** While set, loading the settings waits for it: a slow storage.local. */
  settingsGate: Promise<void> | undefined;
  clock = new FakeClock();
  badges = new Map<number, Badge>();
  activeTab: number | null = 1;
  beforeRequest = new FakeEvent<RequestDetails>();
  completed = new FakeEvent<CompletedDetails>();
  errorOccurred = new FakeEvent<ErrorDetails>();
  activated = new FakeEvent<number>();
  removed = new FakeEvent<number>();
  settingsChanged = new FakeEvent<Settings>();
  #requests = 0;
  /** What the running worker subscribed to: the browser drops it all when it stops the worker. */
  #worker: (() => void)[] = [];

  /** Starts a background (again), as the browser does when it wakes the worker. */
  start(): Client {
    const [page, worker] = memoryTransportPair();
    const held =
      <T>(subscribe: (listener: T) => () => void) =>
      (listener: T) => {
        const unsubscribe = subscribe(listener);
        this.#worker.push(unsubscribe);
        return unsubscribe;
      };
    const ports: BackgroundPorts = {
      webRequest: {
        onBeforeRequest: held(this.beforeRequest.subscribe),
        onCompleted: held(this.completed.subscribe),
        onErrorOccurred: held(this.errorOccurred.subscribe),
      },
      storage: this.storage,
      settings: {
        load: async () => {
          this.settingsLoads++;
          await this.settingsGate;
          return this.settings;
        },
        onChanged: held(this.settingsChanged.subscribe),
      },
      setBadge: async (tabId, badge) => {
        this.badges.set(tabId, badge);
      },
      tabs: {
        activeTabId: async () => this.activeTab,
        onActivated: held(this.activated.subscribe),
        onRemoved: held(this.removed.subscribe),
      },
      transport: { send: worker.send, onMessage: held(worker.onMessage) },
      clock: this.clock,
    };
    startBackground(ports);
    return createClient(page);
  }

  /**
   * Lets the write that waits for its turn go out (the store writes at most once per
   * WRITE_INTERVAL_MS): time moves on by that much, as it always has before the browser stops a
   * worker it found idle.
   */
  async written(): Promise<void> {
    await settle();
    this.clock.advance(WRITE_INTERVAL_MS);
    await settle();
  }

  /** The worker stops: its listeners and timers are gone, its storage stays. */
  stop(): void {
    for (const unsubscribe of this.#worker) unsubscribe();
    this.#worker = [];
    this.clock.dropTimers();
  }

  /** A request from `tabId` that takes `ms` and ends now + ms. */
  request(
    url: string,
    options: {
      tabId?: number;
      ms?: number;
      status?: number;
      headers?: Record<string, string>;
      method?: string;
    } = {},
  ): void {
    const requestId = String(++this.#requests);
    const base = { requestId, url, method: options.method ?? "GET", tabId: options.tabId ?? 1 };
    this.beforeRequest.emit({ ...base, timeStamp: this.clock.time });
    this.clock.time += options.ms ?? 100;
    this.completed.emit({
      ...base,
      timeStamp: this.clock.time,
      statusCode: options.status ?? 200,
      responseHeaders: Object.entries(options.headers ?? {}).map(([name, value]) => ({
        name,
        value,
      })),
    });
  }
}

const LIMIT_HEADERS = {
  "X-RateLimit-Limit": "100",
  "X-RateLimit-Remaining": "42",
  "X-RateLimit-Reset": "30",
  "Set-Cookie": "session=secret",
};

let browser: FakeBrowser;

/** What a worker would restore from storage. */
function restored(value: unknown) {
  const settings = { ...DEFAULT_SETTINGS, hosts: [], limits: [] };
  const state = TrafficState.restore(value, { settings, table: new HostTable(settings.hosts) });
  return {
    observations: state.observations(),
    starts: Object.fromEntries(state.snapshot().starts),
  };
}

afterEach(() => browser.stop());

describe("the background", () => {
  it("stores a finished request, answers getState with its headers' budget and badges the tab", async () => {
    browser = new FakeBrowser();
    const rpc = browser.start();
    browser.request(CASOLA, { tabId: 5, ms: 120, headers: LIMIT_HEADERS });
    await browser.written();

    const stored = restored(browser.storage.value);
    expect(stored.observations).toHaveLength(1);
    expect(stored.observations[0]).toMatchObject({
      tabId: 5,
      status: 200,
      start: T0,
      end: T0 + 120,
    });
    expect(JSON.stringify(browser.storage.value)).not.toContain("secret");

    const state = await rpc.call("getState", { tabId: 5 });
    expect(state.activeHost).toBe("api.casola.ai");
    expect(state.hosts[0]?.budget).toMatchObject({
      host: "api.casola.ai",
      limit: 100,
      remaining: 42,
      resetAt: T0 + 120 + 30_000,
      source: "headers",
    });
    expect(browser.badges.get(5)).toMatchObject({ text: "42", color: BADGE_COLORS.amber });
    expect(browser.badges.get(5)?.title).toContain("api.casola.ai: 42/100 left");
  });

  it("loses nothing when the worker is stopped and started again", async () => {
    browser = new FakeBrowser();
    browser.start();
    browser.request(CUADRA, { status: 429, headers: { "Retry-After": "1" } });
    // A request under way while the worker stops.
    browser.beforeRequest.emit({
      requestId: "slow",
      url: CUADRA,
      method: "GET",
      tabId: 1,
      timeStamp: browser.clock.time,
    });
    await browser.written();
    browser.stop();

    browser.clock.time += 2000 - WRITE_INTERVAL_MS;
    const rpc = browser.start();
    browser.completed.emit({
      requestId: "slow",
      url: CUADRA,
      method: "GET",
      tabId: 1,
      timeStamp: browser.clock.time,
      statusCode: 429,
    });
    await settle();
    const state = await rpc.call("getState", { tabId: 1 });
    expect(state.hosts[0]?.errors).toEqual([
      { status: 429, code: null, count: 2, last: T0 + 2100 },
    ]);
    expect(state.hosts[0]?.budget).toMatchObject({ limit: 60, remaining: 58, source: "estimate" });
    // The slow request kept the start the stopped worker saw.
    await browser.written();
    expect(restored(browser.storage.value).observations[1]).toMatchObject({
      start: T0 + 100,
      end: T0 + 2100,
    });
  });

  it("records the first requests of a woken worker, before its settings and log are read", async () => {
    browser = new FakeBrowser();
    browser.settings = {
      ...browser.settings,
      hosts: [{ host: "staging.casola.test", provider: "casola" }],
    };
    browser.storage.value = { observations: [], starts: {}, findings: {} };
    let release = () => {};
    browser.settingsGate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The browser delivers the event that woke the worker as soon as its listeners exist.
    const rpc = browser.start();
    browser.request(STAGING, { headers: { "X-RateLimit-Remaining": "7" } });
    browser.request(CASOLA);
    await settle();
    release();
    await browser.written();
    const log = restored(browser.storage.value);
    expect(log.observations.map((o) => o.url)).toEqual([STAGING, CASOLA]);
    expect(log.starts).toEqual({});
    expect((await rpc.call("getState", { tabId: 1 })).hosts.map((h) => h.budget.host)).toEqual([
      "api.casola.ai",
      "staging.casola.test",
    ]);
  });

  it("puts the panel's decoded codes to the statuses it saw, and counts its findings", async () => {
    browser = new FakeBrowser();
    const rpc = browser.start();
    browser.request(CASOLA, { tabId: 3, status: 429 });
    browser.request(CASOLA, { tabId: 3, status: 429 });
    await settle();
    await rpc.call("reportPanel", {
      tabId: 3,
      observed: [record({ status: 429, start: T0 + 2, code: "rate_limited" })],
      findings: 2,
      cost: [],
    });
    const state = await rpc.call("getState", { tabId: 3 });
    expect(state.findings).toBe(2);
    expect(state.hosts[0]?.errors).toEqual([
      { status: 429, code: null, count: 1, last: T0 + 200 },
      { status: 429, code: "rate_limited", count: 1, last: T0 + 100 },
    ]);

    browser.removed.emit(3);
    await settle();
    expect((await rpc.call("getState", { tabId: null })).findings).toBe(0);
  });

  it("badges a tab from what its panel captured when webRequest saw nothing of it", async () => {
    browser = new FakeBrowser();
    const rpc = browser.start();
    await settle();
    const report = {
      tabId: 5,
      observed: [
        record({
          end: T0 + 80,
          rateLimit: [
            { name: "x-ratelimit-limit", value: "100" },
            { name: "x-ratelimit-remaining", value: "42" },
          ],
        }),
      ],
      findings: 0,
      cost: [],
    };
    await rpc.call("reportPanel", report);
    expect(browser.badges.get(5)?.text).toBe("42");
    const state = await rpc.call("getState", { tabId: 5 });
    expect(state.activeHost).toBe("api.casola.ai");
    expect(state.hosts[0]?.budget).toMatchObject({ remaining: 42, limit: 100 });
    // The same report again (a panel reopened backfills it): still one request.
    await rpc.call("reportPanel", report);
    expect((await rpc.call("getState", { tabId: 5 })).hosts[0]?.budget.requestsLastMinute).toBe(1);
  });

  it("counts a request once when webRequest and the panel both saw it, in either order", async () => {
    browser = new FakeBrowser();
    const rpc = browser.start();
    const panelSaw = (remaining: string, start: number) =>
      record({
        start,
        end: start + 100,
        rateLimit: [{ name: "x-ratelimit-remaining", value: remaining }],
      });
    // webRequest first, then the panel a little later with its own times.
    browser.request(CASOLA, { tabId: 1, headers: { "X-RateLimit-Remaining": "9" } });
    await settle();
    await rpc.call("reportPanel", {
      tabId: 1,
      observed: [panelSaw("9", T0 + 3)],
      findings: 0,
      cost: [],
    });
    // The panel first (a worker woken late), then webRequest.
    await rpc.call("reportPanel", {
      tabId: 1,
      observed: [panelSaw("8", browser.clock.time + 2)],
      findings: 0,
      cost: [],
    });
    browser.request(CASOLA, { tabId: 1, headers: { "X-RateLimit-Remaining": "8" } });
    await browser.written();
    const log = restored(browser.storage.value);
    expect(log.observations.map((o) => o.via)).toEqual(["both", "both"]);
    const state = await rpc.call("getState", { tabId: 1 });
    expect(state.hosts[0]?.budget.requestsLastMinute).toBe(2);
  });

  it("re-reads the settings when told they changed, and watches a host added there", async () => {
    browser = new FakeBrowser();
    const rpc = browser.start();
    browser.request(STAGING);
    await settle();
    expect((await rpc.call("getState", { tabId: 1 })).hosts).toEqual([]);

    browser.settings = {
      ...browser.settings,
      hosts: [{ host: "staging.casola.test", provider: "casola" }],
    };
    const loads = browser.settingsLoads;
    expect(await rpc.call("settingsChanged", {})).toEqual({ ok: true });
    expect(browser.settingsLoads).toBe(loads + 1);

    browser.request(STAGING, {
      headers: { "X-RateLimit-Limit": "10", "X-RateLimit-Remaining": "9" },
    });
    await settle();
    const state = await rpc.call("getState", { tabId: 1 });
    expect(state.hosts.map((h) => h.budget.host)).toEqual(["staging.casola.test"]);
    expect(browser.badges.get(1)?.text).toBe("9");
  });

  it("follows a settings change in storage without being told", async () => {
    browser = new FakeBrowser();
    const rpc = browser.start();
    await settle();
    browser.settingsChanged.emit({
      ...browser.settings,
      hosts: [{ host: "staging.casola.test", provider: "casola" }],
    });
    browser.request(STAGING);
    await settle();
    expect((await rpc.call("getState", { tabId: 1 })).activeHost).toBe("staging.casola.test");
  });

  it("records a network error as status 0", async () => {
    browser = new FakeBrowser();
    const rpc = browser.start();
    browser.errorOccurred.emit({
      requestId: "e1",
      url: CASOLA,
      method: "POST",
      tabId: 1,
      timeStamp: T0 + 50,
      error: "net::ERR_CONNECTION_RESET",
    });
    await settle();
    const state = await rpc.call("getState", { tabId: 1 });
    expect(state.hosts[0]?.errors).toEqual([{ status: 0, code: null, count: 1, last: T0 + 50 }]);
  });

  it('shows "!" while a Retry-After holds and the budget again when it ends', async () => {
    browser = new FakeBrowser();
    browser.start();
    browser.request(CASOLA, {
      status: 429,
      headers: { "Retry-After": "10", "X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "0" },
    });
    await settle();
    expect(browser.badges.get(1)).toMatchObject({ text: "!", color: BADGE_COLORS.red });
    expect(browser.badges.get(1)?.title).toContain("Retry-After: wait 10 s");

    browser.clock.advance(9000);
    await settle();
    expect(browser.badges.get(1)?.text).toBe("!");
    browser.clock.advance(1500);
    await settle();
    expect(browser.badges.get(1)).toMatchObject({ text: "0", color: BADGE_COLORS.red });
  });

  it("brings a tab's badge up to date when the tab is activated", async () => {
    browser = new FakeBrowser();
    browser.start();
    browser.request(CUADRA, { tabId: 2 });
    await settle();
    expect(browser.badges.get(2)?.text).toBe("59");
    browser.clock.time += 61_000;
    browser.activated.emit(2);
    await settle();
    expect(browser.badges.get(2)?.text).toBe("60");
    browser.activated.emit(4);
    await settle();
    expect(browser.badges.get(4)?.text).toBe("");
  });

  it("brings the active tab's badge up to date when it starts", async () => {
    browser = new FakeBrowser();
    browser.start();
    browser.request(CASOLA, { tabId: 1, headers: LIMIT_HEADERS });
    await browser.written();
    browser.stop();
    browser.badges.clear();
    browser.start();
    await settle();
    expect(browser.badges.get(1)?.text).toBe("42");
  });

  it("never stores a secret of a request's URL, headers or the panel's report, and still joins them", async () => {
    browser = new FakeBrowser();
    const rpc = browser.start();
    const url = `${CASOLA}?model=m1&key=SECRET_KEY&access_token=SECRET_TOKEN&sig=SECRET_SIG`;
    browser.request(url, {
      tabId: 4,
      status: 429,
      headers: { ...LIMIT_HEADERS, "Set-Cookie": "sid=SECRET_COOKIE" },
    });
    browser.request("https://user:SECRET_PASSWORD@api.cuadra.ai/v1/usage?apikey=SECRET_APIKEY", {
      tabId: 4,
    });
    await settle();
    await rpc.call("reportPanel", {
      tabId: 4,
      observed: [
        record({
          url,
          status: 429,
          start: T0 + 1,
          end: T0 + 101,
          rateLimit: [
            { name: "x-ratelimit-limit", value: "100" },
            { name: "x-ratelimit-remaining", value: "42" },
            { name: "x-ratelimit-reset", value: "30" },
            { name: "authorization", value: "Bearer SECRET_BEARER" },
          ],
          code: "rate_limited",
        }),
      ],
      findings: 0,
      cost: [],
    });
    await browser.written();

    const stored = JSON.stringify(browser.storage.value);
    expect(stored).not.toContain("SECRET");
    expect(JSON.stringify(await rpc.call("getState", { tabId: 4 }))).not.toContain("SECRET");
    const observations = restored(browser.storage.value).observations;
    // The panel's report of the first request joined webRequest's: both redact alike.
    expect(observations.map((o) => [o.url, o.via])).toEqual([
      [`${CASOLA}?model=m1&key=[redacted]&access_token=[redacted]&sig=[redacted]`, "both"],
      ["https://user:[redacted]@api.cuadra.ai/v1/usage?apikey=[redacted]", "webRequest"],
    ]);
  });

  it("drops the oldest requests when storage is full, keeps the newest, and says how many went", async () => {
    browser = new FakeBrowser();
    const rpc = browser.start();
    for (let i = 0; i < 40; i++) browser.request(`${CASOLA}/${i}`, { headers: LIMIT_HEADERS });
    await browser.written();
    expect(restored(browser.storage.value).observations).toHaveLength(40);
    const full = JSON.stringify(browser.storage.value).length;
    // storage.session's quota reached: a write larger than what is stored now is refused.
    const set = browser.storage.set.bind(browser.storage);
    browser.storage.set = async (value: unknown) => {
      if (JSON.stringify(value).length > full) throw new Error("QUOTA_BYTES quota exceeded");
      await set(value);
    };
    for (let i = 40; i < 50; i++) browser.request(`${CASOLA}/${i}`, { headers: LIMIT_HEADERS });
    await browser.written();

    const kept = restored(browser.storage.value).observations.map((o) => o.url);
    expect(kept.length).toBeLessThan(40);
    expect(kept.at(-1)).toBe(`${CASOLA}/49`);
    // Oldest first: what is kept is the newest, in order.
    const first = Number(kept[0]?.split("/").pop());
    expect(kept).toEqual(Array.from({ length: 50 - first }, (_, i) => `${CASOLA}/${first + i}`));
    const state = await rpc.call("getState", { tabId: 1 });
    expect(state.storageDropped).toBe(first);
    // The budget still counts every request.
    expect(state.hosts[0]?.budget).toMatchObject({ remaining: 42, source: "headers" });
    // A restarted worker still knows how many went.
    browser.stop();
    const again = browser.start();
    expect((await again.call("getState", { tabId: 1 })).storageDropped).toBe(first);
  });

  it("never stores traffic to hosts that are not API hosts", async () => {
    browser = new FakeBrowser();
    const rpc = browser.start();
    await settle();
    const before = JSON.stringify(browser.storage.value);
    browser.request("https://example.com/api/things", { tabId: 1 });
    await settle();
    expect(JSON.stringify(browser.storage.value)).toBe(before);
    expect((await rpc.call("getState", { tabId: 1 })).hosts).toEqual([]);
  });

  it("does not count the CORS preflight Firefox reports before a call", async () => {
    browser = new FakeBrowser();
    const rpc = browser.start();
    await settle();
    const url = "https://api.casola.ai/v1/models";
    browser.request(url, {
      method: "OPTIONS",
      status: 204,
      headers: { "Access-Control-Allow-Methods": "GET, POST" },
    });
    browser.request(url, { headers: LIMIT_HEADERS });
    await settle();
    const [host] = (await rpc.call("getState", { tabId: 1 })).hosts;
    expect(host?.budget.requestsLastMinute).toBe(1);
  });

  it("counts requests from outside any tab in the budget but badges no tab for them", async () => {
    browser = new FakeBrowser();
    const rpc = browser.start();
    browser.request(CUADRA, { tabId: -1 });
    await settle();
    expect(browser.badges.has(-1)).toBe(false);
    const state = await rpc.call("getState", { tabId: null });
    expect(state.hosts[0]?.budget.remaining).toBe(59);
  });
});
