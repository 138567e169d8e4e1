import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { Rule, RuleInput } from "../src/core/rules/rule.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const rules = join(root, "src/core/rules");

/** A copy of the registry and the rule contract, where the scaffold may write. */
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "ratelens-new-rule-"));
  for (const file of ["index.ts", "rule.ts"]) {
    cpSync(join(rules, file), join(dir, "src/core/rules", file));
  }
  return dir;
}

function newRule(dir: string, ...args: string[]) {
  return spawnSync(process.execPath, [join(root, "scripts/new-rule.mjs"), ...args, "--root", dir], {
    encoding: "utf8",
  });
}

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("npm run new-rule", () => {
  it("writes the rule and its scenarios, and registers it last", async () => {
    const dir = scratch();
    made.push(dir);
    const run = newRule(dir, "slow-poll");
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("wrote src/core/rules/slow-poll/rule.ts");

    const index = readFileSync(join(dir, "src/core/rules/index.ts"), "utf8");
    expect(index).toContain('import { slowPoll } from "./slow-poll/rule.js";\n');
    expect(index).toMatch(/ {2}contractBreach,\n {2}slowPoll,\n\] as const;/);
    const imports = index.split("\n").filter((line) => line.startsWith("import "));
    expect(imports).toEqual([...imports].sort());

    const { slowPoll } = (await import(join(dir, "src/core/rules/slow-poll/rule.ts"))) as {
      slowPoll: Rule;
    };
    expect(slowPoll.id).toBe("slow-poll");
    expect(slowPoll.check({} as RuleInput)).toBeUndefined();

    // The scenarios import the shared test helpers from where the folder really sits.
    const scenarios = readFileSync(join(dir, "src/core/rules/slow-poll/scenarios.ts"), "utf8");
    expect(scenarios).toContain("export const nearMiss = nearMissOf(firing, {");
    for (const [, spec = ""] of scenarios.matchAll(/from "(\.[^"]+)"/g)) {
      const file = resolve(rules, "slow-poll", spec.replace(/\.js$/, ".ts"));
      expect(existsSync(file), file).toBe(true);
    }
    expect(existsSync(join(rules, "slow-poll")), "written in the repository").toBe(false);
  });

  it("refuses an id that is not kebab-case or that a rule has, and writes nothing", () => {
    const dir = scratch();
    made.push(dir);
    const before = readFileSync(join(dir, "src/core/rules/index.ts"), "utf8");
    expect(newRule(dir, "Slow_Poll").stderr).toMatch(/not a rule id/);
    cpSync(join(rules, "no-backoff"), join(dir, "src/core/rules/no-backoff"), { recursive: true });
    const taken = newRule(dir, "no-backoff");
    expect(taken.status).toBe(1);
    expect(taken.stderr).toMatch(/exists already/);
    expect(readFileSync(join(dir, "src/core/rules/index.ts"), "utf8")).toBe(before);
    expect(readdirSync(join(dir, "src/core/rules")).sort()).toEqual([
      "index.ts",
      "no-backoff",
      "rule.ts",
    ]);
  });
});
