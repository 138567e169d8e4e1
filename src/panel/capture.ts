import type { EntryOrigin } from "../core/session.js";
import type { HarEntry } from "../core/types.js";
import type {
  CapturedContent,
  CapturedRequest,
  NetworkSource,
} from "../platform/ports/devtools.js";

// The DevTools network surface is declared beside its adapter in src/platform.
export type { CapturedContent, CapturedRequest, NetworkSource };

export interface CaptureSink {
  isApiHost(url: string): boolean;
  add(entry: HarEntry, origin: EntryOrigin): void;
  navigated(): void;
}

/** A listed API request not yet added: its position in the listing, its key and occurrence. */
interface Listed {
  position: number;
  key: string;
  occurrence: number;
}

export interface CaptureOptions {
  /** How often DevTools' log is read for requests `onRequestFinished` never reported. */
  pollMs?: number;
  /** How long a listed request may stay unreported before it counts as unfinished. */
  graceMs?: number;
  /**
   * The next read waits at least this many times as long as the last read took: DevTools builds
   * the whole log for each read, so a long session is read less often instead of taking the panel's
   * time (requests it finishes arrive through `onRequestFinished` meanwhile).
   */
  pollCostFactor?: number;
  /**
   * While `onRequestFinished` is busy (at least `busyReports` reports since the last read), the
   * log is read every `busyPollMs` instead: DevTools itself pays for each read (it builds and sends
   * the whole log), and the reads are only for requests it never finishes.
   */
  busyPollMs?: number;
  busyReports?: number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

/** A finished request's body: DevTools answers in milliseconds, even for megabytes. */
const FINISHED_CONTENT_MS = 3000;
/**
 * A listed request's body. For one DevTools never finished, it never answers (Chromium 156), and
 * each such wait holds up the requests behind it, so the waits are short: at backfill the request
 * may be a finished one with a large body, at a poll it has been unreported for the grace time.
 */
const BACKFILL_CONTENT_MS = 1000;
const POLLED_CONTENT_MS = 250;

/** Same request, same key, in `onRequestFinished` and in `getHAR()`: DevTools builds both. */
export function requestKey(entry: HarEntry): string {
  return `${entry.startedDateTime} ${entry.request.method} ${entry.request.url}`;
}

function keyOf(request: CapturedRequest | undefined): string | undefined {
  return request === undefined ? undefined : requestKey(request.entry);
}

/**
 * A listed request with no response yet and no error is still on its way: DevTools' log lists
 * such requests with status 0, to be reported with their response when they finish (Firefox's did;
 * the recording the Firefox panel reads lists only reported ones). Chrome marks one that failed
 * for good with `_error`.
 */
function inFlight(entry: HarEntry): boolean {
  return (
    !(entry.response?.status > 0) && typeof (entry as { _error?: unknown })._error !== "string"
  );
}

function withBody(entry: HarEntry, content: CapturedContent | undefined): HarEntry {
  if (content === undefined) return entry;
  const response = entry.response ?? {};
  return {
    ...entry,
    response: {
      ...response,
      content: {
        ...(response.content ?? { size: content.text.length, mimeType: "" }),
        text: content.text,
        ...(content.encoding ? { encoding: content.encoding } : {}),
      },
    },
  };
}

/**
 * Feeds a panel with every API request of the inspected page, exactly once.
 *
 * `onRequestFinished` reports requests as they finish, but not those that finished before the
 * panel loaded (backfilled from `getHAR()`), nor those DevTools never finishes: a `no-store`
 * response whose body the page never reads. Those are still listed by `getHAR()`, so it is read
 * every `pollMs` (in Firefox the log is the DevTools page's recording, src/platform/devtools.ts);
 * a listed request `onRequestFinished` has not reported within `graceMs` is added with what is
 * known of it. A request reported before DevTools had its response (Firefox did this while its log
 * was read) is taken from the listing instead, once complete there, or added as failed after
 * `graceMs` (the recording never completes it). Requests are told apart
 * by start time, method and URL, counted, so that identical concurrent requests are each kept once.
 */
export class Capture {
  readonly #source: NetworkSource;
  readonly #sink: CaptureSink;
  readonly #pollMs: number;
  readonly #graceMs: number;
  readonly #now: () => number;
  readonly #setTimer: (fn: () => void, ms: number) => unknown;
  readonly #clearTimer: (timer: unknown) => void;
  /** How many requests with each key have been added. */
  #added = new Map<string, number>();
  /**
   * Requests added from the listing (backfill or poll) that `onRequestFinished` may still report,
   * by key: such a report is the same request, not a new one.
   */
  #addedFromListing = new Map<string, number>();
  /** When a listed request was first seen unreported, by key and occurrence. */
  #pendingSince = new Map<string, number>();
  /**
   * Reports that came before DevTools had the response, by key: when each came (a browser can
   * report a request with no status, or no response at all, when its log is read while it is
   * busy). A log may list the response moments later (the Firefox panel's recording never does):
   * such a request is added from the listing once it is complete there, or as it is `graceMs`
   * after the report.
   */
  #earlyReports = new Map<string, number[]>();
  /**
   * The listing is DevTools' log in the order requests started: new requests come at its end. The
   * first `#scanned` listed requests have been looked at; `#listedCount` says how often each key
   * occurs among them, and `#unreported` holds those of them not yet added, by position. A read
   * then looks only at the requests listed since, and at those still unreported: its cost does
   * not grow with the session. A listing that no longer starts as the scanned one did (a
   * navigation cleared DevTools' log) is scanned again from its start.
   */
  #scanned = 0;
  #listedCount = new Map<string, number>();
  #unreported: Listed[] = [];
  /** Keys of the first and last scanned requests, to tell that the listing is the same log. */
  #firstKey: string | undefined;
  #lastKey: string | undefined;
  #rescan = false;
  readonly #pollCostFactor: number;
  readonly #busyPollMs: number;
  readonly #busyReports: number;
  /** How long the last read of DevTools' log took. */
  #lastReadMs = 0;
  /** Reports from onRequestFinished since the last read was scheduled. */
  #reports = 0;
  #queue: Promise<void> = Promise.resolve();
  #unsubscribe: (() => void)[] = [];
  #timer: unknown;
  #stopped = false;

  constructor(source: NetworkSource, sink: CaptureSink, options: CaptureOptions = {}) {
    this.#source = source;
    this.#sink = sink;
    this.#pollMs = options.pollMs ?? 500;
    this.#graceMs = options.graceMs ?? 1000;
    this.#pollCostFactor = options.pollCostFactor ?? 4;
    this.#busyPollMs = options.busyPollMs ?? 2000;
    this.#busyReports = options.busyReports ?? 50;
    this.#now = options.now ?? Date.now;
    this.#setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.#clearTimer = options.clearTimer ?? ((t) => clearTimeout(t as number));
  }

  /** Subscribes, then backfills; live requests wait in line behind the backfill. */
  start(): Promise<void> {
    this.#unsubscribe.push(
      this.#source.onRequestFinished((request) => {
        this.#reports++;
        // The body is asked for at once, so that the reads of a burst overlap; the request is
        // added when its turn in the line comes.
        const content = this.#sink.isApiHost(request.entry.request.url)
          ? request.content(FINISHED_CONTENT_MS).catch(() => undefined)
          : undefined;
        this.#enqueue(() => this.#live(request, content));
      }),
      this.#source.onNavigated(() => {
        // What was added stays counted: with DevTools' own "Preserve log" on, getHAR() still
        // lists the old page's requests, and they must not come back after a clear.
        this.#enqueue(async () => this.#sink.navigated());
      }),
    );
    const backfilled = this.#enqueue(() => this.#backfill());
    this.#schedulePoll(this.#pollMs);
    return backfilled;
  }

  /** Stops listening to DevTools and reading its log: the panel page is going away (start-panel.tsx). */
  stop(): void {
    this.#stopped = true;
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#unsubscribe = [];
    if (this.#timer !== undefined) this.#clearTimer(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Reads DevTools' log now, as the timer does; resolves after everything queued before it. The
   * log is read outside the line, so live requests keep being added while DevTools builds it.
   */
  poll(): Promise<void> {
    const began = this.#now();
    return this.#source.getHar().then(
      (listed) => {
        this.#lastReadMs = this.#now() - began;
        return this.#enqueue(async () => this.#poll(listed));
      },
      (error: unknown) => {
        console.error("Ratelens capture:", error);
        return this.#enqueue(async () => {});
      },
    );
  }

  /** The hosts to watch changed: the next read looks at the whole log again. */
  hostsChanged(): void {
    this.#rescan = true;
    this.#schedulePoll(0);
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    // One at a time, in order: the analysis sees requests in the order they were reported.
    this.#queue = this.#queue.then(task).catch((error: unknown) => {
      console.error("Ratelens capture:", error);
    });
    return this.#queue;
  }

  /** The next read, unless one is due already. */
  #schedulePoll(delay: number): void {
    if (this.#stopped || this.#timer !== undefined) return;
    this.#timer = this.#setTimer(() => {
      void this.poll().finally(() => {
        this.#timer = undefined;
        const busy = this.#reports >= this.#busyReports;
        this.#reports = 0;
        this.#schedulePoll(
          Math.max(busy ? this.#busyPollMs : this.#pollMs, this.#lastReadMs * this.#pollCostFactor),
        );
      });
    }, delay);
  }

  #count(key: string): number {
    return this.#added.get(key) ?? 0;
  }

  #markAdded(key: string): void {
    this.#added.set(key, this.#count(key) + 1);
  }

  #takeEarlyReport(key: string): void {
    const times = this.#earlyReports.get(key);
    times?.shift();
    if (times?.length === 0) this.#earlyReports.delete(key);
  }

  #markAddedFromListing(key: string): void {
    this.#markAdded(key);
    this.#addedFromListing.set(key, (this.#addedFromListing.get(key) ?? 0) + 1);
  }

  async #live(
    request: CapturedRequest,
    content: Promise<CapturedContent | undefined> | undefined,
  ): Promise<void> {
    // Not API traffic: never stored, its body never asked for.
    if (content === undefined) return;
    const { entry } = request;
    const key = requestKey(entry);
    // The backfill or the poll added this request already: the report comes after it.
    const early = this.#addedFromListing.get(key) ?? 0;
    if (early > 0) {
      this.#addedFromListing.set(key, early - 1);
      return;
    }
    if (inFlight(entry)) {
      const times = this.#earlyReports.get(key) ?? [];
      times.push(this.#now());
      this.#earlyReports.set(key, times);
      this.#schedulePoll(this.#pollMs);
      return;
    }
    this.#markAdded(key);
    this.#sink.add(withBody(entry, await content), "live");
  }

  async #backfill(): Promise<void> {
    const listed = await this.#source.getHar();
    this.#scan(listed);
    const waiting: Listed[] = [];
    for (const item of this.#unreported) {
      const request = listed[item.position] as CapturedRequest;
      // Still on its way: onRequestFinished or a poll adds it once it has a response.
      if (inFlight(request.entry)) {
        waiting.push(item);
        continue;
      }
      this.#markAddedFromListing(item.key);
      // Listed before the panel loaded: finished (the body comes at once) or never will be.
      const content = await request.content(BACKFILL_CONTENT_MS);
      this.#sink.add(withBody(request.entry, content), content ? "backfill" : "unfinished");
    }
    this.#unreported = waiting;
  }

  async #poll(listed: readonly CapturedRequest[]): Promise<void> {
    const rescanned = this.#scan(listed);
    const now = this.#now();
    const waiting: Listed[] = [];
    const due: { request: CapturedRequest; key: string }[] = [];
    for (const item of this.#unreported) {
      const id = `${item.key}#${item.occurrence}`;
      // Reported by onRequestFinished since it was listed.
      if (this.#count(item.key) >= item.occurrence) {
        this.#pendingSince.delete(id);
        continue;
      }
      const request = listed[item.position] as CapturedRequest;
      const since = this.#pendingSince.get(id);
      if (since === undefined) this.#pendingSince.set(id, now);
      // Reported finished before its response was known, and complete in the listing now or
      // never going to be: added as listed.
      const reportedAt = this.#earlyReports.get(item.key)?.[0];
      if (
        reportedAt !== undefined &&
        (!inFlight(request.entry) || now - reportedAt >= this.#graceMs)
      ) {
        this.#pendingSince.delete(id);
        this.#takeEarlyReport(item.key);
        this.#markAdded(item.key);
        due.push({ request, key: item.key });
        continue;
      }
      // Not yet past the grace time, or still on its way: wait.
      if (since === undefined || now - since < this.#graceMs || inFlight(request.entry)) {
        waiting.push(item);
        continue;
      }
      this.#pendingSince.delete(id);
      this.#markAddedFromListing(item.key);
      due.push({ request, key: item.key });
    }
    this.#unreported = waiting;
    if (rescanned) {
      const kept = new Set(waiting.map((item) => `${item.key}#${item.occurrence}`));
      for (const id of this.#pendingSince.keys()) if (!kept.has(id)) this.#pendingSince.delete(id);
    }
    // Unreported for the whole grace time: DevTools will most likely never answer, so the short
    // waits run side by side, and the requests are added in the listing's order.
    const contents = await Promise.all(
      due.map(({ request }) => request.content(POLLED_CONTENT_MS)),
    );
    due.forEach(({ request }, i) => {
      const content = contents[i];
      this.#sink.add(withBody(request.entry, content), content ? "live" : "unfinished");
    });
  }

  /**
   * Looks at the requests listed since the last scan: each API request beyond those already added
   * (key by key, in the listing's order) joins `#unreported`. Returns true when the listing was
   * not the one scanned before and was scanned again from its start.
   */
  #scan(listed: readonly CapturedRequest[]): boolean {
    const rescanned = this.#scanFrom(listed);
    // A request still unreported must be where it was listed: a log reordered within the part
    // already scanned (not seen in Chrome or Firefox, but not promised either) is scanned again.
    const moved = this.#unreported.some((item) => keyOf(listed[item.position]) !== item.key);
    if (!moved) return rescanned;
    this.#rescan = true;
    this.#scanFrom(listed);
    return true;
  }

  #scanFrom(listed: readonly CapturedRequest[]): boolean {
    const keyAt = (position: number) => keyOf(listed[position]);
    const rescan =
      this.#rescan ||
      listed.length < this.#scanned ||
      (this.#scanned > 0 &&
        (keyAt(0) !== this.#firstKey || keyAt(this.#scanned - 1) !== this.#lastKey));
    if (rescan) {
      this.#rescan = false;
      this.#scanned = 0;
      this.#listedCount.clear();
      this.#unreported = [];
    }
    for (let position = this.#scanned; position < listed.length; position++) {
      const request = listed[position] as CapturedRequest;
      if (!this.#sink.isApiHost(request.entry.request.url)) continue;
      const key = requestKey(request.entry);
      const occurrence = (this.#listedCount.get(key) ?? 0) + 1;
      this.#listedCount.set(key, occurrence);
      if (occurrence > this.#count(key)) this.#unreported.push({ position, key, occurrence });
    }
    this.#scanned = listed.length;
    this.#firstKey = keyAt(0);
    this.#lastKey = keyAt(listed.length - 1);
    return rescan;
  }
}
