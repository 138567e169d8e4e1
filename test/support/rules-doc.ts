import { RULES } from "../../src/core/rules/index.js";
import { SCENARIOS } from "../fixtures/scenarios.js";
import { analyzeEntries } from "./analyze.js";

/**
 * The rules' documentation, written from the registry and the rules' scenarios:
 * docs/rules.md, and the table between the README's markers (`npm run docs:rules`).
 */

export const RULES_START = "<!-- rules:start -->";
export const RULES_END = "<!-- rules:end -->";

/** Longer examples stop at the last "; " that fits: the first of several findings in one. */
const EXAMPLE_LENGTH = 100;

/** A message as the table quotes it. */
export function example(message: string): string {
  if (message.length <= EXAMPLE_LENGTH) return message;
  const cut = message.lastIndexOf("; ", EXAMPLE_LENGTH);
  return cut < 0 ? message : `${message.slice(0, cut)}; ...`;
}

/** The first finding the rule raises on its firing fixture, or a note that it raises none. */
function exampleOf(id: string): string {
  const scenario = SCENARIOS[id];
  const finding = scenario && analyzeEntries(scenario.entries).findings.find((f) => f.rule === id);
  return finding === undefined
    ? "(none: its firing scenario raises no finding)"
    : example(finding.message);
}

/** Id, severity, when it fires and an example, one row per rule in the order they run. */
export function rulesTable(): string {
  return [
    "| rule | severity | fires when | example finding (from `test/fixtures/<rule>.har`) |",
    "| --- | --- | --- | --- |",
    ...RULES.map(
      (rule) => `| \`${rule.id}\` | ${rule.severity} | ${rule.firesWhen} | ${exampleOf(rule.id)} |`,
    ),
  ].join("\n");
}

/** docs/rules.md */
export function rulesDoc(): string {
  const sections = RULES.map((rule) =>
    [
      `## \`${rule.id}\``,
      "",
      `${rule.severity}. ${rule.summary}`,
      "",
      `- Fires in \`test/fixtures/${rule.id}.har\`: ${SCENARIOS[rule.id]?.about ?? "(no scenario)"}.`,
      `- Does not fire in \`test/fixtures/${rule.id}-near-miss.har\`: ${SCENARIOS[`${rule.id}-near-miss`]?.about ?? "(no scenario)"}.`,
      `- Source: \`src/core/rules/${rule.id}/rule.ts\`, scenarios beside it in \`scenarios.ts\`.`,
    ].join("\n"),
  );
  return [
    "# The rules",
    "",
    "<!-- Written by `npm run docs:rules` from src/core/rules: edit the rules, not this file. -->",
    "",
    "Each rule is a folder in `src/core/rules/`: `rule.ts` (made with `defineRule`) and",
    "`scenarios.ts` beside it, the timeline where it fires and the near miss where it must not.",
    "`src/core/rules/index.ts` lists them in the order they run. `npm run new-rule <id>` makes one.",
    "",
    rulesTable(),
    "",
    sections.join("\n\n"),
    "",
  ].join("\n");
}

/** `text` with the table between its rules markers replaced; as it is when it has none. */
export function withRulesTable(text: string, table: string): string {
  const start = text.indexOf(RULES_START);
  const end = text.indexOf(RULES_END);
  if (start < 0 && end < 0) return text;
  if (start < 0 || end < start) throw new Error(`${RULES_START} must come before ${RULES_END}`);
  return `${text.slice(0, start + RULES_START.length)}\n${table}\n${text.slice(end)}`;
}
