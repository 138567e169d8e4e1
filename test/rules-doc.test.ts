import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RULES } from "../src/core/rules/index.js";
import {
  example,
  RULES_END,
  RULES_START,
  rulesDoc,
  rulesTable,
  withRulesTable,
} from "./support/rules-doc.js";

const README = new URL("../README.md", import.meta.url);

// docs/rules.md and the README's table are written from the registry and the rules' fixtures
// (`npm run docs:rules`, which runs this file with -u); a rule changed without them fails here.
describe("the rules' documentation", () => {
  it("docs/rules.md is the registry's: id, severity, when it fires, a finding its fixture produces", async () => {
    await expect(rulesDoc()).toMatchFileSnapshot("../docs/rules.md");
  });

  it("the README's table between its rules markers is the registry's", async () => {
    await expect(withRulesTable(readFileSync(README, "utf8"), rulesTable())).toMatchFileSnapshot(
      "../README.md",
    );
  });

  it("has one row per rule, in the order they run, each with a real example", () => {
    const rows = rulesTable().split("\n").slice(2);
    expect(rows.map((row) => row.split("`")[1])).toEqual(RULES.map((rule) => rule.id));
    for (const row of rows) expect(row).not.toContain("(none");
  });

  it("replaces only what is between the markers, and refuses markers out of order", () => {
    const text = `intro\n${RULES_START}\nold table\n${RULES_END}\nafter\n`;
    expect(withRulesTable(text, "new table")).toBe(
      `intro\n${RULES_START}\nnew table\n${RULES_END}\nafter\n`,
    );
    expect(withRulesTable("no markers\n", "new table")).toBe("no markers\n");
    expect(() => withRulesTable(`${RULES_END}\n${RULES_START}\n`, "t")).toThrow(/before/);
  });

  it("quotes a long message up to the last '; ' that fits", () => {
    expect(example("short; message")).toBe("short; message");
    const long = `${"a".repeat(60)}; ${"b".repeat(30)}; ${"c".repeat(30)}`;
    expect(example(long)).toBe(`${"a".repeat(60)}; ${"b".repeat(30)}; ...`);
  });
});
