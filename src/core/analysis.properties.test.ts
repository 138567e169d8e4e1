import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeEntries } from "../../test/support/analyze.js";
import { FUZZ_RUNS, FUZZ_TIMEOUT } from "../../test/support/fuzz.js";
import { entry, har, T0 } from "../../test/support/har.js";
import { Analyzer } from "./analyzer.js";
import { parseHar } from "./har/parse-har.js";
import { redactHar } from "./redact/redact-har.js";
import { buildReport } from "./report.js";
import type { HarEntry } from "./types.js";

/**
 * Properties of the whole analysis (parse, decode, budgets, retries, rules, report, redaction)
 * over generated sessions: plausible API traffic most of the time, garbage now and then.
 */

const RUNS = { numRuns: FUZZ_RUNS };

const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
);

const url = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      "https://api.casola.ai/v1/jobs",
      "https://api.casola.ai/v1/models",
      "https://api.cuadra.ai/v1/chat/completions",
      "https://api.cuadra.ai/v1/usage",
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom("https://cdn.example.com/app.js", "not a url", "") },
  { weight: 1, arbitrary: text },
);

const CODES = [
  "rate_limit",
  "rate_limited",
  "quota_exceeded",
  "unauthorized",
  "invalid_request",
  "internal_server_error",
  "insufficient_credits",
  "not_found",
];

const body = fc.oneof(
  fc.constant(""),
  fc
    .record({ code: fc.constantFrom(...CODES), message: text })
    .map((error) => JSON.stringify({ error })),
  fc.json({ depthSize: "small" }),
  text,
);

const rateHeaders = fc
  .record(
    {
      "X-RateLimit-Limit": fc.oneof(fc.integer({ min: -5, max: 1000 }).map(String), text),
      "X-RateLimit-Remaining": fc.oneof(fc.integer({ min: -5, max: 1000 }).map(String), text),
      "X-RateLimit-Reset": fc.oneof(fc.integer({ min: 0, max: 3600 }).map(String), text),
      "Retry-After": fc.oneof(fc.integer({ min: 0, max: 120 }).map(String), text),
      RateLimit: fc.constantFrom('"default";r=0;t=10', '"default";r=5;t=60', "garbage"),
      "Idempotency-Key": fc.constantFrom("k1", "k2"),
    },
    { requiredKeys: [] },
  )
  .map((headers) => headers as Record<string, string>);

const status = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(200, 201, 400, 401, 402, 403, 404, 429, 500, 503, 0) },
  { weight: 1, arbitrary: fc.integer({ min: -1, max: 999 }) },
);

/** One request of a session: its start (ms after T0), so retries and resets occur. */
const request = fc.record({
  at: fc.integer({ min: 0, max: 120_000 }),
  time: fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.constant(-1)),
  method: fc.constantFrom("GET", "POST", "OPTIONS", "DELETE"),
  url,
  status,
  headers: rateHeaders,
  body,
});

type Request = typeof request extends fc.Arbitrary<infer T> ? T : never;

/** The response body with the secret echoed in it, the way `echo` says. */
function echoed(body: string, secret: string, echo: Echo): string {
  switch (echo) {
    case "none":
      return body;
    case "message":
      return JSON.stringify({
        error: { code: "unauthorized", message: `Invalid API key ${secret}` },
      });
    case "field":
      return JSON.stringify({ access_token: secret, token_type: "bearer", note: body });
    case "html":
      return `<html><body><pre>Authorization: Bearer ${secret}</pre>${body}</body></html>`;
    case "text":
      return `${body}${secret}${body}`;
  }
}

function toEntry(r: Request, secrets?: Secrets): HarEntry {
  const withSecrets = secrets !== undefined && r.url.startsWith("https://");
  const echo = withSecrets ? secrets.echo : "none";
  const e = entry({
    method: r.method,
    url: withSecrets ? `${r.url}?key=${secrets.value}&access_token=${secrets.value}&n=1` : r.url,
    status: r.status,
    headers: withSecrets
      ? {
          ...r.headers,
          "Set-Cookie": `sid=${secrets.value}`,
          ...(echo === "none" ? {} : { "X-Echo": `you sent ${secrets.value}` }),
        }
      : r.headers,
    body: withSecrets ? echoed(r.body, secrets.value, echo) : r.body,
    base64: withSecrets && secrets.base64,
    startedDateTime: T0 + r.at,
    time: r.time,
    ...(withSecrets
      ? {
          requestHeaders: {
            Authorization: `Bearer ${secrets.value}`,
            Cookie: `sid=${secrets.value}`,
            "X-Api-Key": secrets.value,
          },
          postData: JSON.stringify({
            prompt: "p",
            api_key: secrets.value,
            auth: { password: secrets.value },
          }),
        }
      : {}),
  });
  if (withSecrets) {
    e.request.cookies = [{ name: "sid", value: secrets.value }];
    if (echo !== "none") e.response.redirectURL = `https://app.example/login?from=${secrets.value}`;
  }
  return e;
}

/** Where a response echoes the credential its request sent (an error message, a field...). */
type Echo = "none" | "message" | "field" | "html" | "text";

interface Secrets {
  value: string;
  echo: Echo;
  /** The response body stored base64-encoded, as Chrome stores binary. */
  base64: boolean;
}

/** A credential no other part of a generated session can spell. */
const secret = fc.record({
  value: fc.stringMatching(/^[A-Za-z0-9]{12,24}$/).map((s) => `SeCrEt${s}`),
  echo: fc.constantFrom<Echo>("none", "message", "field", "html", "text"),
  base64: fc.boolean(),
});

/** A readable entry whose every other part is arbitrary JSON. */
const mangled = fc
  .record({
    r: request,
    requestHeaders: fc.array(fc.jsonValue(), { maxLength: 3 }),
    responseHeaders: fc.array(fc.jsonValue(), { maxLength: 3 }),
    content: fc.jsonValue(),
    time: fc.jsonValue(),
    initiator: fc.jsonValue(),
    postData: fc.jsonValue(),
  })
  .map(({ r, requestHeaders, responseHeaders, content, time, initiator, postData }) => {
    const e = toEntry(r) as unknown as Record<string, Record<string, unknown>>;
    (e.request as Record<string, unknown>).headers = requestHeaders;
    (e.request as Record<string, unknown>).postData = postData;
    (e.response as Record<string, unknown>).headers = responseHeaders;
    (e.response as Record<string, unknown>).content = content;
    (e as Record<string, unknown>).time = time;
    (e as Record<string, unknown>)._initiator = initiator;
    return e as unknown as HarEntry;
  });

/** A session, or now and then entries that are not entries at all. */
const session = fc.array(request, { maxLength: 25 });

describe("the analysis of arbitrary sessions", () => {
  it(
    "never throws, even on entries that are not HAR entries",
    () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.oneof(
              request.map((r) => toEntry(r)),
              mangled,
              fc.jsonValue(),
            ),
            {
              maxLength: 12,
            },
          ),
          (entries) => {
            const report = analyzeEntries(entries as HarEntry[]);
            expect(report.entries.length).toBeLessThanOrEqual(entries.length);
            JSON.stringify(report);
          },
        ),
        RUNS,
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    "raises findings only about requests it read, the offending one last",
    () => {
      fc.assert(
        fc.property(session, (requests) => {
          const report = analyzeEntries(requests.map((r) => toEntry(r)));
          const indices = new Set(report.entries.map((e) => e.index));
          for (const finding of report.findings) {
            expect(finding.entries.length).toBeGreaterThan(0);
            for (const index of finding.entries) expect(indices.has(index)).toBe(true);
            expect(finding.message).not.toBe("");
          }
          const { error, warning, info } = report.summary.findings;
          expect(error + warning + info).toBe(report.findings.length);
        }),
        RUNS,
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    "never reports more remaining than the limit, nor a negative or unknown number",
    () => {
      fc.assert(
        fc.property(session, fc.integer({ min: 0, max: 200_000 }), (requests, later) => {
          const analyzer = new Analyzer();
          for (const [i, r] of requests.entries()) analyzer.add(toEntry(r), i);
          for (const now of [undefined, T0 + later]) {
            for (const budget of buildReport(analyzer, { now }).budgets) {
              if (budget.remaining !== null) {
                expect(Number.isFinite(budget.remaining)).toBe(true);
                expect(budget.remaining).toBeGreaterThanOrEqual(0);
                if (budget.limit !== null)
                  expect(budget.remaining).toBeLessThanOrEqual(budget.limit);
              }
              if (budget.limit !== null) expect(Number.isFinite(budget.limit)).toBe(true);
            }
          }
        }),
        RUNS,
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    "gives the same report fed one entry at a time as analysing the file at once",
    () => {
      fc.assert(
        fc.property(session, (requests) => {
          const entries = requests.map((r) => toEntry(r));
          const parsed = parseHar(JSON.stringify(har(entries)));
          // A file none of whose entries is readable is refused whole (parseHar's own tests).
          if (!parsed.ok) return;
          const { indices, skipped } = parsed;
          const whole = analyzeEntries(parsed.entries, { indices, skipped });

          // Live capture: entries arrive one by one, in the order they started.
          const analyzer = new Analyzer();
          const order = entries
            .map((e, index) => ({ e, index, start: Date.parse(e.startedDateTime) }))
            .sort((a, b) => a.start - b.start || a.index - b.index);
          for (const { e, index } of order) analyzer.add(e, index);
          expect(buildReport(analyzer, { skipped })).toEqual(whole);
        }),
        RUNS,
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    "redaction removes every planted secret, echoes in responses too, and changes no finding",
    () => {
      fc.assert(
        fc.property(session, secret, (requests, secrets) => {
          const entries = requests.map((r) => toEntry(r, secrets));
          const redacted = redactHar(entries);
          const text = JSON.stringify(redacted);
          expect(text).not.toContain(secrets.value);
          // Nor in a body stored base64-encoded.
          for (const e of redacted.log.entries) {
            const { text: body, encoding } = e.response.content;
            if (encoding === "base64" && body !== undefined)
              expect(atob(body)).not.toContain(secrets.value);
          }

          const before = analyzeEntries(entries);
          const after = analyzeEntries(redacted.log.entries as unknown as HarEntry[]);
          expect(after.findings).toEqual(before.findings);
          expect(after.budgets).toEqual(before.budgets);
          expect(after.entries.map((e) => e.error)).toEqual(before.entries.map((e) => e.error));
          // The report itself never names the secret either, not even an error message echoing it.
          expect(JSON.stringify(before)).not.toContain(secrets.value);
        }),
        RUNS,
      );
    },
    FUZZ_TIMEOUT,
  );
});
