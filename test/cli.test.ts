import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parseHar } from "../src/core/har/parse-har.js";
import { PanelStore } from "../src/panel/store.js";
import { SCENARIOS } from "./fixtures/scenarios.js";
import { CASOLA, call, casolaError, har } from "./support/har.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin/ratelens.mjs");
const fixture = (name: string) => join(root, "test/fixtures", `${name}.har`);
const scratch = mkdtempSync(join(tmpdir(), "ratelens-cli-"));

function ratelens(args: string[], input?: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    input,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "", ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function write(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

beforeAll(() => {
  if (!readFileSync(join(root, "dist/cli/ratelens.js"), "utf8"))
    throw new Error("build the CLI first: npm run build:cli");
});

describe("ratelens analyze --format json", () => {
  it("prints the JSON docs/cli.md shows: tool, version, every entry with its decoded error, findings, chains, cost and budgets", () => {
    const { status, stdout, stderr } = ratelens([
      "analyze",
      fixture("retry-non-retryable"),
      "--format",
      "json",
    ]);
    expect(stderr).toBe("");
    expect(status).toBe(1);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual([
      "tool",
      "version",
      "entries",
      "findings",
      "chains",
      "cost",
      "budgets",
      "skipped",
    ]);
    expect(report.chains).toEqual([
      {
        rules: ["retry-non-retryable"],
        severity: "error",
        entries: [0, 1],
        host: "api.casola.ai",
        method: "POST",
        url: "https://api.casola.ai/v1/jobs",
        attempts: 2,
        wastedRequests: 1,
        wastedSeconds: 2,
        marks: [
          { index: 0, start: 1795428000000, end: 1795428000100, status: 429, wasted: false },
          { index: 1, start: 1795428002000, end: 1795428002100, status: 429, wasted: true },
        ],
        ruleFindings: [
          {
            rule: "retry-non-retryable",
            count: 1,
            first: "retried 1.9 s after a 429 quota_exceeded, which is not retryable",
          },
        ],
        caller: {
          url: "http://127.0.0.1:5173/demo/client.js",
          line: 31,
          column: 11,
          function: "retryQuota",
        },
        message: "retried a 429 quota_exceeded once in 1.9 s",
        advice:
          "Do not retry: the plan's usage limit is reached. Upgrade the plan or wait for the reset.",
      },
      expect.objectContaining({ entries: [2, 3], wastedRequests: 1, wastedSeconds: 1 }),
    ]);
    expect(report.cost).toEqual({
      wastedRequests: 2,
      wastedSeconds: 3,
      byRule: { "retry-non-retryable": { requests: 2, seconds: 3 } },
    });
    expect(report.tool).toBe("ratelens");
    expect(report.version).toBe(
      JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version,
    );
    expect(report.entries).toHaveLength(4);
    expect(report.entries[0]).toMatchObject({
      index: 0,
      startedDateTime: "2026-11-23T10:00:00.000Z",
      method: "POST",
      url: "https://api.casola.ai/v1/jobs",
      status: 429,
      error: {
        provider: "casola",
        status: 429,
        code: "quota_exceeded",
        retryable: false,
        contract: [],
      },
    });
    expect(report.entries[2].error).toMatchObject({
      provider: "cuadra",
      code: "insufficient_credits",
      credits: { required: 75, available: 50 },
      retryable: false,
    });
    expect(
      report.findings.map((f: { rule: string; entries: number[] }) => [f.rule, f.entries]),
    ).toEqual([
      ["retry-non-retryable", [0, 1]],
      ["retry-non-retryable", [2, 3]],
    ]);
    expect(report.findings[0].initiator).toEqual({
      url: "http://127.0.0.1:5173/demo/client.js",
      line: 31,
      column: 11,
      function: "retryQuota",
    });
    expect(report.budgets.map((b: { host: string; source: string }) => [b.host, b.source])).toEqual(
      [
        ["api.casola.ai", "estimate"],
        ["api.cuadra.ai", "estimate"],
      ],
    );
  });

  it("finds in every fixture exactly what the core finds", () => {
    for (const [name, scenario] of Object.entries(SCENARIOS)) {
      const report = JSON.parse(
        ratelens(["analyze", fixture(name), "--format", "json", "--fail-on", "never"]).stdout,
      );
      expect(
        report.findings.map((f: { rule: string; entries: number[] }) => ({
          rule: f.rule,
          entries: f.entries,
        })),
        name,
      ).toEqual(scenario.findings);
    }
  });

  it("reads the HAR from standard input with -", () => {
    const { status, stdout } = ratelens(
      ["analyze", "-", "--format", "json"],
      readFileSync(fixture("no-backoff"), "utf8"),
    );
    expect(status).toBe(0);
    expect(JSON.parse(stdout).findings).toHaveLength(3);
  });

  it("prints no key the requests sent, in a URL or in an error message that echoes it", () => {
    const key = "sk-live-abc123XYZ";
    const entries = [0, 1].map((at) =>
      call({
        at,
        method: "POST",
        url: `${CASOLA}/jobs?api_key=${key}`,
        requestHeaders: { authorization: `Bearer ${key}` },
        status: 401,
        json: casolaError("unauthorized", `Invalid API key ${key}`),
      }),
    );
    const path = write("echo.har", JSON.stringify(har(entries)));
    for (const format of ["json", "text"]) {
      const { stdout } = ratelens(["analyze", path, "--format", format, "--fail-on", "never"]);
      expect(stdout).toContain("unauthorized");
      expect(stdout).not.toContain(key);
    }
    const report = JSON.parse(ratelens(["analyze", path, "--format", "json"]).stdout);
    expect(report.entries[0].url).toBe(`${CASOLA}/jobs?api_key=[redacted]`);
    expect(report.entries[0].error.message).toBe("Invalid API key [redacted]");
  });
});

describe("exit status", () => {
  it("is 0 for a clean file, 1 when a finding reaches --fail-on", () => {
    expect(ratelens(["analyze", fixture("well-behaved")]).status).toBe(0);
    expect(ratelens(["analyze", fixture("retry-after-ignored")]).status).toBe(1);
    // no-backoff raises warnings only: not an error, but a warning under --fail-on warning.
    expect(ratelens(["analyze", fixture("no-backoff")]).status).toBe(0);
    expect(ratelens(["analyze", fixture("no-backoff"), "--fail-on", "warning"]).status).toBe(1);
    expect(ratelens(["analyze", fixture("contract-breach"), "--fail-on", "warning"]).status).toBe(
      0,
    );
    expect(ratelens(["analyze", fixture("contract-breach"), "--fail-on", "info"]).status).toBe(1);
    expect(ratelens(["analyze", fixture("retry-after-ignored"), "--fail-on", "never"]).status).toBe(
      0,
    );
  });

  it("is 2 with one line on stderr for usage errors", () => {
    for (const args of [
      [],
      ["lint", "x.har"],
      ["analyze"],
      ["analyze", fixture("no-backoff"), "--format", "xml"],
      ["analyze", fixture("no-backoff"), "--fail-on", "fatal"],
      ["analyze", fixture("no-backoff"), "--host", "staging.example=openai"],
      ["analyze", fixture("no-backoff"), "--bogus"],
    ]) {
      const { status, stdout, stderr } = ratelens(args);
      expect(status, args.join(" ")).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toMatch(/^ratelens: .+\nUsage: ratelens analyze/);
      expect(stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe("a response without a status", () => {
  // Some tools write `status: null` for a request that got no answer, or leave the field out.
  const requests = () => {
    const ok = call({ at: 0, url: `${CASOLA}/models`, status: 200, json: { data: [] } });
    const nulled = call({ at: 1, url: `${CASOLA}/models`, status: 0 });
    (nulled.response as { status: unknown }).status = null;
    const missing = call({ at: 2, url: `${CASOLA}/models`, status: 0 });
    delete (missing.response as { status?: unknown }).status;
    const text = call({ at: 3, url: `${CASOLA}/models`, status: 0 });
    (text.response as { status: unknown }).status = "200";
    return JSON.stringify(har([ok, nulled, missing, text]));
  };

  for (const viaStdin of [false, true]) {
    it(`is no response, status 0, in the streaming reader (${viaStdin ? "standard input" : "file"})`, () => {
      const input = requests();
      const path = write("no-status.har", input);
      const args = ["analyze", viaStdin ? "-" : path, "--format", "json", "--fail-on", "never"];
      const { status, stdout, stderr } = ratelens(args, viaStdin ? input : undefined);
      expect(stderr).toBe("");
      expect(status).toBe(0);
      const report = JSON.parse(stdout);
      expect(
        report.entries.map((e: { index: number; status: number }) => [e.index, e.status]),
      ).toEqual([
        [0, 200],
        [1, 0],
        [2, 0],
      ]);
      expect(report.entries[1].error).toMatchObject({ status: 0, retryable: true });
      // A status that is there but not a number is still not read.
      expect(report.skipped).toEqual([{ index: 3, reason: "has no numeric response.status" }]);
    });
  }

  it("says 'no response' in the text report, as for status 0", () => {
    const { status, stdout, stderr } = ratelens(["analyze", "-"], requests());
    expect(status).toBe(0);
    expect(stdout).toContain("errors: no response x2");
    expect(stderr).toBe("ratelens: skipped log.entries[3]: it has no numeric response.status\n");
  });

  it("reads the same in the whole-file parser (the panel's import)", () => {
    const parsed = parseHar(requests());
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.indices).toEqual([0, 1, 2]);
    expect(parsed.skipped).toEqual([{ index: 3, reason: "has no numeric response.status" }]);
    const store = new PanelStore();
    expect(store.importHar("no-status.har", requests()).ok).toBe(true);
    expect(store.session.entries.map((e) => e.status)).toEqual([200, 0, 0]);
  });
});

describe("bad input", () => {
  const cases: [string, () => string, RegExp][] = [
    ["a missing file", () => join(scratch, "nope.har"), /cannot read .*nope\.har: no such file/],
    [
      "a directory without a HAR",
      () => mkdtempSync(join(scratch, "dir-")),
      /no \.har file in this directory/,
    ],
    ["an empty file", () => write("empty.har", ""), /the file is empty/],
    [
      "a truncated HAR",
      () => write("cut.har", readFileSync(fixture("no-backoff"), "utf8").slice(0, 500)),
      /not valid JSON \(truncated or not a HAR file\)/,
    ],
    ["a file that is not JSON", () => write("page.har", "<html>login</html>"), /not valid JSON/],
    [
      "JSON that is not a HAR",
      () => write("other.har", '{"name":"package"}'),
      /not a HAR file: no "log" object/,
    ],
    [
      "entries that are not an array",
      () => write("obj.har", '{"log":{"entries":{}}}'),
      /"log.entries" is not an array/,
    ],
    [
      "an entry without a URL",
      () =>
        write(
          "nourl.har",
          '{"log":{"entries":[{"startedDateTime":"2026-11-23T10:00:00Z","request":{"method":"GET"},"response":{"status":200}}]}}',
        ),
      /log\.entries\[0\] has no request\.url/,
    ],
  ];
  for (const [what, path, message] of cases) {
    it(`gets one clear line and exit 2 for ${what}`, () => {
      const { status, stdout, stderr } = ratelens(["analyze", path()]);
      expect(status).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toMatch(message);
      expect(stderr.trim().split("\n")).toHaveLength(1);
    });
  }

  it("analyses a 50 MB error body without losing the entry", () => {
    const huge = call({
      at: 0,
      url: `${CASOLA}/jobs/1`,
      status: 502,
      mimeType: "text/html",
      text: `<p>${"x".repeat(50 * 1024 * 1024)}</p>`,
    });
    const retry = call({ at: 0.2, url: `${CASOLA}/jobs/1`, status: 200, json: {} });
    const { status, stdout, stderr } = ratelens(
      ["analyze", "-", "--format", "json"],
      JSON.stringify(har([huge, retry])),
    );
    expect(stderr).toBe("");
    expect(status).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.entries[0].error).toMatchObject({
      provider: "casola",
      status: 502,
      code: null,
      retryable: true,
    });
    expect(report.entries[1].error).toBeNull();
  });

  it("prints hostile header and body text inert in the text report", () => {
    const hostile = call({
      at: 0,
      url: `${CASOLA}/jobs/1`,
      status: 429,
      headers: { "retry-after": "\u001b[2J\u001b]0;pwned\u0007" },
      json: casolaError("rate_limit\u001b[31m", "\u001b[2Jcleared"),
    });
    const again = call({
      at: 0.2,
      url: `${CASOLA}/jobs/1`,
      status: 429,
      json: casolaError("rate_limit\u001b[31m", "x"),
    });
    const { status, stdout } = ratelens(["analyze", "-"], JSON.stringify(har([hostile, again])));
    expect(status).toBe(0);
    expect(stdout).not.toContain("\u001b");
    expect(stdout).toContain("rate_limit\uFFFD[31m");
  });
});

describe("the text report", () => {
  it("summarises entries, errors, findings and the cost, then tells each rule's retry chains", () => {
    const { stdout } = ratelens(["analyze", fixture("retry-non-retryable")]);
    const lines = stdout.split("\n");
    expect(lines[1]).toBe(
      "4 entries, 4 API requests | errors: 429 quota_exceeded x2, 402 insufficient_credits x2 | findings: 2 errors, 0 warnings, 0 info",
    );
    expect(lines[2]).toBe(
      "cost: 2 requests wasted, 3 s, in 2 retry chains (retry-non-retryable: 2 requests, 3 s)",
    );
    expect(stdout).toContain("retry-non-retryable (error): 2 findings");
    expect(stdout).toContain(
      "  POST https://api.casola.ai/v1/jobs retried a 429 quota_exceeded once in 1.9 s (retried 1.9 s after a 429 quota_exceeded, which is not retryable): 1 request wasted over 2 s [#0 -> #1, caller client.js:31:11 (retryQuota)]",
    );
    expect(stdout).toMatch(
      /advice: Do not retry: the plan's usage limit is reached\. Upgrade the plan or wait for the reset\./,
    );
    expect(stdout).toContain("api.cuadra.ai (cuadra): 58/60 remaining");
    expect(stdout).toContain("[estimate]");
  });

  it("has no colour when stdout is not a terminal", () => {
    expect(ratelens(["analyze", fixture("retry-after-ignored")]).stdout).not.toContain("\u001b[");
  });

  it("maps --host to a provider, so a staging host is decoded as Casola", () => {
    const staging = [
      call({
        at: 0,
        url: "http://127.0.0.1:8080/v1/jobs",
        status: 429,
        json: casolaError("quota_exceeded", "Plan usage limit reached"),
      }),
      call({
        at: 1,
        url: "http://127.0.0.1:8080/v1/jobs",
        status: 429,
        json: casolaError("quota_exceeded", "Plan usage limit reached"),
      }),
    ];
    const input = JSON.stringify(har(staging));
    const unmapped = JSON.parse(ratelens(["analyze", "-", "--format", "json"], input).stdout);
    expect(unmapped.entries[0].error).toMatchObject({
      provider: "generic",
      code: "quota_exceeded",
      retryable: true,
    });
    expect(unmapped.findings).toEqual([]);
    const mapped = ratelens(
      ["analyze", "-", "--format", "json", "--host", "127.0.0.1:8080=casola"],
      input,
    );
    expect(mapped.status).toBe(1);
    const report = JSON.parse(mapped.stdout);
    expect(report.entries[0].error).toMatchObject({
      provider: "casola",
      code: "quota_exceeded",
      retryable: false,
    });
    expect(report.findings[0]).toMatchObject({ rule: "retry-non-retryable", entries: [0, 1] });
  });

  it("answers --help and --version", () => {
    expect(ratelens(["--help"]).stdout).toMatch(/^Usage: ratelens analyze FILE\.har\|DIR\|- /);
    expect(ratelens(["--version"]).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
