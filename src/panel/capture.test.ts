import { describe, expect, it } from "vitest";
import { entry, T0 } from "../../test/support/har.js";
import type { EntryOrigin } from "../core/session.js";
import type { HarEntry } from "../core/types.js";
import { NetworkRecording } from "../platform/network-recording.js";
import { Capture, type CapturedRequest, type NetworkSource } from "./capture.js";

const API = "https://api.casola.ai/v1/jobs";

/**
 * DevTools' network as the tests script it: what is listed (`list`, read by `getHar`) and what is
 * reported (`finish`) apart, as Chrome lists requests it never reports. Listeners are kept as the
 * Firefox panel's recording keeps them.
 */
class FakeNetwork implements NetworkSource {
  listed: CapturedRequest[] = [];
  /** How often the log was read. */
  reads = 0;
  #report: (request: CapturedRequest) => void = () => {};
  #navigate: (url: string) => void = () => {};
  readonly #listeners = new NetworkRecording({
    onRequestFinished: (report) => {
      this.#report = report;
      return () => {};
    },
    onNavigated: (navigate) => {
      this.#navigate = navigate;
      return () => {};
    },
  });

  request(options: Parameters<typeof entry>[0], body?: string): CapturedRequest {
    return {
      entry: entry(options),
      content: async () => (body === undefined ? undefined : { text: body }),
    };
  }

  list(request: CapturedRequest): CapturedRequest {
    this.listed.push(request);
    return request;
  }

  finish(request: CapturedRequest): void {
    this.#report(request);
  }

  navigate(): void {
    this.#navigate("https://app.example/");
  }

  onRequestFinished(listener: (request: CapturedRequest) => void): () => void {
    return this.#listeners.onRequestFinished(listener);
  }

  onNavigated(listener: (url: string) => void): () => void {
    return this.#listeners.onNavigated(listener);
  }

  async getHar(): Promise<CapturedRequest[]> {
    this.reads++;
    return [...this.listed];
  }
}

function setup(network = new FakeNetwork()) {
  const added: { entry: HarEntry; origin: EntryOrigin }[] = [];
  let navigations = 0;
  let clock = T0;
  let hostChecks = 0;
  let watched = (url: string) => url.startsWith("https://api.");
  const capture = new Capture(
    network,
    {
      isApiHost: (url) => {
        hostChecks++;
        return watched(url);
      },
      add: (e, origin) => added.push({ entry: e, origin }),
      navigated: () => navigations++,
    },
    { now: () => clock, setTimer: () => 0, clearTimer: () => {}, graceMs: 1500 },
  );
  return {
    network,
    added,
    capture,
    navigations: () => navigations,
    advance: (ms: number) => {
      clock += ms;
    },
    /** How many URLs capture has looked at so far. */
    hostChecks: () => hostChecks,
    watch: (predicate: (url: string) => boolean) => {
      watched = predicate;
    },
  };
}

describe("Capture", () => {
  it("backfills what finished before the panel loaded, with bodies", async () => {
    const { network, added, capture } = setup();
    network.list(network.request({ url: API, status: 429 }, '{"error":{"code":"rate_limit"}}'));
    network.list(network.request({ url: "https://cdn.example/app.js" }, "js"));
    await capture.start();
    expect(added).toHaveLength(1);
    expect(added[0]?.origin).toBe("backfill");
    expect(added[0]?.entry.response.content.text).toContain("rate_limit");
  });

  it("adds each finished request once, even when the backfill listed it too", async () => {
    const { network, added, capture } = setup();
    const early = network.list(network.request({ url: API }, "{}"));
    const started = capture.start();
    // Reported while the backfill is still running: it must not count twice.
    network.finish(early);
    const later = network.list(network.request({ url: API, startedDateTime: T0 + 500 }, "{}"));
    network.finish(later);
    await started;
    // poll() runs after everything queued before it: once it resolves, those reports are in.
    await capture.poll();
    await capture.poll();
    expect(added.map((a) => a.entry.startedDateTime)).toEqual([
      new Date(T0).toISOString(),
      new Date(T0 + 500).toISOString(),
    ]);
  });

  it("leaves a request listed without a response to be reported when it finishes", async () => {
    const { network, added, capture } = setup();
    // Firefox lists a request still on its way with status 0, and reports it once it finishes.
    const pending = network.list(network.request({ url: API, status: 0 }));
    await capture.start();
    expect(added).toHaveLength(0);
    network.listed = [];
    const finished = network.list(network.request({ url: API, status: 500 }, "{}"));
    network.finish(finished);
    await capture.poll();
    await capture.poll();
    expect(pending.entry.response.status).toBe(0);
    expect(added.map((a) => [a.entry.response.status, a.origin])).toEqual([[500, "live"]]);
  });

  it("backfills a request that failed for good before the panel loaded", async () => {
    const { network, added, capture } = setup();
    const failed = network.request({ url: API, status: 0 });
    network.list({ ...failed, entry: { ...failed.entry, _error: "net::ERR_CONNECTION_REFUSED" } });
    await capture.start();
    expect(added).toHaveLength(1);
  });

  it("keeps identical concurrent requests apart", async () => {
    const { network, added, capture } = setup();
    await capture.start();
    const a = network.list(network.request({ url: API }, "{}"));
    const b = network.list(network.request({ url: API }, "{}"));
    network.finish(a);
    network.finish(b);
    await capture.poll();
    await capture.poll();
    expect(added).toHaveLength(2);
  });

  it("adds a request DevTools never finishes, after the grace time, as unfinished", async () => {
    const { network, added, capture, advance } = setup();
    await capture.start();
    network.list(
      network.request({ url: API, status: 500, headers: { "Cache-Control": "no-store" } }),
    );
    await capture.poll();
    expect(added).toHaveLength(0);
    advance(1000);
    await capture.poll();
    expect(added).toHaveLength(0);
    advance(1000);
    await capture.poll();
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ origin: "unfinished" });
    expect(added[0]?.entry.response.status).toBe(500);
    // Should DevTools report it after all, it is the same request.
    network.finish(network.listed[0] as CapturedRequest);
    await capture.poll();
    expect(added).toHaveLength(1);
  });

  it("adds a request reported before its response was known from the listing, once complete", async () => {
    const { network, added, capture } = setup();
    await capture.start();
    // Firefox, busy, reports a finished request with what its store had: no status yet, or no
    // response at all. Its listing has the response a moment later.
    const early = network.request({ url: API, status: 0 });
    network.finish(early);
    const bare = network.request({ url: API, startedDateTime: T0 + 10 });
    network.finish({
      ...bare,
      entry: { ...bare.entry, response: undefined } as unknown as HarEntry,
    });
    await capture.poll();
    expect(added).toHaveLength(0);
    network.list(network.request({ url: API, status: 202 }, '{"id":"job_1"}'));
    network.list(network.request({ url: API, status: 200, startedDateTime: T0 + 10 }, "{}"));
    await capture.poll();
    expect(added.map((a) => [a.entry.response.status, a.origin])).toEqual([
      [202, "live"],
      [200, "live"],
    ]);
    expect(added[0]?.entry.response.content.text).toBe('{"id":"job_1"}');
    await capture.poll();
    expect(added).toHaveLength(2);
  });

  it("adds a request reported finished without a response as failed once the grace time passes", async () => {
    const { network, added, capture, advance } = setup();
    await capture.start();
    const failed = network.list(network.request({ url: API, status: 0 }));
    network.finish(failed);
    await capture.poll();
    expect(added).toHaveLength(0);
    advance(1500);
    await capture.poll();
    expect(added.map((a) => a.entry.response.status)).toEqual([0]);
    advance(10_000);
    await capture.poll();
    expect(added).toHaveLength(1);
  });

  it("waits for a listed request that has no response yet", async () => {
    const { network, added, capture, advance } = setup();
    await capture.start();
    network.list(network.request({ url: API, status: 0 }));
    await capture.poll();
    advance(10_000);
    await capture.poll();
    expect(added).toHaveLength(0);
  });

  it("ignores other hosts without asking for their bodies", async () => {
    const { network, added, capture } = setup();
    await capture.start();
    let asked = false;
    const other: CapturedRequest = {
      entry: entry({ url: "https://app.example/data" }),
      content: async () => {
        asked = true;
        return { text: "secret" };
      },
    };
    network.finish(other);
    await capture.poll();
    expect(added).toHaveLength(0);
    expect(asked).toBe(false);
  });

  it("tells the panel of a navigation and does not re-add what is still listed", async () => {
    const { network, added, capture, navigations, advance } = setup();
    network.list(network.request({ url: API }, "{}"));
    await capture.start();
    network.navigate();
    await capture.poll();
    advance(5000);
    await capture.poll();
    advance(5000);
    await capture.poll();
    expect(navigations()).toBe(1);
    expect(added).toHaveLength(1);
  });

  it("stops listening when stopped", async () => {
    const { network, added, capture } = setup();
    await capture.start();
    capture.stop();
    network.finish(network.request({ url: API }, "{}"));
    await capture.poll();
    expect(added).toHaveLength(0);
  });

  it("looks only at what was listed since the last read, however long the log", async () => {
    const { network, added, capture, hostChecks } = setup();
    await capture.start();
    for (let i = 0; i < 5000; i++) {
      network.finish(network.list(network.request({ url: API, startedDateTime: T0 + i }, "{}")));
    }
    await capture.poll();
    expect(added).toHaveLength(5000);
    const before = hostChecks();
    for (let i = 5000; i < 5010; i++) {
      network.finish(network.list(network.request({ url: API, startedDateTime: T0 + i }, "{}")));
    }
    await capture.poll();
    // Ten live reports and ten newly listed requests: the 5,000 before are not looked at again.
    expect(hostChecks() - before).toBe(20);
    expect(added).toHaveLength(5010);
  });

  it("adds every request once, reported or not, in any interleaving of reads and reports", async () => {
    const { network, added, capture, advance } = setup();
    await capture.start();
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const unreported: CapturedRequest[] = [];
    const waiting: CapturedRequest[] = [];
    let made = 0;
    for (let step = 0; step < 400; step++) {
      const roll = random();
      if (roll < 0.5) {
        // Identical keys now and then: two requests started in the same millisecond.
        const at = T0 + Math.floor(made / 2);
        // One in five is never reported, and DevTools never gives its body.
        const never = random() < 0.2;
        const request = network.list(
          network.request({ url: API, startedDateTime: at }, never ? undefined : "{}"),
        );
        made++;
        (never ? unreported : waiting).push(request);
      } else if (roll < 0.8 && waiting.length > 0) {
        network.finish(
          waiting.splice(Math.floor(random() * waiting.length), 1)[0] as CapturedRequest,
        );
      } else {
        advance(400);
        await capture.poll();
      }
    }
    for (const request of waiting) network.finish(request);
    for (let i = 0; i < 6; i++) {
      advance(1000);
      await capture.poll();
    }
    // Late reports of requests already added from the listing change nothing.
    for (const request of unreported) network.finish(request);
    await capture.poll();
    expect(added).toHaveLength(made);
    const keys = new Map<string, number>();
    for (const a of added) {
      const key = a.entry.startedDateTime;
      keys.set(key, (keys.get(key) ?? 0) + 1);
    }
    const listedKeys = new Map<string, number>();
    for (const r of network.listed) {
      const key = r.entry.startedDateTime;
      listedKeys.set(key, (listedKeys.get(key) ?? 0) + 1);
    }
    expect(keys).toEqual(listedKeys);
    // Two requests of one key are one identity: which of them came with a body is not told apart.
    expect(added.filter((a) => a.origin === "unfinished").length).toBeLessThanOrEqual(
      unreported.length,
    );
  });

  it("reads a log DevTools cleared on navigation from its start", async () => {
    const { network, added, capture, advance } = setup();
    network.list(network.request({ url: API }, "{}"));
    network.list(network.request({ url: API, startedDateTime: T0 + 1 }, "{}"));
    await capture.start();
    expect(added).toHaveLength(2);
    network.navigate();
    network.listed = [];
    // The new page's request is never reported: it is found in the new log all the same.
    network.list(network.request({ url: API, startedDateTime: T0 + 9000, status: 500 }));
    await capture.poll();
    advance(2000);
    await capture.poll();
    expect(added.map((a) => a.origin)).toEqual(["backfill", "backfill", "unfinished"]);
  });

  it("looks at the whole log again when the watched hosts change", async () => {
    const { network, added, capture, advance, watch } = setup();
    network.list(network.request({ url: "https://staging.example/v1/jobs", status: 429 }));
    await capture.start();
    await capture.poll();
    expect(added).toHaveLength(0);
    watch(() => true);
    capture.hostsChanged();
    await capture.poll();
    advance(2000);
    await capture.poll();
    expect(added).toHaveLength(1);
  });

  it("keeps adding reported requests while DevTools builds its log", async () => {
    const network = new FakeNetwork();
    const { added, capture } = setup(network);
    await capture.start();
    let release: (listed: CapturedRequest[]) => void = () => {};
    network.getHar = () => new Promise((resolve) => (release = resolve));
    const polled = capture.poll();
    const request = network.list(network.request({ url: API }, "{}"));
    network.finish(request);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(added).toHaveLength(1);
    release([...network.listed]);
    await polled;
    expect(added).toHaveLength(1);
  });

  it("reads the log less often while DevTools reports many finished requests", async () => {
    const network = new FakeNetwork();
    const timers: { fn: () => void; ms: number }[] = [];
    const capture = new Capture(
      network,
      { isApiHost: () => true, add: () => {}, navigated: () => {} },
      {
        setTimer: (fn, ms) => timers.push({ fn, ms }),
        clearTimer: () => {},
        pollMs: 500,
        busyPollMs: 2000,
        busyReports: 3,
      },
    );
    await capture.start();
    const fire = async () => {
      const timer = timers.shift();
      timer?.fn();
      // The read and the scheduling of the next one settle in a few turns.
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    };
    expect(timers.map((t) => t.ms)).toEqual([500]);
    for (let i = 0; i < 3; i++) {
      network.finish(network.request({ url: API, startedDateTime: T0 + i }, "{}"));
    }
    await fire();
    expect(timers.map((t) => t.ms)).toEqual([2000]);
    // Quiet again: a request DevTools never finishes is looked for twice a second.
    await fire();
    expect(timers.map((t) => t.ms)).toEqual([500]);
    capture.stop();
  });

  it("reads a log whose order changed from its start, adding the right request", async () => {
    const { network, added, capture, advance } = setup();
    await capture.start();
    const made = ["a", "b", "c", "d"].map((name, i) =>
      network.list(
        network.request(
          { url: `${API}?${name}`, startedDateTime: T0 + i },
          name === "b" ? undefined : "{}",
        ),
      ),
    );
    const [a, b, c, d] = made as [
      CapturedRequest,
      CapturedRequest,
      CapturedRequest,
      CapturedRequest,
    ];
    for (const request of [a, c, d]) network.finish(request);
    await capture.poll();
    // The same first and last requests, the middle ones swapped: b is no longer where it was.
    network.listed = [a, c, b, d];
    await capture.poll();
    advance(2000);
    await capture.poll();
    expect(added.map((x) => x.entry.request.url)).toEqual(
      ["a", "c", "d", "b"].map((name) => `${API}?${name}`),
    );
    expect(added[3]?.origin).toBe("unfinished");
  });
});
