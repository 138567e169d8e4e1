import { beforeAll, describe, expect, it } from "vitest";
import { ratelens, requireBuiltCli } from "./support/cli.js";
import { CASOLA, call, casolaError, har } from "./support/har.js";

beforeAll(requireBuiltCli);

/**
 * A client that retries every refused job once, `loops` times: one retry-non-retryable chain
 * each, on jobs of their own so that no loop joins another.
 */
function refusedLoops(loops: number): string {
  const entries = [];
  for (let i = 0; i < loops; i++) {
    const refused = {
      url: `${CASOLA}/jobs/${i}`,
      status: 429,
      json: casolaError("quota_exceeded", "Plan usage limit reached"),
    };
    entries.push(call({ at: i * 2, ...refused }), call({ at: i * 2 + 0.5, ...refused }));
  }
  return JSON.stringify(har(entries));
}

describe("the text report of many retry chains", () => {
  const loops = 5000;
  const input = refusedLoops(loops);

  it("stays short: the ten costliest chains of a rule, then how many more", () => {
    const { stdout, stderr } = ratelens(["analyze", "-", "--fail-on", "never"], { input });
    expect(stderr).toBe("");
    const lines = stdout.split("\n");
    expect(lines[2]).toBe(
      "cost: 5000 requests wasted, 41.7 min, in 5000 retry chains (retry-non-retryable: 5000 requests, 41.7 min)",
    );
    const section = lines.slice(lines.indexOf("retry-non-retryable (error): 5000 findings"));
    const chainLines = section.filter((line) => line.startsWith("  GET "));
    expect(chainLines).toHaveLength(10);
    expect(chainLines[0]).toBe(
      "  GET https://api.casola.ai/v1/jobs/0 retried a 429 quota_exceeded once in 0.4 s (retried 0.4 s after a 429 quota_exceeded, which is not retryable): 1 request wasted over 0.5 s [#0 -> #1]",
    );
    expect(stdout).toContain("\n  4990 more chains: --all lists every one\n");
    // Summary, cost, the rule's heading, summary, ten chains, the advice and "more", the budgets.
    expect(lines.length).toBeLessThanOrEqual(25);
  });

  it("lists every chain with --all", () => {
    const { stdout } = ratelens(["analyze", "-", "--fail-on", "never", "--all"], { input });
    const chainLines = stdout.split("\n").filter((line) => line.startsWith("  GET "));
    expect(chainLines).toHaveLength(loops);
    expect(new Set(chainLines).size).toBe(loops);
    expect(stdout).not.toContain("more chains");
  });

  it("near miss: ten chains or fewer need no --all", () => {
    const { stdout } = ratelens(["analyze", "-", "--fail-on", "never"], {
      input: refusedLoops(10),
    });
    expect(stdout.split("\n").filter((line) => line.startsWith("  GET "))).toHaveLength(10);
    expect(stdout).not.toContain("more chains");
  });

  it("puts chains and cost after the findings in the JSON", () => {
    const report = JSON.parse(
      ratelens(["analyze", "-", "--format", "json", "--fail-on", "never"], {
        input: refusedLoops(3),
      }).stdout,
    );
    expect(Object.keys(report).slice(3, 6)).toEqual(["findings", "chains", "cost"]);
    expect(report.chains).toHaveLength(3);
    expect(report.cost).toEqual({
      wastedRequests: 3,
      wastedSeconds: 1.5,
      byRule: { "retry-non-retryable": { requests: 3, seconds: 1.5 } },
    });
  });
});
