// npm run new-rule <rule-id> [-- --root <dir>]
// Makes src/core/rules/<rule-id>/rule.ts and scenarios.ts, and adds the rule last to the registry
// (src/core/rules/index.ts). The rule never fires until its check is written, so the rules test
// fails, naming it, until it has a firing scenario that fires.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const camel = (id) => id.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());

function ruleFile(id, name) {
  return `import { defineRule } from "../rule.js";

export const ${name} = defineRule({
  id: "${id}",
  severity: "warning",
  summary: "${id}: one sentence on the client mistake it catches, for the reports.",
  firesWhen: "${id}: when it fires, in the terms of docs/rules.md's table",
  // Return { message, entries, advice } when the request is the mistake (see the other rules).
  check() {
    return undefined;
  },
});
`;
}

function scenariosFile(id) {
  return `import { CASOLA } from "../../../../test/support/har.js";
import { nearMissOf, ok, scenario } from "../../../../test/support/scenario.js";

// The timeline where ${id} fires, and the findings it raises there, e.g.
// findings: [{ rule: "${id}", entries: [0, 1] }].
export const firing = scenario({
  about: "${id} fires: the timeline to write",
  calls: [
    { at: 0, url: \`\${CASOLA}/jobs/1\`, status: 200, json: ok },
    { at: 1, url: \`\${CASOLA}/jobs/1\`, status: 200, json: ok },
  ],
  findings: [],
});

// The same timeline with the change that clears it: a moved call, an added header, a dropped call.
export const nearMiss = nearMissOf(firing, {
  about: "${id} does not fire: the change to write",
  calls: { 1: { at: 2 } },
});
`;
}

/** Writes the rule's folder under `root` and registers it; returns the files it wrote or changed. */
export function newRule(root, id) {
  if (!ID.test(id)) throw new Error(`"${id}" is not a rule id: lowercase words joined by "-"`);
  const rules = join(root, "src/core/rules");
  const folder = join(rules, id);
  if (existsSync(folder)) throw new Error(`src/core/rules/${id} exists already`);
  const indexPath = join(rules, "index.ts");
  const index = readFileSync(indexPath, "utf8");
  const name = camel(id);
  const lines = index.split("\n");
  const imports = lines.filter((line) => line.startsWith("import "));
  const sorted = [...imports, `import { ${name} } from "./${id}/rule.js";`].sort((a, b) =>
    a.slice(a.indexOf(" from ")).localeCompare(b.slice(b.indexOf(" from "))),
  );
  const end = index.indexOf("] as const;");
  if (imports.length === 0 || end < 0) throw new Error("src/core/rules/index.ts has no RULES list");
  const registered = `${sorted.join("\n")}\n${lines.slice(imports.length).join("\n")}`;
  const at = registered.indexOf("] as const;");
  mkdirSync(folder);
  writeFileSync(join(folder, "rule.ts"), ruleFile(id, name));
  writeFileSync(join(folder, "scenarios.ts"), scenariosFile(id));
  writeFileSync(indexPath, `${registered.slice(0, at)}  ${name},\n${registered.slice(at)}`);
  return [
    `src/core/rules/${id}/rule.ts`,
    `src/core/rules/${id}/scenarios.ts`,
    "src/core/rules/index.ts",
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const rootAt = args.indexOf("--root");
  const root = rootAt < 0 ? process.cwd() : args[rootAt + 1];
  const [id] = rootAt < 0 ? args : args.filter((_, i) => i !== rootAt && i !== rootAt + 1);
  if (id === undefined || root === undefined) {
    console.error("usage: npm run new-rule <rule-id>");
    process.exit(2);
  }
  try {
    for (const file of newRule(root, id)) console.log(`wrote ${file}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  console.log(`
Next:
  1. src/core/rules/${id}/rule.ts: its severity, summary, firesWhen and check; move it in
     src/core/rules/index.ts if it must run before another rule.
  2. src/core/rules/${id}/scenarios.ts: the timeline where it fires, its findings, and the change
     that clears it. Until it fires there, the rules test fails, naming it.
  3. npm run fixtures && npm run docs:rules: the HAR fixtures and the rule tables.`);
}
