import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { analyzeEntries } from "../../../test/support/analyze.js";
import { parseHar } from "../har/parse-har.js";
import { toJsonReport } from "./report-json.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const fixture = (name: string) => `${root}test/fixtures/${name}.har`;

function report(name: string) {
  const parsed = parseHar(readFileSync(fixture(name), "utf8"));
  if (!parsed.ok) throw new Error(parsed.message);
  return analyzeEntries(parsed.entries);
}

describe("toJsonReport", () => {
  it.each(["sample-session", "retry-non-retryable", "well-behaved"])(
    "%s: what JSON.stringify writes of the report's published fields, in their order",
    (name) => {
      const { entries, findings, chains, cost, budgets } = report(name);
      expect(toJsonReport(report(name), "1.2.3")).toBe(
        `${JSON.stringify({ tool: "ratelens", version: "1.2.3", entries, findings, chains, cost, budgets, skipped: [] }, null, 2)}\n`,
      );
    },
  );

  it("starts with tool and version, then the report's keys, chains and cost after the findings", () => {
    const parsed = JSON.parse(toJsonReport(report("sample-session"), "0.1.0"));
    expect(Object.keys(parsed)).toEqual([
      "tool",
      "version",
      "entries",
      "findings",
      "chains",
      "cost",
      "budgets",
      "skipped",
    ]);
    expect(parsed.tool).toBe("ratelens");
    expect(parsed.version).toBe("0.1.0");
  });

  const cli = `${root}dist/cli/ratelens.js`;
  // npm test builds the CLI before the unit tests, as test/cli.test.ts needs too.
  it("is byte for byte what the built CLI prints", () => {
    expect(existsSync(cli), `${cli} missing: run npm run build:cli`).toBe(true);
    const version = JSON.parse(readFileSync(`${root}package.json`, "utf8")).version as string;
    const result = spawnSync(
      process.execPath,
      [`${root}bin/ratelens.mjs`, "analyze", fixture("sample-session"), "--format", "json"],
      { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
    );
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(toJsonReport(report("sample-session"), version));
  });
});
