import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { toHtml } from "../src/core/export/html.js";
import { toSarif } from "../src/core/export/sarif.js";
import { fixtureReport } from "./support/analyze.js";
import { ROOT, ratelens, requireBuiltCli } from "./support/cli.js";
import { validSarif } from "./support/sarif-schema.js";

/** `--format html` and `--format sarif` (docs/reports.md) from the CLI, one file or several. */

const fixture = (name: string) => join("test/fixtures", `${name}.har`);

const VERSION = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version as string;
const FILES = ["sample-session", "retry-after-ignored"];

beforeAll(requireBuiltCli);

describe("ratelens analyze --format sarif", () => {
  it("writes one valid SARIF 2.1.0 run with a result per chain of every file", () => {
    const { status, stdout, stderr } = ratelens([
      "analyze",
      ...FILES.map(fixture),
      "--format",
      "sarif",
      "--source-root",
      "http://127.0.0.1:5173/=web",
    ]);
    expect(stderr).toBe("");
    expect(status).toBe(1);
    validSarif(stdout);
    const sourceRoots = [{ url: "http://127.0.0.1:5173/", dir: "web" }];
    expect(stdout).toBe(
      toSarif(
        FILES.map((name) => ({ source: fixture(name), chains: fixtureReport(name).chains })),
        { version: VERSION, sourceRoots },
      ),
    );
    const log = JSON.parse(stdout) as {
      runs: {
        results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
      }[];
    };
    const uris = log.runs[0]?.results.map(
      (result) => result.locations[0]?.physicalLocation.artifactLocation.uri,
    );
    // The demo's client, served by its dev server, is web/demo/client.js in the repository.
    expect(uris).toContain("web/demo/client.js");
  });

  it("refuses a --source-root that is not URL=DIR inside the repository", () => {
    for (const root of ["http://localhost:5173/", "ftp://x/=.", "http://localhost/=../up"]) {
      const { status, stderr } = ratelens([
        "analyze",
        fixture("sample-session"),
        "--format",
        "sarif",
        "--source-root",
        root,
      ]);
      expect(status).toBe(2);
      expect(stderr).toMatch(/--source-root must be URL=DIR/);
    }
  });
});

describe("ratelens analyze --format html", () => {
  it("writes the page toHtml makes of the files, a section each after their sum", () => {
    const { status, stdout } = ratelens(["analyze", ...FILES.map(fixture), "--format", "html"]);
    expect(status).toBe(1);
    expect(stdout).toBe(
      toHtml(
        FILES.map((name) => ({ source: fixture(name), report: fixtureReport(name) })),
        { title: "Ratelens report: 2 files", version: VERSION },
      ),
    );
    expect(stdout).not.toMatch(/<script|https?:\/\/(?!api\.|127\.0\.0\.1)[^"<\s]*["']/i);
  });

  it("gives one file its section alone, its figures said once", () => {
    const [name] = FILES as [string];
    const { stdout } = ratelens(["analyze", fixture(name), "--format", "html"]);
    expect(stdout).toBe(
      toHtml([{ source: fixture(name), report: fixtureReport(name) }], {
        title: `Ratelens report: ${fixture(name)}`,
        version: VERSION,
      }),
    );
    expect(stdout).not.toContain("<h2>Summary</h2>");
  });
});
