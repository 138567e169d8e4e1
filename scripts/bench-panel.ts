/**
 * `npm run bench:panel`: the live panel under load, in Debian's Chromium, through the real
 * DevTools panel, against the local mock (loopback only). Its parts, each skipped by `--skip-<part>`:
 *
 * - live: workers in the demo page fire GET /v1/models at two API hosts at `--rate` requests a
 *   second for `--seconds` (at most `--inflight` in flight per worker). The page records when
 *   each response was read; a MutationObserver in the panel's frame records when the Requests
 *   count changed. Reported: sent, counted, dropped, the rate reached, the p95 of finish-to-count
 *   (the k-th response read against the moment the count reached k), the lag after the last
 *   response, and the panel's JS heap.
 * - tax: a page making `--tax-calls` API calls (16 at a time), timed in the page, with Ratelens
 *   installed and its panel open, and with DevTools open and no extension; `--tax-runs` runs of
 *   each, alternating, in two browsers started side by side. Reported: the ratio of medians.
 * - memory: a Session (the panel's state) holding 100,000 generated Chrome-like entries: heap
 *   used after GC, with the default body cap and without one, and the time to filter it by text.
 *   The same entries read as a HAR file (parseHar, Session.import) beside it: `importedToLive`.
 * - import: the same entries as a HAR file imported into the real panel: the time it took and the
 *   panel's JS heap after GC, before and after it. With `--scroll`, its request list is then
 *   scrolled for `--scroll-frames` frames, `--scroll-rows` rows a frame; reported: the frame
 *   times requestAnimationFrame saw in the panel (p50, p95, max, how many over 25 and 50 ms).
 * - timeline: `--timeline-entries` requests (default 10,000), retry chains and 429s with
 *   Retry-After among them, imported into the real panel, its Timeline shown, then zoomed and
 *   panned by its keys and the wheel for `--timeline-frames` frames; reported as the scroll part
 *   reports, with the marks the timeline drew at most and idle frames as the baseline. With
 *   `--timeline-against DIR` (a copy of an earlier dist/chrome), that build and this one are
 *   measured in turn, `--timeline-runs` times (default 2), under the same load.
 *
 * Timings depend on the machine and its load: no test asserts them. Run `npm run build` first.
 */
import { mkdtempSync, rmSync } from "node:fs";
import https from "node:https";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { chromium, type Frame, type Page } from "playwright-core";
import {
  CHROMIUM,
  launchChromium,
  openPanel,
  openPanelOn,
  QUIET_CHROMIUM_ARGS,
  waitFor,
} from "../dev/chromium.js";
import { Analyzer } from "../src/core/analyzer.js";
import { parseHar } from "../src/core/har/parse-har.js";
import { PartPool, packEntry } from "../src/core/pack-entry.js";
import { entrySearchText, Session } from "../src/core/session.js";
import type { HarEntry } from "../src/core/types.js";
import { startDemo } from "../src/demo/server.js";
import { FilteredEntries, NO_FILTER } from "../src/panel/filters.js";
import { DEFAULT_SETTINGS } from "../src/settings/settings.js";

const args = process.argv.slice(2);
function option(name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
}
const skip = (part: string) => args.includes(`--skip-${part}`);

const RATE = option("rate", 1000);
const SECONDS = option("seconds", 60);
const WORKERS = option("workers", 4);
const INFLIGHT = option("inflight", 24);
const TAX_CALLS = option("tax-calls", 2000);
const TAX_RUNS = option("tax-runs", 5);
const ENTRIES = option("entries", 100_000);

const KEY = "bench-load";
const TOKEN = "demo-cuadra-careful";
const TARGETS = [
  { url: "https://api.casola.ai/v1/models", auth: `Bearer ${KEY}` },
  { url: "https://api.cuadra.ai/v1/models", auth: `Bearer ${TOKEN}` },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** The code each worker runs: a paced loop of fetches, reading every body. */
const WORKER = `
onmessage = async ({ data }) => {
  const { targets, rate, seconds, inflight } = data;
  const finishes = [];
  let sent = 0, failed = 0, active = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  const interval = 1000 / rate;
  let next = start;
  await new Promise((done) => {
    const pump = () => {
      const now = performance.now();
      // Behind by more than 100 ms (in flight at the limit): the lost time is not made up.
      if (next < now - 100) next = now - 100;
      while (next <= now && next < end && active < inflight) {
        next += interval;
        const target = targets[sent % targets.length];
        sent++;
        active++;
        fetch(target.url, { headers: { Authorization: target.auth } })
          .then((res) => res.text())
          .then(() => finishes.push(Date.now()), () => failed++)
          .finally(() => {
            active--;
            if (next >= end && active === 0) done();
          });
      }
      if (next < end) setTimeout(pump, 1);
      else if (active === 0) done();
    };
    pump();
  });
  postMessage({ sent, failed, finishes, ms: performance.now() - start });
};`;

interface LoadResult {
  sent: number;
  failed: number;
  finishes: number[];
  ms: number;
}

async function fireLoad(page: Page): Promise<LoadResult> {
  return page.evaluate(
    async ({ code, targets, rate, seconds, inflight, workers }) => {
      const url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
      const results = await Promise.all(
        Array.from(
          { length: workers },
          () =>
            new Promise<LoadResult>((resolve) => {
              const worker = new Worker(url);
              worker.onmessage = (event) => {
                resolve(event.data as LoadResult);
                worker.terminate();
              };
              worker.postMessage({ targets, rate: rate / workers, seconds, inflight });
            }),
        ),
      );
      return {
        sent: results.reduce((n, r) => n + r.sent, 0),
        failed: results.reduce((n, r) => n + r.failed, 0),
        finishes: results.flatMap((r) => r.finishes),
        ms: Math.max(...results.map((r) => r.ms)),
      };
    },
    {
      code: WORKER,
      targets: TARGETS,
      rate: RATE,
      seconds: SECONDS,
      inflight: INFLIGHT,
      workers: WORKERS,
    },
  );
}

/** `calls` API calls from the page's own thread, 16 at a time; resolves to the milliseconds. */
async function pageCalls(page: Page, calls: number): Promise<number> {
  return page.evaluate(
    async ({ targets, calls }) => {
      let next = 0;
      const start = performance.now();
      const lane = async () => {
        while (next < calls) {
          const target = targets[next++ % targets.length] as { url: string; auth: string };
          await (await fetch(target.url, { headers: { Authorization: target.auth } })).text();
        }
      };
      await Promise.all(Array.from({ length: 16 }, lane));
      return performance.now() - start;
    },
    { targets: TARGETS, calls },
  );
}

function launchArgs(server: { hostResolverRules: string; spkiFingerprint: string }): string[] {
  return [
    ...QUIET_CHROMIUM_ARGS,
    "--auto-open-devtools-for-tabs",
    `--host-resolver-rules=${server.hostResolverRules}`,
    `--ignore-certificate-errors-spki-list=${server.spkiFingerprint}`,
  ];
}

/**
 * The panel's JS heap after DevTools' own "Collect garbage": a gc() from the page leaves tens of
 * MB that only this collection (the one a heap snapshot runs) frees, so it alone measures what
 * the panel keeps.
 */
async function panelHeap(frame: Frame): Promise<number | undefined> {
  const cdp = await frame.page().context().newCDPSession(frame);
  try {
    await cdp.send("HeapProfiler.collectGarbage");
  } finally {
    await cdp.detach();
  }
  return frame.evaluate(() => {
    const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
    return memory?.usedJSHeapSize;
  });
}

/** What the mock alone answers a second over 12 keep-alive TLS connections from Node: the ceiling. */
async function mockCeiling(): Promise<Record<string, unknown>> {
  const server = await startDemo({
    api: { casolaKeys: { [KEY]: { limit: 100_000_000, windowMs: 60_000 } } },
  });
  const agent = new https.Agent({ keepAlive: true, maxSockets: 12, rejectUnauthorized: false });
  let done = 0;
  const start = performance.now();
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = https.request(
        {
          host: "127.0.0.1",
          port: server.httpsPort,
          path: "/v1/models",
          servername: "api.casola.ai",
          headers: { Host: "api.casola.ai", Authorization: `Bearer ${KEY}` },
          agent,
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            done++;
            resolve();
          });
        },
      );
      req.on("error", reject);
      req.end();
    });
  await Promise.all(
    Array.from({ length: 12 }, async () => {
      while (performance.now() - start < 5000) await one();
    }),
  );
  const rate = Math.round(done / ((performance.now() - start) / 1000));
  agent.destroy();
  await server.close();
  return { requestsPerSecond: rate };
}

/** The same load in Chromium without the extension (DevTools open unless --no-devtools). */
async function livePlain(): Promise<Record<string, unknown>> {
  const server = await startDemo({
    api: {
      casolaKeys: { [KEY]: { limit: 100_000_000, windowMs: 60_000 } },
      cuadraRateLimit: { limit: 100_000_000, windowMs: 60_000 },
    },
  });
  const dir = mkdtempSync(join(tmpdir(), "ratelens-bench-plain-"));
  const devtools = !args.includes("--no-devtools");
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: launchArgs(server).filter((a) => devtools || a !== "--auto-open-devtools-for-tabs"),
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(server.pageUrl);
    await sleep(1500);
    const load = await fireLoad(page);
    return {
      devtools,
      sent: load.sent,
      responses: load.finishes.length,
      rateReached: Math.round(load.finishes.length / (load.ms / 1000)),
    };
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
    await server.close();
  }
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

/** Busy share of the profiled time, and the functions with the most self time. */
function summarise(profile: CpuProfile): Record<string, unknown> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let idle = 0;
  let total = 0;
  samples.forEach((id, i) => {
    const frame = byId.get(id);
    const ms = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
    total += ms;
    const name = frame?.functionName || "(anonymous)";
    if (name === "(idle)" || name === "(program)") {
      if (name === "(idle)") idle += ms;
      return;
    }
    const file = (frame?.url ?? "").split("/").pop() ?? "";
    const key = `${name} ${file}:${(frame?.lineNumber ?? 0) + 1}`;
    self.set(key, (self.get(key) ?? 0) + ms);
  });
  const top = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([key, ms]) => `${Math.round(ms)} ms ${key}`);
  return { profiledMs: Math.round(total), busyMs: Math.round(total - idle), top };
}

/**
 * The demo (its mock configured by `options`), Chromium with dist/chrome on the demo page, and the
 * Ratelens panel shown in its DevTools; `close` ends both. `extensionDir` is another build of it.
 */
async function benchPanel(options: Parameters<typeof startDemo>[0], extensionDir = "dist/chrome") {
  const server = await startDemo(options);
  const browser = await launchChromium({
    extensionDir,
    headless: true,
    hostResolverRules: server.hostResolverRules,
    spkiFingerprint: server.spkiFingerprint,
    extraArgs: ["--enable-precise-memory-info", "--js-flags=--expose-gc"],
  });
  const close = async () => {
    await browser.close();
    await server.close();
  };
  try {
    const { page, devtools } = await openPanelOn(browser, server.pageUrl);
    await devtools.show();
    return { page, devtools, panel: devtools.panel, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function live(): Promise<Record<string, unknown>> {
  const { page, devtools, panel, close } = await benchPanel({
    api: {
      casolaKeys: { [KEY]: { limit: 100_000_000, windowMs: 60_000 } },
      cuadraRateLimit: { limit: 100_000_000, windowMs: 60_000 },
    },
  });
  try {
    await sleep(1000);
    await panel.getByRole("button", { name: /^clear$/i }).click();
    const heapBefore = await panelHeap(panel);
    await panel.evaluate(() => {
      const counts: [number, number][] = [];
      (globalThis as { __counts?: unknown }).__counts = counts;
      const tab = document.querySelector("[data-testid=tab-requests]") as Element;
      const read = () => {
        const count = Number(tab.querySelector(".tab-count")?.textContent ?? "0");
        const last = counts[counts.length - 1];
        if (last === undefined || last[1] !== count) counts.push([Date.now(), count]);
      };
      read();
      new MutationObserver(read).observe(tab, {
        subtree: true,
        childList: true,
        characterData: true,
      });
    });
    // --profile: CPU profiles of the panel's frame and of the DevTools front end during the load.
    const profiled = args.includes("--profile")
      ? await Promise.all(
          [panel, devtools.devtools.mainFrame()].map(async (frame) => {
            const cdp = await devtools.devtools.context().newCDPSession(frame);
            await cdp.send("Profiler.enable");
            await cdp.send("Profiler.start");
            return cdp;
          }),
        )
      : [];
    const load = await fireLoad(page);
    const profiles: Record<string, unknown> = {};
    for (const [i, cdp] of profiled.entries()) {
      const { profile } = await cdp.send("Profiler.stop");
      profiles[i === 0 ? "panel" : "devtoolsFrontEnd"] = summarise(profile);
      await cdp.detach();
    }
    const lastFinish = Math.max(...load.finishes);
    const expected = load.finishes.length;
    // Wait for the count to reach what was sent, or to stop moving for 20 s.
    let settledAt = Date.now();
    let lastCount = -1;
    for (;;) {
      const count = await panel.evaluate(() => {
        const counts = (globalThis as { __counts?: [number, number][] }).__counts ?? [];
        return counts[counts.length - 1]?.[1] ?? 0;
      });
      if (count >= expected) break;
      if (count !== lastCount) {
        lastCount = count;
        settledAt = Date.now();
      } else if (Date.now() - settledAt > 20_000) break;
      await sleep(250);
    }
    const counts = await panel.evaluate(
      () => (globalThis as { __counts?: [number, number][] }).__counts ?? [],
    );
    const finishes = [...load.finishes].sort((a, b) => a - b);
    const latencies: number[] = [];
    let j = 0;
    for (let k = 1; k <= finishes.length; k++) {
      while (j < counts.length && (counts[j] as [number, number])[1] < k) j++;
      const reached = counts[j];
      if (reached === undefined) break;
      latencies.push(reached[0] - (finishes[k - 1] as number));
    }
    const counted = counts[counts.length - 1]?.[1] ?? 0;
    const reachedAll = counts.find(([, c]) => c >= expected);
    const heapAfter = await panelHeap(panel);
    await devtools.close();
    return {
      targetRate: RATE,
      seconds: SECONDS,
      workers: WORKERS,
      sent: load.sent,
      failed: load.failed,
      responses: expected,
      counted,
      dropped: expected - counted,
      rateReached: Math.round(expected / (load.ms / 1000)),
      p50Ms: Math.round(percentile(latencies, 50)),
      p95Ms: Math.round(percentile(latencies, 95)),
      p99Ms: Math.round(percentile(latencies, 99)),
      maxMs: Math.round(Math.max(...latencies)),
      lagAfterLastMs: reachedAll === undefined ? null : reachedAll[0] - lastFinish,
      panelHeapBeforeMB: heapBefore === undefined ? null : +(heapBefore / 2 ** 20).toFixed(1),
      panelHeapAfterMB: heapAfter === undefined ? null : +(heapAfter / 2 ** 20).toFixed(1),
      ...(profiled.length > 0 ? { profiles } : {}),
    };
  } finally {
    await close();
  }
}

async function tax(): Promise<Record<string, unknown>> {
  const server = await startDemo({
    api: {
      casolaKeys: { [KEY]: { limit: 100_000_000, windowMs: 60_000 } },
      cuadraRateLimit: { limit: 100_000_000, windowMs: 60_000 },
    },
  });
  const withRatelens = await launchChromium({
    extensionDir: "dist/chrome",
    headless: true,
    hostResolverRules: server.hostResolverRules,
    spkiFingerprint: server.spkiFingerprint,
  });
  const plainDir = mkdtempSync(join(tmpdir(), "ratelens-bench-plain-"));
  const plain = await chromium.launchPersistentContext(plainDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: launchArgs(server),
    viewport: { width: 1280, height: 800 },
  });
  try {
    const pageA = withRatelens.context.pages()[0] ?? (await withRatelens.context.newPage());
    await pageA.goto(server.pageUrl);
    // --tax-without-panel: the extension installed, DevTools open, the panel never shown (what
    // the background alone costs the page).
    const withPanel = !args.includes("--tax-without-panel");
    const devtools = withPanel ? await openPanel(withRatelens) : undefined;
    await devtools?.show();
    const pageB = plain.pages()[0] ?? (await plain.newPage());
    await pageB.goto(server.pageUrl);
    // DevTools opened with the tab in the plain browser too: its window is a target.
    await waitFor(async () => plain.pages().length > 0, "the plain browser's page");
    const times = { ratelens: [] as number[], plain: [] as number[] };
    // A warm-up of each, not counted: connections, TLS, caches.
    await pageCalls(pageA, 200);
    await pageCalls(pageB, 200);
    for (let run = 0; run < TAX_RUNS; run++) {
      // Alternating, and each pair in swapped order every other run.
      const order =
        run % 2 === 0 ? (["ratelens", "plain"] as const) : (["plain", "ratelens"] as const);
      for (const which of order) {
        const page = which === "ratelens" ? pageA : pageB;
        await page.reload();
        if (which === "ratelens") await devtools?.show();
        await sleep(1000);
        times[which].push(await pageCalls(page, TAX_CALLS));
      }
    }
    const rows = await devtools?.panel
      .locator("[data-testid=tab-requests] .tab-count")
      .textContent()
      .catch(() => null);
    await devtools?.close();
    return {
      panelShown: withPanel,
      calls: TAX_CALLS,
      runs: TAX_RUNS,
      ratelensMs: times.ratelens.map(Math.round),
      plainMs: times.plain.map(Math.round),
      ratio: +(median(times.ratelens) / median(times.plain)).toFixed(3),
      panelCountAfterLastRun: rows,
    };
  } finally {
    await withRatelens.close();
    await plain.close().catch(() => {});
    rmSync(plainDir, { recursive: true, force: true });
    await server.close();
  }
}

/** A Chrome-like entry: request and response headers, timings, an initiator, a small body. */
function generated(i: number): HarEntry {
  const started = new Date(Date.UTC(2026, 10, 23, 10) + i * 10).toISOString();
  const error = i % 50 === 0;
  const body = error
    ? JSON.stringify({ error: { code: "internal_error", message: "Internal error" } })
    : JSON.stringify({ models: [{ id: "casola/llama-3-8b", state: "warm", n: i }] });
  return {
    startedDateTime: started,
    time: 12.5,
    request: {
      method: "GET",
      url: `https://api.casola.ai/v1/models?page=${i}`,
      httpVersion: "http/1.1",
      headers: [
        { name: "Accept", value: "*/*" },
        { name: "Authorization", value: "Bearer demo-key" },
        { name: "Origin", value: "http://127.0.0.1:5173" },
        { name: "Referer", value: "http://127.0.0.1:5173/demo/" },
        { name: "User-Agent", value: "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0" },
      ],
      queryString: [{ name: "page", value: String(i) }],
      cookies: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: error ? 500 : 200,
      statusText: error ? "Internal Server Error" : "OK",
      httpVersion: "http/1.1",
      headers: [
        { name: "Content-Type", value: "application/json; charset=utf-8" },
        { name: "Date", value: new Date(Date.parse(started)).toUTCString() },
        // A 60 s window of 100,000 requests, 6,000 used per window at one request per 10 ms.
        { name: "X-RateLimit-Limit", value: "100000" },
        { name: "X-RateLimit-Remaining", value: String(99_999 - (i % 6000)) },
        { name: "X-RateLimit-Reset", value: String(60 - Math.floor((i % 6000) / 100)) },
        { name: "X-Request-Id", value: `req_${i}` },
      ],
      cookies: [],
      content: { size: body.length, mimeType: "application/json", text: body },
      redirectURL: "",
      headersSize: -1,
      bodySize: body.length,
    },
    cache: {},
    timings: { blocked: 0.5, dns: -1, connect: -1, send: 0.1, wait: 11, receive: 0.9, ssl: -1 },
    _initiator: {
      type: "script",
      stack: {
        callFrames: [
          {
            functionName: "listModels",
            url: "http://127.0.0.1:5173/demo/client.js",
            lineNumber: 41,
            columnNumber: 10,
          },
          {
            functionName: "onclick",
            url: "http://127.0.0.1:5173/demo/",
            lineNumber: 11,
            columnNumber: 2,
          },
        ],
      },
    },
  } as HarEntry;
}

function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

/** A session of ENTRIES generated entries: heap it holds after GC, and its cost per entry. */
function sessionHeap(bodiesKept: number | undefined, search: boolean): Record<string, unknown> {
  const before = heapUsed();
  const session = new Session({ bodiesKept });
  const began = performance.now();
  for (let i = 0; i < ENTRIES; i++) session.add(generated(i), "live");
  const addMs = performance.now() - began;
  const result: Record<string, unknown> = {
    bodiesKept: bodiesKept ?? null,
    released: session.released,
    findings: session.findings.length,
    byRule: Object.fromEntries(
      [...new Set(session.findings.map((f) => f.rule))].map((rule) => [
        rule,
        session.findings.filter((f) => f.rule === rule).length,
      ]),
    ),
    heapMB: +((heapUsed() - before) / 2 ** 20).toFixed(1),
    addUsPerEntry: +((addMs * 1000) / ENTRIES).toFixed(1),
  };
  if (search) {
    // Filtering by text: the first search builds each entry's lower-cased text once; later
    // searches (another word typed) reuse it.
    const times: number[] = [];
    for (const text of ["page=9999", "internal_error", "llama", "nothing-matches"]) {
      const filter = new FilteredEntries();
      const start = performance.now();
      const shown = filter.update(session.entries, { ...NO_FILTER, text }, session.releases);
      times.push(performance.now() - start);
      if (text === "internal_error") result.errorRows = shown.length;
    }
    result.filterFirstMs = Math.round(times[0] as number);
    result.filterLaterMs = times.slice(1).map((t) => Math.round(t));
    result.heapWithSearchTextMB = +((heapUsed() - before) / 2 ** 20).toFixed(1);
    // An export reads every entry: those past the cap are rebuilt from their packed form.
    const start = performance.now();
    let statuses = 0;
    for (const item of session.entries) statuses += item.entry.response.status;
    result.readEveryEntryMs = Math.round(performance.now() - start);
    void statuses;
  }
  return result;
}

/**
 * The same entries as a HAR file, read as the panel imports one (parseHar, Session.import): the
 * heap the session holds after GC once the file's text is gone, beside `sessionHeap`'s live one.
 */
function importedHeap(bodiesKept: number): Record<string, unknown> {
  const before = heapUsed();
  const began = performance.now();
  // The text and the parsed file are gone once this returns, as they are in the panel.
  const session = ((): Session => {
    const parsed = parseHar(harText(ENTRIES));
    if (!parsed.ok) throw new Error(parsed.message);
    const imported = new Session({ bodiesKept });
    imported.import(parsed);
    return imported;
  })();
  const importMs = performance.now() - began;
  const heapMB = +((heapUsed() - before) / 2 ** 20).toFixed(1);
  return {
    bodiesKept,
    entries: session.entries.length,
    released: session.released,
    heapMB,
    importMs: Math.round(importMs),
  };
}

/** A HAR file's text of `count` generated entries, as Chrome would write it. */
function harText(count: number): string {
  const entries = Array.from({ length: count }, (_, i) => JSON.stringify(generated(i)));
  return `{"log":{"version":"1.2","creator":{"name":"bench","version":"0"},"entries":[${entries.join(",")}]}}`;
}

function memory(): Record<string, unknown> {
  if ((globalThis as { gc?: () => void }).gc === undefined) {
    console.error("memory: run node with --expose-gc for heap figures after GC");
  }
  const result: Record<string, unknown> = { entries: ENTRIES };
  if (args.includes("--breakdown")) {
    const base = heapUsed();
    const held = Array.from({ length: ENTRIES }, (_, i) => generated(i));
    result.harEntriesAloneMB = +((heapUsed() - base) / 2 ** 20).toFixed(1);
    held.length = 0;
    const before = heapUsed();
    const analyzer = new Analyzer({});
    for (let i = 0; i < ENTRIES; i++) analyzer.add(generated(i), i);
    result.analyzerAloneMB = +((heapUsed() - before) / 2 ** 20).toFixed(1);
    void analyzer.findings;
    // The search text each entry gets as it arrives (with its body: the most it costs).
    const entries = Array.from({ length: ENTRIES }, (_, i) => generated(i));
    const analysis = new Analyzer({});
    const analyses = entries.map((entry, i) => analysis.add(entry, i));
    const base2 = heapUsed();
    const start = performance.now();
    const texts = entries.map((entry, i) => entrySearchText(entry, analyses[i] as never));
    result.searchTextUsPerEntry = +(((performance.now() - start) * 1000) / ENTRIES).toFixed(2);
    result.searchTextAloneMB = +((heapUsed() - base2) / 2 ** 20).toFixed(1);
    void texts.length;
    texts.length = 0;
    // The packed form of an entry past the cap (without its body), alone.
    const base3 = heapUsed();
    const pool = new PartPool();
    const packed = Array.from({ length: ENTRIES }, (_, i) => {
      const har = generated(i);
      delete har.response.content.text;
      return packEntry(har, pool);
    });
    void packed.length;
    result.packedAloneMB = +((heapUsed() - base3) / 2 ** 20).toFixed(1);
  }
  result.defaultCap = sessionHeap(DEFAULT_SETTINGS.bodiesKept, true);
  result.imported = importedHeap(DEFAULT_SETTINGS.bodiesKept);
  result.importedToLive = +(
    (result.imported as { heapMB: number }).heapMB /
    (result.defaultCap as { heapMB: number }).heapMB
  ).toFixed(2);
  result.noCap = sessionHeap(undefined, false);
  return result;
}

/**
 * Imports `count` entries made by `make` into the real panel as a dropped file is: sent in chunks
 * (too large for setInputFiles over CDP), each made a Blob as it arrives, so the panel's heap holds
 * no copy of the text the bench sent, only what the import keeps. Resolves when the Requests tab
 * counts `expected` requests.
 */
async function importIntoPanel(
  panel: Frame,
  make: (i: number) => HarEntry,
  count: number,
  expected = count,
): Promise<void> {
  await panel.evaluate(() => {
    (globalThis as { __har?: Blob[] }).__har = [];
  });
  const CHUNK = 10_000;
  for (let from = 0; from < count; from += CHUNK) {
    const chunk = Array.from({ length: Math.min(CHUNK, count - from) }, (_, k) =>
      JSON.stringify(make(from + k)),
    ).join(",");
    await panel.evaluate(
      ({ text, first }) => {
        (globalThis as unknown as { __har: Blob[] }).__har.push(
          new Blob(first ? [text] : [",", text]),
        );
      },
      { text: chunk, first: from === 0 },
    );
  }
  await panel.evaluate(() => {
    const parts = (globalThis as unknown as { __har: Blob[] }).__har;
    const head = '{"log":{"version":"1.2","creator":{"name":"bench","version":"0"},"entries":[';
    const file = new File([head, ...parts, "]}}"], "long.har", { type: "application/json" });
    (globalThis as { __har?: Blob[] }).__har = undefined;
    const input = document.querySelector("input[type=file]") as HTMLInputElement;
    const transfer = new DataTransfer();
    transfer.items.add(file);
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
  await waitFor(
    async () =>
      (await panel.locator("[data-testid=tab-requests] .tab-count").textContent()) ===
      String(expected),
    "the imported entries",
    600_000,
  );
}

const MB = (bytes: number | undefined) =>
  bytes === undefined ? null : +(bytes / 2 ** 20).toFixed(1);

/**
 * 100k entries imported into the real panel: the time it took and the panel's heap after GC,
 * before and after (the bound: 250 MB after). With `--scroll`, its request list is then
 * scrolled: frame times in the panel.
 */
async function importAndScroll(): Promise<Record<string, unknown>> {
  const frames = option("scroll-frames", 600);
  const rowsPerFrame = option("scroll-rows", 10);
  const { panel, close } = await benchPanel({});
  try {
    const heapBefore = await panelHeap(panel);
    const began = performance.now();
    await importIntoPanel(panel, generated, ENTRIES);
    const result: Record<string, unknown> = {
      entries: ENTRIES,
      importMs: Math.round(performance.now() - began),
      panelHeapBeforeMB: MB(heapBefore),
      panelHeapMB: MB(await panelHeap(panel)),
    };
    if (!args.includes("--scroll")) return result;
    await sleep(1000);
    const times = await panel.evaluate(
      async ({ frames, step }) => {
        const scroller = document.querySelector(".request-scroller") as HTMLElement;
        const deltas: number[] = [];
        let last = await new Promise<number>((r) => requestAnimationFrame(r));
        for (let i = 0; i < frames; i++) {
          scroller.scrollTop += step;
          const now = await new Promise<number>((r) => requestAnimationFrame(r));
          deltas.push(now - last);
          last = now;
        }
        return {
          deltas,
          scrollTop: scroller.scrollTop,
          rows: scroller.querySelectorAll(".row").length,
        };
      },
      { frames, step: rowsPerFrame * 20 },
    );
    const over = (ms: number) => times.deltas.filter((d) => d > ms).length;
    result.scroll = {
      frames,
      rowsPerFrame,
      scrolledTo: Math.round(times.scrollTop),
      rowsInDom: times.rows,
      frameP50Ms: +median(times.deltas).toFixed(1),
      frameP95Ms: +percentile(times.deltas, 95).toFixed(1),
      frameMaxMs: +Math.max(...times.deltas).toFixed(1),
      // Longer than 1.5 frames at 60 Hz: at least one frame missed.
      framesOver25ms: over(25),
      framesOver50ms: over(50),
    };
    return result;
  } finally {
    await close();
  }
}

/** A request of the timeline part: `status` at `start`, with a Casola error body when it failed. */
function timelineEntry(
  start: number,
  method: string,
  url: string,
  status: number,
  headers: Record<string, string> = {},
): HarEntry {
  const code = status === 429 ? "rate_limit" : "internal_error";
  const body =
    status >= 400
      ? JSON.stringify({ error: { code, message: code.replace("_", " ") } })
      : JSON.stringify({ ok: true });
  return {
    startedDateTime: new Date(start).toISOString(),
    time: 40,
    request: {
      method,
      url,
      httpVersion: "http/1.1",
      headers: [{ name: "Authorization", value: "Bearer demo-key" }],
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status,
      statusText: "",
      httpVersion: "http/1.1",
      headers: [
        { name: "Content-Type", value: "application/json" },
        ...Object.entries(headers).map(([name, value]) => ({ name, value })),
      ],
      cookies: [],
      content: { size: body.length, mimeType: "application/json", text: body },
      redirectURL: "",
      headersSize: -1,
      bodySize: body.length,
    },
    cache: {},
    timings: { send: 0, wait: 40, receive: 0 },
  } as HarEntry;
}

/**
 * `count` requests, one every 50 ms: every 20th slot a POST to api.casola.ai whose 429 states a
 * Retry-After of 2 s and that the client retries after 400 ms twice (a flagged chain), every
 * 50th a GET to api.cuadra.ai answered 500 and retried 2 s later (a healthy chain), the rest
 * GETs to api.cuadra.ai answered 200.
 */
function timelineEntries(count: number): HarEntry[] {
  const base = Date.UTC(2026, 10, 23, 10);
  const entries: HarEntry[] = [];
  const api = "https://api.casola.ai/v1";
  const other = "https://api.cuadra.ai/v1";
  const limited = { "Retry-After": "2", "X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "0" };
  for (let slot = 0; entries.length < count; slot++) {
    const at = base + slot * 50;
    if (slot % 20 === 0) {
      const url = `${api}/jobs?chain=${slot}`;
      entries.push(timelineEntry(at, "POST", url, 429, limited));
      entries.push(timelineEntry(at + 400, "POST", url, 429, limited));
      entries.push(timelineEntry(at + 800, "POST", url, 200));
    } else if (slot % 50 === 25) {
      const url = `${other}/jobs/${slot}`;
      entries.push(timelineEntry(at, "GET", url, 500));
      entries.push(timelineEntry(at + 2000, "GET", url, 200));
    } else {
      entries.push(timelineEntry(at, "GET", `${other}/models?page=${slot}`, 200));
    }
  }
  return entries.slice(0, count);
}

/** The timeline part: frame times of the Timeline zoomed and panned over an imported session. */
async function timeline(extensionDir?: string): Promise<Record<string, unknown>> {
  const count = option("timeline-entries", 10_000);
  const frames = option("timeline-frames", 600);
  const { panel, devtools, close } = await benchPanel({}, extensionDir);
  try {
    const entries = timelineEntries(count);
    const began = performance.now();
    await panel.evaluate(
      (text) => {
        const file = new File([text], "timeline.har", { type: "application/json" });
        const input = document.querySelector("input[type=file]") as HTMLInputElement;
        const transfer = new DataTransfer();
        transfer.items.add(file);
        input.files = transfer.files;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      },
      JSON.stringify({
        log: { version: "1.2", creator: { name: "bench", version: "0" }, entries },
      }),
    );
    await waitFor(
      async () =>
        (await panel.locator("[data-testid=tab-requests] .tab-count").textContent()) ===
        String(count),
      "the imported entries",
      120_000,
    );
    const importMs = Math.round(performance.now() - began);
    await panel.click("[data-testid=tab-timeline]");
    await panel.waitForSelector("[data-testid=timeline-plot]");
    const openMs = Math.round(performance.now() - began) - importMs;
    await sleep(1000);
    // --profile: a CPU profile of the panel's frame while it zooms and pans.
    const cdp = args.includes("--profile")
      ? await devtools.devtools.context().newCDPSession(panel)
      : undefined;
    await cdp?.send("Profiler.enable");
    await cdp?.send("Profiler.start");
    const times = await panel.evaluate(async (frames) => {
      const plot = document.querySelector("[data-testid=timeline-plot]") as HTMLElement;
      const box = plot.getBoundingClientRect();
      // A cycle: zoom in by keys, pan right and back, zoom out by the wheel about the pointer.
      const steps: (string | number)[] = [
        ...Array<string>(10).fill("+"),
        ...Array<string>(20).fill("ArrowRight"),
        ...Array<string>(20).fill("ArrowLeft"),
        ...Array<number>(10).fill(300),
      ];
      const frame = () => new Promise<number>((r) => requestAnimationFrame(r));
      // The same number of frames with nothing to draw first: what the machine's load alone costs.
      const idle: number[] = [];
      let before = await frame();
      for (let i = 0; i < Math.min(frames, 120); i++) {
        const now = await frame();
        idle.push(now - before);
        before = now;
      }
      const deltas: number[] = [];
      /** Each frame's step: a pan (arrow keys) or a zoom (+ or the wheel). */
      const kinds: ("pan" | "zoom")[] = [];
      let drawn = 0;
      let last = await frame();
      for (let i = 0; i < frames; i++) {
        const step = steps[i % steps.length] as string | number;
        kinds.push(typeof step === "string" && step.startsWith("Arrow") ? "pan" : "zoom");
        if (typeof step === "string") {
          plot.dispatchEvent(new KeyboardEvent("keydown", { key: step, bubbles: true }));
        } else {
          plot.dispatchEvent(
            new WheelEvent("wheel", {
              deltaY: step,
              clientX: box.left + box.width * 0.7,
              clientY: box.top + 40,
              bubbles: true,
              cancelable: true,
            }),
          );
        }
        const now = await new Promise<number>((r) => requestAnimationFrame(r));
        deltas.push(now - last);
        last = now;
        drawn = Math.max(
          drawn,
          document.querySelectorAll("[data-testid=timeline-mark],[data-testid=timeline-group]")
            .length,
        );
      }
      return {
        kinds,
        idle,
        deltas,
        drawn,
        lanes: document.querySelectorAll("[data-testid=timeline-lane]").length,
        range: (document.querySelector("[data-testid=timeline-range]") as HTMLElement).textContent,
      };
    }, frames);
    const profile = cdp === undefined ? undefined : (await cdp.send("Profiler.stop")).profile;
    const over = (ms: number) => times.deltas.filter((d) => d > ms).length;
    return {
      ...(profile === undefined ? {} : { profile: summarise(profile) }),
      entries: count,
      importMs,
      openTimelineMs: openMs,
      frames,
      lanesInDom: times.lanes,
      marksInDomMax: times.drawn,
      lastRange: times.range,
      frameP50Ms: +median(times.deltas).toFixed(1),
      frameP95Ms: +percentile(times.deltas, 95).toFixed(1),
      frameMaxMs: +Math.max(...times.deltas).toFixed(1),
      framesOver25ms: over(25),
      framesOver50ms: over(50),
      ...Object.fromEntries(
        (["pan", "zoom"] as const).map((kind) => {
          const of = times.deltas.filter((_, i) => times.kinds[i] === kind);
          return [
            `${kind}Frames`,
            {
              count: of.length,
              p50Ms: +median(of).toFixed(1),
              p95Ms: +percentile(of, 95).toFixed(1),
              over25ms: of.filter((d) => d > 25).length,
            },
          ];
        }),
      ),
      idleFrames: times.idle.length,
      idleFrameP50Ms: +median(times.idle).toFixed(1),
      idleFrameP95Ms: +percentile(times.idle, 95).toFixed(1),
    };
  } finally {
    await close();
  }
}

async function main(): Promise<void> {
  const machine = {
    cpus: cpus().length,
    model: cpus()[0]?.model,
    loadBefore: loadavg().map((n) => +n.toFixed(2)),
    chromium: CHROMIUM,
    node: process.version,
  };
  const report: Record<string, unknown> = { machine };
  if (!skip("memory")) report.memory = memory();
  if (args.includes("--mock")) report.mockCeiling = await mockCeiling();
  if (!skip("live")) {
    // The page's rate without Ratelens first (DevTools open): what this machine sustains.
    report.livePlain = await livePlain();
    report.live = await live();
  }
  if (!skip("tax")) report.tax = await tax();
  if (!skip("import")) report.import = await importAndScroll();
  if (!skip("timeline")) {
    // --timeline-against DIR: another build of the extension (a copy of dist/chrome made before a
    // change), measured in turn with this one `--timeline-runs` times, so both see the same load.
    const against = args.at(args.indexOf("--timeline-against") + 1);
    if (args.includes("--timeline-against") && against !== undefined) {
      const runs = option("timeline-runs", 2);
      const pairs: Record<string, unknown>[] = [];
      for (let run = 0; run < runs; run++) {
        const before = await timeline(against);
        const after = await timeline();
        pairs.push({ load: loadavg().map((n) => +n.toFixed(2)), against: before, this: after });
      }
      report.timeline = pairs;
    } else {
      report.timeline = await timeline();
    }
  }
  report.loadAfter = loadavg().map((n) => +n.toFixed(2));
  console.log(JSON.stringify(report, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
