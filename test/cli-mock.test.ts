import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin/ratelens.mjs");

beforeAll(() => {
  if (!readFileSync(join(root, "dist/cli/ratelens.js"), "utf8"))
    throw new Error("build the CLI first: npm run build:cli");
});

interface Mock {
  base: string;
  /** Every stdout line so far. */
  lines: string[];
  /** Resolves with the first stdout line (from now on or before) that the test accepts. */
  line(match: (line: string) => boolean): Promise<string>;
  stderr(): string;
  exited: Promise<number | null>;
  child: ChildProcess;
}

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

/** `ratelens mock --port 0 ...`, once its first line has said where it listens. */
async function startMock(args: readonly string[]): Promise<Mock> {
  const child = spawn(process.execPath, [bin, "mock", "--port", "0", ...args], { cwd: root });
  running.push(child);
  const lines: string[] = [];
  const waiting: { match: (line: string) => boolean; done: (line: string) => void }[] = [];
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  createInterface({ input: child.stdout }).on("line", (line) => {
    lines.push(line);
    for (const wait of waiting.splice(0)) {
      if (wait.match(line)) wait.done(line);
      else waiting.push(wait);
    }
  });
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  const line = (match: (line: string) => boolean) =>
    new Promise<string>((done, fail) => {
      const seen = lines.find(match);
      if (seen !== undefined) return done(seen);
      waiting.push({ match, done });
      void exited.then(() => fail(new Error(`exited before the line; stderr: ${stderr}`)));
    });
  const first = await line(() => true);
  const base = /(http:\/\/\S+:\d+)/.exec(first)?.[1];
  if (base === undefined) throw new Error(`no address on the first line: ${first}`);
  return { base, lines, line, stderr: () => stderr, exited, child };
}

const logLine = (method: string, path: string, status: number | string, code: string) =>
  new RegExp(
    `^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z ${method} ${path} ${status} ${code}$`,
  );

const JOB = JSON.stringify({ model: "casola/llama-3-8b", prompt: "Summarise the report" });

function submit(base: string, key = "my-app-key") {
  return fetch(`${base}/v1/jobs`, {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: JOB,
  });
}

describe("ratelens mock, run as a command", () => {
  it("rate-limit: real window headers, a 429 with Retry-After, a log line per request, SIGINT exits 0", async () => {
    const mock = await startMock(["--scenario", "rate-limit"]);
    expect(mock.lines[0]).toBe(`ratelens mock: Casola API at ${mock.base} (scenario rate-limit)`);
    const first = await submit(mock.base);
    expect(first.status).toBe(202);
    expect(first.headers.get("x-ratelimit-limit")).toBe("2");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("1");
    const reset = Number(first.headers.get("x-ratelimit-reset"));
    expect(reset * 1000).toBeGreaterThan(Date.now());
    expect(reset * 1000).toBeLessThanOrEqual(Date.now() + 6000);
    expect((await submit(mock.base)).status).toBe(202);
    const limited = await submit(mock.base);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(await limited.json()).toEqual({
      error: { code: "rate_limit", message: "Too many requests" },
    });
    // Another key counts in a window of its own.
    expect((await submit(mock.base, "another-key")).status).toBe(202);
    const logged = () => mock.lines.filter((l) => / POST \/v1\/jobs /.test(l));
    await expect.poll(() => logged().length).toBe(4);
    for (const l of logged()) expect(l).toMatch(logLine("POST", "/v1/jobs", "(?:202|429)", "\\S+"));
    expect(logged().map((l) => l.split(" ").slice(3).join(" "))).toEqual([
      "202 -",
      "202 -",
      "429 rate_limit",
      "202 -",
    ]);
    mock.child.kill("SIGINT");
    expect(await mock.exited).toBe(0);
    expect(mock.stderr()).toBe("");
  });

  it("quota as Cuadra: 402 with the documented problem details; SIGTERM exits 0", async () => {
    const mock = await startMock(["--provider", "cuadra", "--scenario", "quota"]);
    expect(mock.lines[0]).toContain("Cuadra API at");
    const response = await fetch(`${mock.base}/v1/chat/completions`, {
      method: "POST",
      headers: { Authorization: "Bearer my-token", "Content-Type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: "Hi" }] }),
    });
    expect(response.status).toBe(402);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toEqual({
      type: "about:blank",
      title: "Insufficient Credits",
      status: 402,
      detail: "Insufficient credits. Required: 75 credits. Available: 0 credits.",
    });
    await mock.line((l) =>
      logLine("POST", "/v1/chat/completions", 402, "insufficient_credits").test(l),
    );
    mock.child.kill("SIGTERM");
    expect(await mock.exited).toBe(0);
  });

  it("answers a browser app on another origin: the preflight, then the error with its headers exposed", async () => {
    const mock = await startMock(["--scenario", "warming-up"]);
    const origin = "http://localhost:5173";
    const preflight = await fetch(`${mock.base}/v1/jobs`, {
      method: "OPTIONS",
      headers: {
        Origin: origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(origin);
    expect(preflight.headers.get("access-control-allow-headers")).toMatch(/Authorization/);
    expect(preflight.headers.get("access-control-allow-headers")).toMatch(/Idempotency-Key/);
    const response = await fetch(`${mock.base}/v1/jobs`, {
      method: "POST",
      headers: { Origin: origin, Authorization: "Bearer k", "Content-Type": "application/json" },
      body: JOB,
    });
    expect(response.status).toBe(503);
    expect(response.headers.get("access-control-allow-origin")).toBe(origin);
    const exposed = response.headers.get("access-control-expose-headers") ?? "";
    for (const header of [
      "Retry-After",
      "X-RateLimit-Limit",
      "X-RateLimit-Remaining",
      "X-RateLimit-Reset",
    ]) {
      expect(exposed).toContain(header);
    }
    expect((await response.json()).error).toEqual({
      code: "model_warming_up",
      message: "Model is loading onto a GPU",
      details: { model: "casola/llama-3-8b" },
    });
    await mock.line((l) => logLine("OPTIONS", "/v1/jobs", 204, "-").test(l));
    await mock.line((l) => logLine("POST", "/v1/jobs", 503, "model_warming_up").test(l));
    mock.child.kill("SIGINT");
    expect(await mock.exited).toBe(0);
  });

  it("says a taken port in one line and exits 2", async () => {
    const holder = createServer();
    await new Promise<void>((done) => holder.listen(0, "127.0.0.1", done));
    const port = (holder.address() as { port: number }).port;
    try {
      const result = spawnSync(process.execPath, [bin, "mock", "--port", String(port)], {
        cwd: root,
        encoding: "utf8",
        timeout: 10_000,
      });
      expect(result.status).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe(
        `ratelens mock: port ${port} on 127.0.0.1 is already in use: pick another with --port\n`,
      );
    } finally {
      holder.close();
    }
  });

  it("refuses a bad option with exit 2, and lists the scenarios in --help with exit 0", () => {
    const bad = spawnSync(process.execPath, [bin, "mock", "--scenario", "storm"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr.split("\n")[0]).toMatch(
      /^ratelens mock: unknown scenario "storm": one of rate-limit, /,
    );
    const help = spawnSync(process.execPath, [bin, "mock", "--help"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^ {2}flaky {10}the first attempt of each request fails/m);
  });

  it("warns when it listens beyond loopback", async () => {
    const mock = await startMock(["--host", "0.0.0.0", "--fail-rate", "0"]);
    expect(mock.lines[0]).toMatch(
      /^ratelens mock: Casola API at http:\/\/0\.0\.0\.0:\d+ \(fail rate 0\)$/,
    );
    await expect
      .poll(mock.stderr)
      .toContain("ratelens mock: warning: listening on 0.0.0.0, which other machines may reach");
    mock.child.kill("SIGINT");
    expect(await mock.exited).toBe(0);
  });
});
