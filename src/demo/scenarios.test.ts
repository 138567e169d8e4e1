import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { analyzeEntries } from "../../test/support/analyze.js";
import { entry, T0 } from "../../test/support/har.js";
import { callHandler } from "../../test/support/http-handler.js";
import type { Finding } from "../core/finding.js";
import type { RuleId } from "../core/rules/index.js";
import type { HarEntry } from "../core/types.js";
import { createMockApi, type MockApiHandler } from "./mock-api.js";
import { SCENARIOS, type ScenarioId } from "./scenarios.js";

/**
 * The page's scenarios run here in Node, in virtual time, against the mock through a fetch that
 * behaves like a browser's for CORS (preflights, exposed headers) and records a HAR entry per
 * exchange. The real analyzer then reads those entries: each scenario must raise its rules and
 * nothing else, before the browser tests find out the slow way.
 */

interface RequestRecord {
  method: string;
  url: string;
  status: number;
  code: string;
}

interface Client {
  setReporter(reporter: {
    request(record: RequestRecord): void;
    outcome(text: string): void;
  }): void;
  SCENARIO_FUNCTIONS: Record<ScenarioId, () => Promise<void>>;
}

const ORIGIN = "http://127.0.0.1:5173";
/** Each way, client to server and back. */
const LATENCY_MS = 15;
const SAFELISTED_REQUEST = new Set(["accept", "accept-language", "content-language"]);
const SIMPLE_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"];
const SAFELISTED_RESPONSE = new Set([
  "cache-control",
  "content-language",
  "content-length",
  "content-type",
  "expires",
  "last-modified",
  "pragma",
]);

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function lowerCase(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([n, v]) => [n.toLowerCase(), v]));
}

/** A browser's fetch in front of the mock, for a page on another origin. */
function browser(api: MockApiHandler) {
  const entries: HarEntry[] = [];

  async function exchange(
    method: string,
    url: URL,
    headers: Record<string, string>,
    body?: string,
  ) {
    const start = Date.now();
    await sleep(LATENCY_MS);
    const response = callHandler(api, {
      method,
      host: url.host,
      path: url.pathname + url.search,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    await sleep(LATENCY_MS);
    entries.push(
      entry({
        url: url.href,
        method,
        status: response.status,
        headers: response.headers,
        body: response.body,
        mimeType: response.headers["Content-Type"] ?? "",
        startedDateTime: start,
        time: Date.now() - start,
        requestHeaders: headers,
        ...(body === undefined ? {} : { postData: body }),
      }),
    );
    return { ...response, headers: lowerCase(response.headers) };
  }

  async function fetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
    const url = new URL(String(input));
    const method = (init.method ?? "GET").toUpperCase();
    const headers = Object.fromEntries(new Headers(init.headers));
    const body = typeof init.body === "string" ? init.body : undefined;
    const unsafe = Object.entries(headers)
      .filter(([name, value]) =>
        name === "content-type"
          ? !SIMPLE_TYPES.includes(value.split(";")[0]?.trim().toLowerCase() ?? "")
          : !SAFELISTED_REQUEST.has(name),
      )
      .map(([name]) => name)
      .sort();
    if (unsafe.length > 0 || !["GET", "HEAD", "POST"].includes(method)) {
      const preflight = await exchange("OPTIONS", url, {
        origin: ORIGIN,
        "access-control-request-method": method,
        "access-control-request-headers": unsafe.join(","),
      });
      const allowed = (preflight.headers["access-control-allow-headers"] ?? "")
        .toLowerCase()
        .split(/\s*,\s*/);
      const methods = preflight.headers["access-control-allow-methods"] ?? "";
      if (
        preflight.status !== 204 ||
        preflight.headers["access-control-allow-origin"] !== ORIGIN ||
        !unsafe.every((name) => allowed.includes(name)) ||
        !methods.includes(method)
      ) {
        throw new TypeError(`Failed to fetch (CORS preflight refused ${unsafe.join(",")})`);
      }
    }
    const response = await exchange(method, url, { ...headers, origin: ORIGIN }, body);
    if (![ORIGIN, "*"].includes(response.headers["access-control-allow-origin"] ?? "")) {
      throw new TypeError("Failed to fetch (no Access-Control-Allow-Origin)");
    }
    const exposed = new Set(
      (response.headers["access-control-expose-headers"] ?? "").toLowerCase().split(/\s*,\s*/),
    );
    const visible = Object.entries(response.headers).filter(
      ([name]) => SAFELISTED_RESPONSE.has(name) || exposed.has(name),
    );
    return new Response(response.status === 204 ? null : response.body, {
      status: response.status,
      headers: visible,
    });
  }

  return { fetch, entries };
}

let client: Client;
let records: RequestRecord[];

beforeEach(async () => {
  vi.useFakeTimers({ now: T0, toFake: ["setTimeout", "clearTimeout", "Date"] });
  const url = new URL("./page/client.js", import.meta.url).href;
  client = (await import(/* @vite-ignore */ url)) as Client;
  records = [];
  client.setReporter({ request: (record) => records.push(record), outcome: () => {} });
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** Runs scenarios one after the other in virtual time; returns how long they took. */
async function run(api: MockApiHandler, ids: readonly ScenarioId[]) {
  const page = browser(api);
  vi.stubGlobal("fetch", page.fetch);
  const started = Date.now();
  const durations: number[] = [];
  for (const id of ids) {
    const begin = Date.now();
    let settled = false;
    const done = client.SCENARIO_FUNCTIONS[id]().finally(() => {
      settled = true;
    });
    while (!settled && Date.now() - begin < 60_000) await vi.advanceTimersByTimeAsync(10);
    await done;
    durations.push(Date.now() - begin);
  }
  // As in the browser, where the user has added the hosts the scenarios name.
  const hosts = SCENARIOS.filter((s) => ids.includes(s.id)).flatMap((s) => s.userHosts ?? []);
  const report = analyzeEntries(page.entries, { hosts });
  return { report, durations, total: Date.now() - started, entries: page.entries };
}

function count(findings: readonly Finding[]): Partial<Record<RuleId, number>> {
  const counts: Partial<Record<RuleId, number>> = {};
  for (const { rule } of findings) counts[rule] = (counts[rule] ?? 0) + 1;
  return counts;
}

/** Exactly what each scenario raises in a fresh session. */
const EXPECTED: Record<ScenarioId, Partial<Record<RuleId, number>>> = {
  careful: {},
  "retry-quota": { "retry-non-retryable": 2 },
  "ignore-retry-after": { "retry-after-ignored": 3 },
  "retry-401": { "retry-non-retryable": 2 },
  "no-backoff": { "no-backoff": 2 },
  "zero-budget": { "rate-limit-exhausted": 3 },
  // The fourth chapter's first call, sent with the tokens spent; its retry waits the Retry-After.
  "openai-tokens": { "rate-limit-exhausted": 1 },
  // The SDK's two retries, sent 0.5 s and 1 s into a 120 s Retry-After.
  "openai-sdk": { "retry-after-ignored": 2 },
};

describe("the demo page's scenarios, analysed", () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.id} raises ${scenario.expectedRules.join(", ") || "nothing"} within 6 s`, async () => {
      const { report, durations, entries } = await run(createMockApi(), [scenario.id]);
      expect(count(report.findings)).toEqual(EXPECTED[scenario.id]);
      expect(Object.keys(count(report.findings)).sort()).toEqual(
        [...scenario.expectedRules].sort(),
      );
      expect(durations[0]).toBeLessThanOrEqual(6000);
      // One log line per API request: the panel lists as many rows.
      const calls = entries.filter((e) => e.request.method !== "OPTIONS");
      expect(records).toHaveLength(calls.length);
      expect(new Set(calls.map((e) => new URL(e.request.url).hostname))).toEqual(
        new Set(scenario.hosts),
      );
    });
  }

  it("careful stays clean whatever the jitter", async () => {
    for (const random of [0, 0.5, 0.999]) {
      vi.spyOn(Math, "random").mockReturnValue(random);
      const { report, durations } = await run(createMockApi(), ["careful"]);
      expect(report.findings, `Math.random() = ${random}`).toEqual([]);
      expect(durations[0]).toBeLessThanOrEqual(6000);
    }
  });

  it("careful met a 500, backed off, got its job, waited for the reset and asked Cuadra", async () => {
    await run(createMockApi(), ["careful"]);
    const lines = records.map((r) => `${r.method} ${new URL(r.url).pathname} ${r.status}`);
    expect(lines[0]).toBe("POST /v1/jobs 500");
    expect(lines[1]).toBe("POST /v1/jobs 202");
    expect(lines.at(-1)).toBe("POST /v1/chat/completions 200");
    expect(records.every((r) => r.status !== 429)).toBe(true);
  });

  it("run all in one session raises each scenario's findings and no more", async () => {
    const ids = SCENARIOS.map((s) => s.id);
    const { report } = await run(createMockApi(), ids);
    const expected: Partial<Record<RuleId, number>> = {};
    for (const id of ids) {
      for (const [rule, n] of Object.entries(EXPECTED[id]) as [RuleId, number][]) {
        expected[rule] = (expected[rule] ?? 0) + n;
      }
    }
    expect(count(report.findings)).toEqual(expected);
  });

  it("each scenario run twice on the same mock still raises its rules in a cleared session", async () => {
    // As in the browser tests, where the mock outlives the panel's sessions: a second run may
    // meet the first one's rate-limit window, and raise more, but never less.
    const api = createMockApi();
    for (const scenario of SCENARIOS) {
      await run(api, [scenario.id]);
      const again = await run(api, [scenario.id]);
      const rules = Object.keys(count(again.report.findings));
      expect(rules, scenario.id).toEqual(expect.arrayContaining([...scenario.expectedRules]));
      for (const severity of scenario.forbiddenSeverities ?? []) {
        expect(again.report.findings.filter((f) => f.severity === severity)).toEqual([]);
      }
    }
  });

  it("openai-sdk is one chain, with its cost and the SDK's signs on every attempt", async () => {
    const { report, entries } = await run(createMockApi(), ["openai-sdk"]);
    expect(report.chains).toHaveLength(1);
    const [chain] = report.chains;
    expect(chain).toMatchObject({ host: "api.openai.com", method: "POST", attempts: 3 });
    expect(chain?.wastedRequests).toBe(2);
    expect(chain?.wastedSeconds).toBeGreaterThan(1);
    expect(chain?.library).toMatchObject({ name: "OpenAI SDK", option: "maxRetries" });
    const counts = entries
      .filter((e) => e.request.method === "POST")
      .map(
        (e) =>
          e.request.headers.find((h) => h.name.toLowerCase() === "x-stainless-retry-count")?.value,
      );
    expect(counts).toEqual(["0", "1", "2"]);
  });

  it("calls fetch() only in the scenarios' own functions, the callers DevTools will name", () => {
    const source = readFileSync(new URL("./page/client.js", import.meta.url), "utf8").split("\n");
    let inside = "";
    const callers = new Set<string>();
    source.forEach((line, i) => {
      inside = /^export async function (\w+)\(/.exec(line)?.[1] ?? (line === "}" ? "" : inside);
      if (/\bfetch\(/.test(line) && !line.trimStart().startsWith("//")) {
        expect(inside, `client.js:${i + 1} calls fetch() outside a scenario`).not.toBe("");
        callers.add(inside);
      }
    });
    expect([...callers].sort()).toEqual(SCENARIOS.map((s) => s.functionName).sort());
    const main = readFileSync(new URL("./page/main.js", import.meta.url), "utf8");
    expect(main).not.toMatch(/\bfetch\(/);
  });
});
