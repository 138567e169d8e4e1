import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeEntries } from "../../test/support/analyze.js";
import { CASOLA, CUADRA, call, entry as harEntry, T0 } from "../../test/support/har.js";
import { summarize } from "../../test/support/summary.js";
import { Analyzer } from "./analyzer.js";
import { CASOLA_CODES } from "./catalog/casola.js";
import { byCost, type Chain } from "./chains.js";
import { redactHar } from "./redact/redact-har.js";
import { REDACTED } from "./redact/secret-names.js";
import { buildReport } from "./report.js";
import { RULES } from "./rules/index.js";
import type { HarEntry } from "./types.js";

const header = fc.oneof(
  fc.constantFrom(
    ["Retry-After", "30"],
    ["Retry-After", "0"],
    ["Retry-After", "Mon, 23 Nov 2026 10:00:30 GMT"],
    ["retry-after-ms", "1500"],
    ["X-RateLimit-Limit", "100"],
    ["X-RateLimit-Remaining", "0"],
    ["X-RateLimit-Remaining", "7"],
    ["X-RateLimit-Reset", "1795428060"],
    ["X-RateLimit-Reset", "12"],
    ["RateLimit", '"default";r=0;t=10'],
    ["RateLimit-Policy", '"default";q=10;w=60'],
    ["Date", "Mon, 23 Nov 2026 10:02:00 GMT"],
    ["x-should-retry", "false"],
    ["Idempotency-Key", "k-1"],
  ),
  fc.tuple(
    fc.constantFrom("Retry-After", "X-RateLimit-Reset", "RateLimit", "Date", "retry-after-ms"),
    fc.string(),
  ),
);

const body = fc.oneof(
  fc
    .constantFrom(...Object.keys(CASOLA_CODES))
    .map((code) => JSON.stringify({ error: { code, message: code } })),
  fc.constantFrom(429, 402, 403, 500).map((status) =>
    JSON.stringify({
      title: "T",
      status,
      detail: "Required: 75 credits. Available: 50 credits. Retry after 3 seconds",
    }),
  ),
  fc.constantFrom("", "<html>502</html>", "{", "null", "[]", '{"error":"invalid_grant"}'),
  fc.string(),
);

const entry = fc.record({
  gapMs: fc.integer({ min: 0, max: 40_000 }),
  durationMs: fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.constant(-1)),
  host: fc.constantFrom(
    "api.casola.ai",
    "api.cuadra.ai",
    "auth.cuadra.ai",
    "example.com",
    "127.0.0.1:8080",
  ),
  path: fc.constantFrom("/v1/jobs", "/v1/chat", "/v1/jobs/1"),
  method: fc.constantFrom("GET", "POST"),
  requestBody: fc.option(fc.constantFrom('{"a":1}', '{"a":2}'), { nil: undefined }),
  status: fc.constantFrom(
    0,
    200,
    201,
    400,
    401,
    402,
    403,
    404,
    409,
    410,
    422,
    429,
    500,
    501,
    502,
    503,
    504,
  ),
  requestHeaders: fc.array(header, { maxLength: 2 }),
  responseHeaders: fc.array(header, { maxLength: 4 }),
  body,
  base64: fc.boolean(),
});

type Spec = typeof entry extends fc.Arbitrary<infer T> ? T : never;

function toEntries(specs: Spec[]): HarEntry[] {
  let t = T0;
  return specs.map((s) => {
    t += s.gapMs;
    return harEntry({
      startedDateTime: t,
      time: s.durationMs,
      method: s.method,
      url: `https://${s.host}${s.path}`,
      requestHeaders: s.requestHeaders as [string, string][],
      postData: s.requestBody,
      status: s.status,
      headers: s.responseHeaders as [string, string][],
      body: s.body,
      base64: s.base64,
      mimeType: "application/json",
    });
  });
}

describe("the analysis of any timeline", () => {
  it("never throws, and every finding names valid entries in time order, the offending one last", () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 40 }), fc.boolean(), (specs, shuffle) => {
        const entries = toEntries(specs);
        if (shuffle) entries.reverse();
        const report = analyzeEntries(entries, {
          hosts: [{ host: "127.0.0.1:8080", provider: "casola" }],
        });
        expect(report.entries).toHaveLength(entries.length);
        for (const finding of report.findings) {
          expect(finding.entries.length).toBeGreaterThan(0);
          const starts = finding.entries.map((i) => {
            expect(Number.isInteger(i) && i >= 0 && i < entries.length).toBe(true);
            return Date.parse((entries[i] as HarEntry).startedDateTime);
          });
          for (let k = 1; k < starts.length; k++)
            expect(starts[k]).toBeGreaterThanOrEqual(starts[k - 1] as number);
          if (!shuffle) expect([...finding.entries].sort((a, b) => a - b)).toEqual(finding.entries);
          expect(finding.message).not.toMatch(/NaN|undefined|Infinity/);
        }
        for (const budget of report.budgets) {
          expect(budget.remaining === null || budget.remaining >= 0).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("what the analyzer keeps of a file of any size", () => {
  it("keeps per rule the first findings and the costliest chains, counts all, and streams every chain", () => {
    fc.assert(
      fc.property(
        // Retries close together, so that rules make more chains than are kept.
        fc.array(
          entry.map((spec) => ({ ...spec, gapMs: spec.gapMs % 3000 })),
          { minLength: 10, maxLength: 60 },
        ),
        fc.integer({ min: 0, max: 2 }),
        (specs, perRule) => {
          const entries = toEntries(specs);
          const all = new Analyzer();
          const streamed: Chain[] = [];
          const kept = new Analyzer({ keep: { perRule }, onChain: (c) => streamed.push(c) });
          entries.forEach((e, i) => {
            all.add(e, i);
            kept.add(e, i);
          });
          kept.finish();
          const whole = buildReport(all);
          const bounded = buildReport(kept);
          expect(bounded.summary).toEqual(whole.summary);
          expect(bounded.ruleCounts).toEqual(whole.ruleCounts);
          expect(bounded.cost).toEqual(whole.cost);
          // Every chain reaches onChain once, as the report of all of them lists it.
          const first = (c: Chain) => c.entries[0] ?? 0;
          expect([...streamed].sort((a, b) => first(a) - first(b))).toEqual(whole.chains);
          // The chains listed: per rule its costliest, each listed once, in order of its first.
          const listed = new Set<number>();
          for (const rule of RULES) {
            const findings = whole.findings.filter((f) => f.rule === rule.id);
            expect(bounded.findings.filter((f) => f.rule === rule.id)).toEqual(
              findings.slice(0, perRule),
            );
            const chains = whole.chains.filter((c) => c.rules.includes(rule.id)).sort(byCost);
            for (const chain of chains.slice(0, perRule)) listed.add(first(chain));
          }
          expect(bounded.chains).toEqual(whole.chains.filter((c) => listed.has(first(c))));
        },
      ),
      { numRuns: Number(process.env.RATELENS_FUZZ_RUNS ?? 200) },
    );
  });
});

describe("Analyzer.add", () => {
  it("gives each entry its decoded error and the findings it raised, as the panel will show them", () => {
    const analyzer = new Analyzer();
    const [first, second] = toEntries([
      {
        gapMs: 0,
        durationMs: 100,
        host: "api.casola.ai",
        path: "/v1/jobs",
        method: "POST",
        requestBody: '{"a":1}',
        status: 429,
        requestHeaders: [],
        responseHeaders: [],
        body: JSON.stringify({
          error: { code: "quota_exceeded", message: "Plan usage limit reached" },
        }),
        base64: false,
      },
      {
        gapMs: 500,
        durationMs: 100,
        host: "api.casola.ai",
        path: "/v1/jobs",
        method: "POST",
        requestBody: '{"a":1}',
        status: 200,
        requestHeaders: [],
        responseHeaders: [],
        body: "{}",
        base64: false,
      },
    ]);
    const a = analyzer.add(first as HarEntry, 0);
    if (a === undefined) throw new Error("a request is analysed");
    expect(a.hostProvider).toBe("casola");
    expect(a.error).toMatchObject({ code: "quota_exceeded", retryable: false });
    expect(a.findings).toEqual([]);
    const b = analyzer.add(second as HarEntry, 1);
    if (b === undefined) throw new Error("a request is analysed");
    expect(b.error).toBeUndefined();
    expect(b.findings.map((f) => [f.rule, f.entries])).toEqual([["retry-non-retryable", [0, 1]]]);
    expect(analyzer.findings).toEqual(b.findings);
  });

  it("knows which hosts are API hosts, including the ones the user added", () => {
    const analyzer = new Analyzer({ hosts: [{ host: "staging.casola.dev", provider: "casola" }] });
    expect(analyzer.isApiHost("https://api.eu.casola.ai/v1/jobs")).toBe(true);
    expect(analyzer.isApiHost("https://staging.casola.dev/v1")).toBe(true);
    expect(analyzer.isApiHost("https://cdn.example.com/app.js")).toBe(false);
    expect(analyzer.isApiHost("not a url")).toBe(false);
  });

  it("counts requests and errors by outcome as it goes, kept or not, in the order of index", () => {
    const fail = (status: number, at: number) =>
      call({ at, url: `${CASOLA}/jobs`, status, json: { error: { code: "x", message: "x" } } });
    // Added in time order, which is not the order of index: the summary lists errors by index.
    const added: [HarEntry, number][] = [
      [call({ at: 0, url: `${CASOLA}/models`, status: 200, json: {} }), 3],
      [fail(500, 1), 2],
      [fail(429, 2), 0],
      [fail(500, 3), 1],
    ];
    const kept = new Analyzer();
    const streamed = new Analyzer({ keepEntries: false });
    for (const [entry, index] of added) {
      kept.add(entry, index);
      streamed.add(entry, index);
    }
    expect(streamed.entries).toEqual([]);
    for (const analyzer of [kept, streamed]) {
      expect(analyzer.entriesRead).toBe(4);
      expect(analyzer.errorCounts()).toEqual([
        { outcome: "429 x", count: 1 },
        { outcome: "500 x", count: 2 },
      ]);
    }
    expect(buildReport(streamed).summary).toEqual(buildReport(kept).summary);
    expect(buildReport(kept).summary).toEqual(
      summarize(
        buildReport(kept).entries,
        kept.findings,
        kept.apiRequests,
        kept.chainReport().chains,
      ),
    );
  });

  it("without rules, keeps the same budgets and counts and raises nothing; a snapshot restores them", () => {
    const session = [
      call({
        at: 0,
        url: `${CASOLA}/jobs`,
        method: "POST",
        status: 429,
        headers: { "X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "0", "Retry-After": "30" },
        json: { error: { code: "rate_limit", message: "slow down" } },
      }),
      call({ at: 1, url: `${CASOLA}/jobs`, method: "POST", status: 429, json: {} }),
      call({ at: 2, url: `${CUADRA}/usage`, status: 200, json: {} }),
    ];
    const full = new Analyzer();
    const lean = new Analyzer({ rules: false, keepEntries: false });
    session.forEach((entry, i) => {
      full.add(entry, i);
      lean.add(entry, i);
    });
    expect(full.findings.length).toBeGreaterThan(0);
    expect(lean.findings).toEqual([]);
    expect(lean.retries).toBe(0);
    const now = T0 + 5000;
    expect(lean.budgets(now)).toEqual(full.budgets(now));
    expect(lean.errorCounts()).toEqual(full.errorCounts());

    const restored = Analyzer.restore(JSON.parse(JSON.stringify(lean.snapshot())), {
      rules: false,
      keepEntries: false,
    });
    expect(restored.budgets(now)).toEqual(lean.budgets(now));
    expect(restored.latestTime).toBe(lean.latestTime);
    expect([restored.entriesRead, restored.apiRequests]).toEqual([3, 3]);
    expect(restored.errorCounts()).toEqual(lean.errorCounts());
    // It goes on from there, as the one it was taken from does.
    const next = call({ at: 3, url: `${CASOLA}/jobs`, status: 500, json: {} });
    restored.add(next, 3);
    lean.add(next, 3);
    expect(restored.budgets(now)).toEqual(lean.budgets(now));
    expect(restored.snapshot()).toEqual(lean.snapshot());
    for (const garbage of [undefined, null, 3, { v: 1, counts: "x", errors: [[1]] }])
      expect(Analyzer.restore(garbage).snapshot()).toEqual(new Analyzer().snapshot());
  });

  it("links a retry only within ten minutes of the failure", () => {
    const quota = JSON.stringify({
      error: { code: "quota_exceeded", message: "Plan usage limit reached" },
    });
    const spec = (gapMs: number): Spec => ({
      gapMs,
      durationMs: 0,
      host: "api.casola.ai",
      path: "/v1/jobs",
      method: "GET",
      requestBody: undefined,
      status: 429,
      requestHeaders: [],
      responseHeaders: [],
      body: quota,
      base64: false,
    });
    const rulesOf = (gapMs: number) =>
      analyzeEntries(toEntries([spec(0), spec(gapMs)])).findings.map((f) => f.rule);
    expect(rulesOf(9 * 60_000)).toEqual(["retry-non-retryable"]);
    expect(rulesOf(10 * 60_000)).toEqual(["retry-non-retryable"]);
    expect(rulesOf(10 * 60_000 + 1)).toEqual([]);
  });
});

describe("what the analysis reports of a secret the server echoes", () => {
  const KEY = "sk-live-abc123XYZ";

  it("gives the same findings, codes and messages for a session whose responses echo its key", () => {
    const entries = [0, 1, 2].map((i) =>
      harEntry({
        status: 429,
        method: "POST",
        startedDateTime: T0 + i * 100,
        requestHeaders: { Authorization: `Bearer ${KEY}` },
        headers: { "Retry-After": "30" },
        body: JSON.stringify({ error: { code: "rate_limit", message: `slow down, ${KEY}` } }),
      }),
    );
    const before = analyzeEntries(entries);
    const after = analyzeEntries(redactHar(entries).log.entries as unknown as HarEntry[]);
    expect(before.findings.length).toBeGreaterThan(0);
    expect(after.findings).toEqual(before.findings);
    expect(after.entries).toEqual(before.entries);
    expect(before.entries[0]?.error?.message).toBe(`slow down, ${REDACTED}`);
    expect(JSON.stringify(before)).not.toContain(KEY);
  });

  it("names a failed request by its URL without the key it carries, in the path or the query", () => {
    const analyzer = new Analyzer();
    const url = `https://api.casola.ai/v1/keys/${KEY}?api_key=${KEY}&page=2`;
    const failed = analyzer.add(
      harEntry({ url, status: 404, requestHeaders: { "X-Api-Key": KEY } }),
      0,
    );
    // The summary the CLI streams, before any report is built, is already redacted.
    expect(failed?.summary.url).toBe(
      `https://api.casola.ai/v1/keys/${REDACTED}?api_key=${REDACTED}&page=2`,
    );
    // Any other request's URL is redacted by name only: its secrets are not collected.
    const ok = analyzer.add(harEntry({ url, requestHeaders: { "X-Api-Key": KEY } }), 1);
    expect(ok?.summary.url).toBe(`https://api.casola.ai/v1/keys/${KEY}?api_key=${REDACTED}&page=2`);
  });

  it("redacts the key in the decoded message, title and details, never the code", () => {
    const problem = harEntry({
      status: 401,
      url: "https://api.example.com/v1/x",
      mimeType: "application/problem+json",
      requestHeaders: { Authorization: `Bearer ${KEY}` },
      body: JSON.stringify({
        type: "https://errors.example/invalid-key",
        title: `Key ${KEY} rejected`,
        status: 401,
        detail: `The key ${KEY} was revoked`,
      }),
    });
    const casola = harEntry({
      status: 403,
      requestHeaders: { Cookie: `sid=${KEY}` },
      body: JSON.stringify({
        error: {
          code: "forbidden",
          message: "no",
          details: { session: KEY, token: "t-123456789" },
        },
      }),
    });
    const [first, second] = analyzeEntries([problem, casola]).entries;
    expect(first?.error).toMatchObject({
      code: "invalid-key",
      title: `Key ${REDACTED} rejected`,
      message: `The key ${REDACTED} was revoked`,
    });
    expect(second?.error).toMatchObject({
      code: "forbidden",
      details: { session: REDACTED, token: REDACTED },
    });
  });
});
