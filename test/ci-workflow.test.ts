import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CASOLA, call, casolaError, har } from "./support/har.js";

/**
 * docs/examples/ratelens.yml, the workflow docs/ci.md gives, checked for its shape and run here
 * as far as it runs outside GitHub: its `ratelens analyze` steps, with the repository's built CLI
 * standing in for the installed one, on fixture HARs copied where the Playwright step would have
 * recorded them.
 */

const root = fileURLToPath(new URL("..", import.meta.url));
const workflowText = readFileSync(join(root, "docs/examples/ratelens.yml"), "utf8");
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  version: string;
};

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  "runs-on": string;
  permissions: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

const workflow = parse(workflowText) as Workflow;
const job = Object.values(workflow.jobs)[0] as Job;
const runs = job.steps.flatMap((s) => (s.run === undefined ? [] : [s.run]));
const analyze = (format: string): string => {
  const found = runs.find(
    (r) => r.startsWith("ratelens analyze") && r.includes(`--format ${format}`),
  );
  if (found === undefined) throw new Error(`no ratelens analyze --format ${format} step`);
  return found;
};
/** What a step's command redirects its standard output to. */
const target = (run: string): string => /> (\S+)$/.exec(run)?.[1] ?? "";
/** The folder a step analyses: the first argument after `ratelens analyze`. */
const harFolder = (run: string): string => run.split(/\s+/)[2] ?? "";
const stepUsing = (action: string): Step => {
  const found = job.steps.find((s) => s.uses?.startsWith(`${action}@`));
  if (found === undefined) throw new Error(`no step uses ${action}`);
  return found;
};

describe("the CI workflow in docs/examples/ratelens.yml", () => {
  it("runs on pull requests in one job that may write code scanning alerts", () => {
    expect(Object.keys(workflow.on)).toContain("pull_request");
    expect(Object.keys(workflow.jobs)).toHaveLength(1);
    expect(job["runs-on"]).toBe("ubuntu-latest");
    expect(job.permissions["security-events"]).toBe("write");
  });

  it("installs Node 20, the app, Ratelens from this version's tarball, and runs the Playwright tests", () => {
    expect(stepUsing("actions/checkout")).toBeDefined();
    expect(stepUsing("actions/setup-node").with?.["node-version"]).toBe(20);
    expect(runs).toContain("npm ci");
    expect(runs).toContain(`npm install -g ./tools/ratelens-${version}.tgz`);
    expect(runs).toContain("npx playwright test");
    // The HARs the recording fixture writes are the folder the report steps read.
    const fixture = readFileSync(join(root, "docs/examples/har-fixture.ts"), "utf8");
    expect(fixture).toContain(`path: \`${harFolder(analyze("sarif"))}/`);
  });

  it("fails on warnings and uploads the SARIF it wrote, also when the check failed", () => {
    const check = analyze("sarif");
    expect(check).toContain("--fail-on warning");
    expect(check).toContain("--source-root http://localhost:5173/=.");
    const upload = stepUsing("github/codeql-action/upload-sarif");
    expect(upload.with?.sarif_file).toBe(target(check));
    expect(upload.if).toContain("!cancelled()");
    expect(job.steps.indexOf(upload)).toBeGreaterThan(job.steps.findIndex((s) => s.run === check));
  });

  it("keeps the HTML report as an artifact, whatever the findings", () => {
    const report = analyze("html");
    expect(report).toContain("--fail-on never");
    expect(stepUsing("actions/upload-artifact").with?.path).toBe(target(report));
  });

  it("is what docs/ci.md shows, with the recording fixture", () => {
    const page = readFileSync(join(root, "docs/ci.md"), "utf8");
    expect(page).toContain(`\`\`\`yaml\n${workflowText}\`\`\``);
    const fixture = readFileSync(join(root, "docs/examples/har-fixture.ts"), "utf8");
    expect(page).toContain(`\`\`\`ts\n${fixture}\`\`\``);
  });
});

describe("the workflow's ratelens steps, run in a project folder", () => {
  const scratch = mkdtempSync(join(tmpdir(), "ratelens-ci-"));
  const shims = join(scratch, "bin");

  beforeAll(() => {
    if (!existsSync(join(root, "dist/cli/ratelens.js")))
      throw new Error("build the CLI first: npm run build:cli");
    // `ratelens` on the PATH, as `npm install -g` of the tarball puts it there.
    mkdirSync(shims);
    const shim = join(shims, "ratelens");
    writeFileSync(
      shim,
      `#!/bin/sh\nexec "${process.execPath}" "${join(root, "bin/ratelens.mjs")}" "$@"\n`,
    );
    chmodSync(shim, 0o755);
  });

  /** A project whose Playwright run recorded `hars`: the fixtures stand in for that step. */
  function project(name: string, hars: Record<string, string>): string {
    const dir = join(scratch, name);
    const folder = join(dir, harFolder(analyze("sarif")));
    mkdirSync(folder, { recursive: true });
    for (const [file, from] of Object.entries(hars)) {
      if (existsSync(from)) copyFileSync(from, join(folder, file));
      else writeFileSync(join(folder, file), from);
    }
    return dir;
  }

  /** A step's command as GitHub's runner runs it: bash, -e and pipefail. */
  function step(run: string, cwd: string) {
    const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", run], {
      cwd,
      encoding: "utf8",
      env: { ...process.env, PATH: `${shims}:${dirname(process.execPath)}:${process.env.PATH}` },
    });
    return { status: result.status, stderr: result.stderr };
  }

  function sarifOf(dir: string) {
    return JSON.parse(readFileSync(join(dir, target(analyze("sarif"))), "utf8")) as {
      version: string;
      runs: { results: { ruleId: string; level: string; locations?: unknown[] }[] }[];
    };
  }

  const fixture = (name: string) => join(root, "test/fixtures", `${name}.har`);

  it("fails the check on a session with errors and warnings, and still writes the SARIF to upload", () => {
    const dir = project("sloppy", { "checkout.har": fixture("sample-session") });
    const { status, stderr } = step(analyze("sarif"), dir);
    expect(stderr).toBe("");
    expect(status).toBe(1);
    const sarif = sarifOf(dir);
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0]?.results.map((r) => r.level)).toContain("error");
  });

  it("fails on a warning alone, as --fail-on warning says", () => {
    const dir = project("no-backoff", { "poll.har": fixture("no-backoff") });
    expect(step(analyze("sarif"), dir).status).toBe(1);
    expect(sarifOf(dir).runs[0]?.results.map((r) => r.level)).not.toContain("error");
  });

  it("passes on info findings and on a careful client, writing the SARIF all the same", () => {
    const dir = project("careful", {
      "careful.har": fixture("well-behaved"),
      "post.har": fixture("retry-without-idempotency-key"),
    });
    const { status, stderr } = step(analyze("sarif"), dir);
    expect(stderr).toBe("");
    expect(status).toBe(0);
    const levels = sarifOf(dir).runs[0]?.results.map((r) => r.level);
    expect(levels?.filter((level) => level !== "note")).toEqual([]);
  });

  it("locates a finding at the app's source line: the dev server's URL mapped by --source-root", () => {
    const retried = [0, 2].map((at) =>
      call({
        at,
        method: "POST",
        url: `${CASOLA}/jobs`,
        body: "{}",
        status: 429,
        json: casolaError("quota_exceeded"),
        caller: { fn: "submitJob", line: 12 },
      }),
    );
    // A Chrome DevTools export of the app on Vite's dev server, with its caller stack.
    const exported = JSON.stringify(har(retried)).replaceAll(
      "http://127.0.0.1:5173/demo/client.js",
      "http://localhost:5173/src/api/jobs.ts?t=1",
    );
    const dir = project("located", { "jobs.har": exported });
    expect(step(analyze("sarif"), dir).status).toBe(1);
    const [result] = sarifOf(dir).runs[0]?.results ?? [];
    expect(result?.ruleId).toBe("retry-non-retryable");
    expect(result?.locations?.[0]).toMatchObject({
      physicalLocation: { artifactLocation: { uri: "src/api/jobs.ts" }, region: { startLine: 12 } },
    });
  });

  it("writes the HTML report and passes, whatever the findings", () => {
    const dir = project("report", { "checkout.har": fixture("sample-session") });
    const { status, stderr } = step(analyze("html"), dir);
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(readFileSync(join(dir, target(analyze("html"))), "utf8")).toMatch(/^<!doctype html>/i);
  });
});
