import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { toExchange } from "../src/core/har/exchange.js";
import { parseHar } from "../src/core/har/parse-har.js";
import type { AnalysisReport } from "../src/core/report.js";
import type { HarEntry, HostMapping } from "../src/core/types.js";
import { analyzeEntries } from "./support/analyze.js";
import { oneMeter } from "./support/budget.js";

// Each file under test/fixtures/real-world/ is written by hand to reproduce one exporter's or
// recorder's quirk (never copied from another project, never real traffic). None holds a client
// that retries wrongly, so none may raise an error or a warning.
const root = fileURLToPath(new URL("..", import.meta.url));
const path = (name: string) => join(root, "test/fixtures/real-world", name);
const bin = join(root, "bin/ratelens.mjs");

function analyse(name: string, hosts: HostMapping[] = []): AnalysisReport {
  const parsed = parseHar(readFileSync(path(name), "utf8"));
  if (!parsed.ok) throw new Error(`${name}: ${parsed.message}`);
  return analyzeEntries(parsed.entries, {
    hosts,
    indices: parsed.indices,
    skipped: parsed.skipped,
  });
}

function alarms(report: AnalysisReport) {
  return report.findings
    .filter((f) => f.severity !== "info")
    .map(({ rule, entries, message }) => ({ rule, entries, message }));
}

function ratelens(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    input,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("Fiddler: a byte-order mark, CRLF and seven fractional digits with an offset", () => {
  const report = analyse("fiddler-bom.har");

  it("is read whole and raises no error or warning", () => {
    expect(report.entries).toHaveLength(3);
    expect(report.skipped).toEqual([]);
    expect(alarms(report)).toEqual([]);
    expect(report.findings).toEqual([]);
  });

  it("reads the file and standard input alike, with one clean exit", () => {
    const file = ratelens(["analyze", path("fiddler-bom.har")]);
    expect(file.stderr).toBe("");
    expect(file.status).toBe(0);
    const stdin = ratelens(
      ["analyze", "-", "--format", "json"],
      readFileSync(path("fiddler-bom.har"), "utf8"),
    );
    expect(stdin.stderr).toBe("");
    expect(stdin.status).toBe(0);
    expect(JSON.parse(stdin.stdout).entries).toHaveLength(3);
  });

  it("orders entries by the instant the offset names", () => {
    expect(report.entries[0]?.startedDateTime).toBe("2026-11-23T11:00:00.0000000+01:00");
    expect(report.budgets[0]).toMatchObject({ host: "api.casola.ai", source: "estimate" });
  });
});

describe("old exporters: fractions without zero padding, and half-written entries", () => {
  const report = analyse("old-exporter-fractions.har");

  it("reads every whole entry, skips the broken ones with a reason, raises nothing", () => {
    expect(report.entries.map((e) => e.index)).toEqual([0, 1, 2, 3]);
    expect(report.skipped).toEqual([
      { index: 4, reason: "has no request.method" },
      { index: 5, reason: "has no valid startedDateTime" },
      { index: 6, reason: "has no valid startedDateTime" },
    ]);
    expect(report.findings).toEqual([]);
  });

  it("notes each skipped entry on stderr in text mode and lists them in the JSON", () => {
    const text = ratelens(["analyze", path("old-exporter-fractions.har")]);
    expect(text.status).toBe(0);
    expect(text.stderr.trim().split("\n")).toEqual([
      "ratelens: skipped log.entries[4]: it has no request.method",
      "ratelens: skipped log.entries[5]: it has no valid startedDateTime",
      "ratelens: skipped log.entries[6]: it has no valid startedDateTime",
    ]);
    expect(text.stdout).toContain("No findings: no request in this file was retried.");
    const json = ratelens(["analyze", path("old-exporter-fractions.har"), "--format", "json"]);
    expect(json.stderr).toBe("");
    expect(JSON.parse(json.stdout).skipped).toHaveLength(3);
  });

  it("rejects the file at the first broken entry with --strict", () => {
    const strict = ratelens(["analyze", path("old-exporter-fractions.har"), "--strict"]);
    expect(strict.status).toBe(2);
    expect(strict.stdout).toBe("");
    expect(strict.stderr).toMatch(
      /^ratelens: .*old-exporter-fractions\.har: invalid HAR: log\.entries\[4\] has no request\.method\n$/,
    );
  });
});

/**
 * The same file with its page-load marks taken out, in memory: no `pageref` (nor `pages`), no
 * top-level navigation. What the page-load rule alone kept from being a retry is one then.
 */
function withoutPageLoads(name: string): AnalysisReport {
  const parsed = parseHar(readFileSync(path(name), "utf8"));
  if (!parsed.ok) throw new Error(`${name}: ${parsed.message}`);
  const kept: HarEntry[] = [];
  const indices: number[] = [];
  parsed.entries.forEach((entry, i) => {
    const exchange = toExchange(entry, i);
    if (exchange.kind === "navigation") return;
    const { pageref: _pageref, ...rest } = entry as HarEntry & { pageref?: string };
    kept.push(rest as HarEntry);
    indices.push(parsed.indices[i] as number);
  });
  return analyzeEntries(kept, { indices });
}

/** The failed requests of `path` in the report, as [index, status]. */
function failures(report: AnalysisReport, path: string) {
  return report.entries
    .filter((e) => e.url.endsWith(path))
    .map((e) => [e.index, e.status] as const);
}

describe("page loads: what the browser loads again is not a retry", () => {
  it("Chrome: a favicon 404, a font and an image 503 on each of three loads raise nothing", () => {
    const report = analyse("chrome-page-reloads.har");
    expect(report.entries).toHaveLength(21);
    expect(report.findings).toEqual([]);
    expect(report.retries).toBe(0);
  });

  it("Chrome: the page's own fetch 404s once per load (pageref), and that is no retry either", () => {
    const report = analyse("chrome-page-reloads.har");
    expect(failures(report, "/api/config")).toEqual([
      [6, 404],
      [13, 404],
      [20, 404],
    ]);
    expect(report.findings).toEqual([]);
    // Only the page loads keep it so: without them, the fetch retries a 404.
    const stripped = withoutPageLoads("chrome-page-reloads.har");
    expect(alarms(stripped).map(({ rule, entries }) => ({ rule, entries }))).toEqual([
      { rule: "retry-non-retryable", entries: [6, 13] },
      { rule: "retry-non-retryable", entries: [13, 20] },
    ]);
  });

  it("Firefox: two images failing with 503 on each of nine loads (pageref, Sec-Fetch-Dest) raise nothing", () => {
    const report = analyse("firefox-image-503s.har");
    expect(report.entries).toHaveLength(45);
    expect(alarms(report)).toEqual([]);
    expect(report.findings).toEqual([]);
  });

  it("Firefox: the page's XHR (Sec-Fetch-Dest: empty) 503s once per load, and that is no retry", () => {
    const report = analyse("firefox-image-503s.har");
    expect(failures(report, "/api/feed")).toHaveLength(9);
    expect(report.retries).toBe(0);
    // Without pageref and navigations, nine loads' XHRs are one loop without backoff.
    const stripped = withoutPageLoads("firefox-image-503s.har");
    expect(stripped.retries).toBe(8);
    const found = alarms(stripped);
    expect(found.length).toBeGreaterThan(0);
    expect(new Set(found.map((f) => f.rule))).toEqual(new Set(["no-backoff"]));
  });

  it("Safari: one page for the whole log, but a navigation between two favicon 404s ends the first", () => {
    const report = analyse("safari-navigations.har");
    expect(report.findings).toEqual([]);
    expect(report.retries).toBe(0);
  });

  it("Safari: the page's fetch 404s after each navigation in the one page, and that is no retry", () => {
    const report = analyse("safari-navigations.har");
    expect(failures(report, "/api/config")).toEqual([
      [2, 404],
      [5, 404],
      [8, 404],
    ]);
    expect(report.findings).toEqual([]);
    // The navigations are Safari's only mark: without them the fetch retries a 404.
    const stripped = withoutPageLoads("safari-navigations.har");
    expect(alarms(stripped).map(({ rule, entries }) => ({ rule, entries }))).toEqual([
      { rule: "retry-non-retryable", entries: [2, 5] },
      { rule: "retry-non-retryable", entries: [5, 8] },
    ]);
  });
});

describe("a corrected request is not a retry", () => {
  const report = analyse("chrome-sign-in.har");

  it("re-sending after a 401 or 403 with a new Cookie, Authorization or an added API key raises nothing", () => {
    expect(report.entries.map((e) => e.status)).toEqual([401, 200, 201, 401, 201, 403, 200]);
    expect(report.findings).toEqual([]);
    expect(report.retries).toBe(0);
  });

  it("raises nothing either as Chrome's sanitized export writes it (Cookie, Set-Cookie, Authorization dropped)", () => {
    const parsed = parseHar(readFileSync(path("chrome-sign-in.har"), "utf8"));
    if (!parsed.ok) throw new Error(parsed.message);
    const drop = (headers: { name: string; value: string }[]) =>
      headers.filter((h) => !/^(cookie|set-cookie|authorization)$/i.test(h.name));
    const sanitized = parsed.entries.map((entry) => ({
      ...entry,
      request: { ...entry.request, headers: drop(entry.request.headers), cookies: [] },
      response: { ...entry.response, headers: drop(entry.response.headers), cookies: [] },
    }));
    expect(analyzeEntries(sanitized).findings).toEqual([]);
  });

  it("never puts the credentials in the output", () => {
    const json = ratelens(["analyze", path("chrome-sign-in.har"), "--format", "json"]).stdout;
    expect(json).not.toMatch(/fixture-(session|expired|renewed|key)/);
  });
});

describe("Chrome's sanitized export: no Cookie, Set-Cookie or Authorization", () => {
  const report = analyse("chrome-sanitized-sign-in.har");

  it("is read, and a success after each 401 or 403 is the correction, not a retry", () => {
    expect(report.entries.map((e) => e.status)).toEqual([
      200, 401, 200, 201, 401, 200, 201, 403, 200,
    ]);
    expect(report.skipped).toEqual([]);
    expect(report.findings).toEqual([]);
    expect(report.retries).toBe(0);
  });

  it("holds no credential the analysis could compare", () => {
    const text = readFileSync(path("chrome-sanitized-sign-in.har"), "utf8");
    expect(text).not.toMatch(/"(cookie|set-cookie|authorization)"/i);
    const har = JSON.parse(text) as { log: { entries: HarEntry[] } };
    for (const entry of har.log.entries) {
      expect(entry.request.cookies).toEqual([]);
      expect(toExchange(entry, 0).credentials).toBe("");
    }
  });

  it("still flags each of them when the same request fails again instead", () => {
    const parsed = parseHar(readFileSync(path("chrome-sanitized-sign-in.har"), "utf8"));
    if (!parsed.ok) throw new Error(parsed.message);
    // Each request that succeeded after a 401 or 403 gets that failure's response instead.
    const refused = new Map<string, HarEntry["response"]>();
    const failedAgain = parsed.entries.map((entry) => {
      const key = `${entry.request.method} ${entry.request.url}`;
      const earlier = refused.get(key);
      if ([401, 403].includes(entry.response.status)) refused.set(key, entry.response);
      return earlier === undefined ? entry : { ...entry, response: earlier };
    });
    const flagged = analyzeEntries(failedAgain).findings.map(({ rule, entries }) => ({
      rule,
      entries,
    }));
    expect(flagged).toEqual([
      { rule: "retry-non-retryable", entries: [1, 3] },
      { rule: "retry-non-retryable", entries: [4, 6] },
      { rule: "retry-non-retryable", entries: [7, 8] },
    ]);
  });
});

describe("Edge: Chrome's DevTools format from Microsoft Edge", () => {
  const report = analyse("edge-preflight-reload.har");

  it("is read whole, its preflights (_resourceType: preflight) left out, and raises nothing", () => {
    const har = JSON.parse(readFileSync(path("edge-preflight-reload.har"), "utf8"));
    expect(har.log.creator.name).toBe("WebInspector");
    expect(har.log.browser.name).toBe("Microsoft Edge");
    expect(report.skipped).toEqual([]);
    expect(report.entries.map((e) => `${e.index} ${e.method} ${e.status}`)).toEqual([
      "0 GET 200",
      "1 GET 404",
      "3 POST 200",
      "4 GET 404",
      "5 GET 200",
      "6 GET 404",
      "8 POST 200",
      "9 GET 404",
    ]);
    expect(alarms(report)).toEqual([]);
    expect(report.findings).toEqual([]);
  });

  it("takes the page's flags fetch, 404 on each load (pageref), for no retry; reads the budget", () => {
    expect(report.retries).toBe(0);
    expect(report.budgets).toEqual([
      oneMeter({
        host: "api.cuadra.ai",
        provider: "cuadra",
        limit: 60,
        remaining: 57,
        resetAt: "2026-11-23T10:00:47.570Z",
        retryAfterUntil: null,
        source: "headers",
      }),
    ]);
  });
});

describe("Charles: a proxy's log of every client on the machine", () => {
  const report = analyse("charles-proxy-app-backoff.har");

  it("is read whole (no pages, no pageref, offsets) and raises no error or warning", () => {
    const har = JSON.parse(readFileSync(path("charles-proxy-app-backoff.har"), "utf8"));
    expect(har.log.creator.name).toBe("Charles Proxy");
    expect(har.log.pages).toBeUndefined();
    expect(report.entries).toHaveLength(8);
    expect(report.skipped).toEqual([]);
    expect(alarms(report)).toEqual([]);
    expect(report.findings).toEqual([]);
  });

  it("links the app's retries across a browser's navigations, and finds its backoff good", () => {
    // okhttp's three retries of a 503 (waits 1 s, 2 s, 4 s), a browser tab loading pages of
    // another site between them: the navigations are not the app's and end nothing.
    expect(report.retries).toBe(3);
    const { stdout, status } = ratelens(["analyze", path("charles-proxy-app-backoff.har")]);
    expect(status).toBe(0);
    expect(stdout).toContain("No findings: every retry in this file waited as documented.");
  });
});

/** The budget's reset lies within the hour after the recording: not in 2076. */
function resetsWithinTheHour(report: AnalysisReport, host: string) {
  const budget = report.budgets.find((b) => b.host === host);
  const last = Math.max(...report.entries.map((e) => Date.parse(e.startedDateTime)));
  const reset = Date.parse(budget?.resetAt ?? "");
  expect(reset - last, `${host} resets ${budget?.resetAt}`).toBeGreaterThan(0);
  expect(reset - last).toBeLessThanOrEqual(3_600_000);
}

describe("Polly.JS recordings of APIs with their own headers and bodies", () => {
  it("GitLab: RateLimit-Reset as a Unix time and RateLimit-ResetTime as an HTTP-date", () => {
    const report = analyse("polly-gitlab.har");
    expect(alarms(report)).toEqual([]);
    expect(report.findings).toEqual([]);
    resetsWithinTheHour(report, "gitlab.example.test");
    expect(report.budgets[0]).toMatchObject({
      limit: 600,
      remaining: 595,
      resetAt: "2026-11-23T10:01:00.000Z",
      source: "headers",
    });
    expect(report.entries.map((e) => e.error?.message ?? null)).toEqual([
      null,
      "401 Unauthorized",
      "Cannot remove the default branch",
      "name: has already been taken; path: has already been taken",
      null,
    ]);
  });

  it("Okta: X-Rate-Limit-Limit/-Remaining/-Reset give the budget, errorCode/errorSummary the error", () => {
    const report = analyse("polly-okta.har");
    expect(report.findings).toEqual([]);
    resetsWithinTheHour(report, "okta.example.test");
    expect(report.budgets[0]).toMatchObject({ limit: 600, remaining: 597, source: "headers" });
    expect(report.entries[2]?.error).toMatchObject({
      code: "E0000011",
      message: "Invalid token provided",
      retryable: false,
    });
  });

  it("DigitalOcean: a Unix RateLimit-Reset, {id, message} errors, and GraphQL's errors[]", () => {
    const report = analyse("polly-digitalocean.har");
    expect(report.findings).toEqual([]);
    resetsWithinTheHour(report, "do.example.test");
    expect(report.entries.map((e) => e.error?.code ?? null)).toEqual([
      null,
      "Unauthorized",
      "not_found",
      "UNAUTHENTICATED",
    ]);
    expect(report.entries[3]?.error?.message).toBe("You must be signed in");
  });
});

describe("GitHub: one budget per x-ratelimit-resource", () => {
  const report = analyse("polly-github.har");

  it("does not take core requests for requests into the exhausted search budget", () => {
    expect(alarms(report)).toEqual([]);
    expect(report.findings).toEqual([]);
  });

  it("keeps one meter per resource, the binding one (least left) first and as the host's fields", () => {
    expect(report.budgets).toEqual([
      {
        host: "api.github.com",
        provider: null,
        limit: 30,
        remaining: 0,
        resetAt: "2026-11-23T10:00:55.000Z",
        retryAfterUntil: null,
        source: "headers",
        meters: [
          {
            name: "search",
            limit: 30,
            remaining: 0,
            resetAt: "2026-11-23T10:00:55.000Z",
            source: "headers",
          },
          {
            name: "core",
            limit: 15000,
            remaining: 14770,
            resetAt: "2026-11-23T10:50:00.000Z",
            source: "headers",
          },
          {
            name: "graphql",
            limit: 5000,
            remaining: 4999,
            resetAt: "2026-11-23T10:58:20.000Z",
            source: "headers",
          },
        ],
      },
    ]);
  });

  it("prints each resource under the host in the text report", () => {
    const { stdout } = ratelens(["analyze", path("polly-github.har")]);
    expect(stdout).toContain("  api.github.com (other) search: 0/30 remaining");
    expect(stdout).toContain("      core: 14770/15000 remaining, resets 2026-11-23T10:50:00.000Z");
  });
});

describe("requests that got no response, in each recorder's dialect", () => {
  it("Playwright: status -1 is no response, so the retry after it is seen (and waited well)", () => {
    const report = analyse("playwright-offline.har");
    expect(report.findings).toEqual([]);
    expect(report.retries).toBe(3);
    expect(report.entries.map((e) => e.status)).toEqual([200, 0, 201, 0, 0, 200]);
    expect(report.entries[1]?.error).toMatchObject({
      status: 0,
      retryable: true,
      networkError: "net::ERR_INTERNET_DISCONNECTED",
    });
  });

  it("Chrome: response._error is shown in the text report and the JSON", () => {
    const report = analyse("chrome-offline.har");
    expect(report.findings).toEqual([]);
    expect(report.retries).toBe(1);
    expect(report.entries[0]?.error?.networkError).toBe("net::ERR_INTERNET_DISCONNECTED");
    const { stdout } = ratelens(["analyze", path("chrome-offline.har")]);
    expect(stdout).toContain("errors: no response (net::ERR_INTERNET_DISCONNECTED) x1");
  });
});

describe("a budget at zero with no reset", () => {
  it("Cuadra: a success after the 429 ends the zero stretch", () => {
    const report = analyse("chrome-cuadra-429.har");
    expect(report.findings).toEqual([]);
    expect(report.budgets).toEqual([
      oneMeter({
        host: "api.cuadra.ai",
        provider: "cuadra",
        limit: 60,
        remaining: 59,
        resetAt: "2026-11-23T10:01:02.700Z",
        retryAfterUntil: null,
        source: "estimate",
      }),
    ]);
  });
});

describe("one provider label per host", () => {
  it("mitmproxy: a host answering HTML once and JSON later is labelled 'other' throughout", () => {
    const report = analyse("mitmproxy-partner-api.har");
    expect(report.findings).toEqual([]);
    // Each error says which decoder read its body; the host's label does not follow it.
    expect(report.entries.map((e) => (e.error === null ? "-" : e.error.provider))).toEqual([
      "-",
      null,
      "-",
      "generic",
      "-",
    ]);
    expect(report.budgets.map((b) => [b.host, b.provider])).toEqual([
      ["partner.example.test", null],
    ]);
    const { stdout } = ratelens(["analyze", path("mitmproxy-partner-api.har")]);
    expect(stdout).toContain("  partner.example.test (other): 99/100 remaining");
    expect(stdout).not.toContain("(generic)");
  });
});

// Each file under test/fixtures/repeats/ is written by hand, in Chrome's export shape, to
// reproduce a repeat that is not a retry, or the real retry loop next to it that must still fire.
describe("repeats that are not retries, and the retry loops that still are", () => {
  const repeats = (name: string) => join(root, "test/fixtures/repeats", name);
  const read = (name: string): HarEntry[] => {
    const parsed = parseHar(readFileSync(repeats(name), "utf8"));
    if (!parsed.ok) throw new Error(`${name}: ${parsed.message}`);
    return parsed.entries;
  };
  const found = (entries: HarEntry[]) =>
    analyzeEntries(entries).findings.map(({ rule, entries }) => ({ rule, entries }));

  it("a corrected request: an added x-custom-auth after a 401, an added X-CSRF-Token after a 400", () => {
    const entries = read("chrome-corrected-credentials.har");
    const report = analyzeEntries(entries);
    expect(report.entries.map((e) => e.status)).toEqual([401, 200, 202, 400, 200]);
    expect(report.findings).toEqual([]);
    expect(report.retries).toBe(0);
    const json = ratelens([
      "analyze",
      repeats("chrome-corrected-credentials.har"),
      "--format",
      "json",
    ]).stdout;
    expect(json).not.toMatch(/fixture-(ticket|csrf|sid)/);
  });

  it("near miss: the same headers again, or only x-request-id or keep-alive changed, is retried", () => {
    expect(found(read("chrome-corrected-credentials-near-miss.har"))).toEqual([
      { rule: "retry-non-retryable", entries: [0, 1] },
      { rule: "retry-non-retryable", entries: [1, 2] },
      { rule: "retry-non-retryable", entries: [3, 4] },
    ]);
  });

  it("a flow run again: OAuth discovery 2.2 minutes later starts new chains", () => {
    const entries = read("chrome-oauth-discovery-twice.har");
    const report = analyzeEntries(entries);
    // Neither the second run's 404 probe nor its metadata retry is taken for the first run's.
    expect(report.findings).toEqual([]);
    // The client's immediate retry of the metadata 503, once in each run.
    expect(report.retries).toBe(2);
    expect(report.entries[12]?.status).toBe(404);
  });

  it("near miss: the same runs 20 s apart are a client's loop, and fire", () => {
    const entries = read("chrome-oauth-discovery-twice.har").map((e, i) =>
      i < 11
        ? e
        : {
            ...e,
            startedDateTime: new Date(Date.parse(e.startedDateTime) - 112_400).toISOString(),
          },
    );
    expect(found(entries)).toEqual([
      { rule: "retry-non-retryable", entries: [1, 12] },
      { rule: "no-backoff", entries: [4, 14, 15] },
    ]);
  });

  it("near miss: loops with the same request before each attempt keep every finding", () => {
    // A polling call between attempts, a token refresh before each attempt 2 minutes apart but
    // inside a 5-minute Retry-After, and a profile fetch before each of two 400s 30 s apart.
    expect(found(read("chrome-retry-loops-with-lead-ins.har"))).toEqual([
      { rule: "no-backoff", entries: [1, 3, 5] },
      { rule: "retry-after-ignored", entries: [7, 9] },
      { rule: "retry-non-retryable", entries: [11, 13] },
    ]);
  });
});
