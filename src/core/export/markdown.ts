import { byCost } from "../chains.js";
import type { Finding } from "../finding.js";
import { fileNameOf, outcomeOf, plural, providerLabel } from "../labels.js";
import { type AnalysisReport, countOf, entriesByIndex, findingsByRule } from "../report.js";
import { type CallerFrame, type EntrySummary, type HostBudget, SEVERITIES } from "../types.js";

export interface MarkdownOptions {
  /** The heading: a file name, a page, a PR's subject. */
  title: string;
  /** Ratelens's version, named at the foot of the report. */
  version: string;
  /** Rows of the findings table at most (a GitHub comment holds 65,536 characters). Default 100. */
  maxFindings?: number;
}

export const DEFAULT_MAX_FINDINGS = 100;

// biome-ignore lint/suspicious/noControlCharactersInRegex: collapsing them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * Characters that would start HTML, an entity, a table cell, a link, emphasis, code, math or an
 * issue reference.
 */
const SPECIAL = /[\\`*_[\]~$|#<>&]/g;
const ENTITY: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/**
 * Text from the traffic (messages, URLs, codes, hosts) as inert Markdown on one line: it cannot
 * end a table row or cell, open HTML, a link or emphasis, or mention a GitHub user or team.
 */
export function escapeMarkdown(text: string): string {
  return String(text)
    .replace(CONTROL, " ")
    .replace(SPECIAL, (c) => ENTITY[c] ?? `\\${c}`)
    .replace(/@(?=[A-Za-z0-9])/g, "@\u200b");
}

/** A code span when the text needs no escaping inside one, escaped text otherwise. */
function code(text: string): string {
  const flat = String(text).replace(CONTROL, " ");
  return /^[^`|\\<>&]+$/.test(flat) ? `\`${flat}\`` : escapeMarkdown(flat);
}

function callerOf(frame: CallerFrame): string {
  const where = code(`${fileNameOf(frame.url)}:${frame.line}`);
  return frame.function ? `${where} (${escapeMarkdown(frame.function)})` : where;
}

function requestOf(finding: Finding, entries: ReadonlyMap<number, EntrySummary>): string {
  const last = finding.entries[finding.entries.length - 1];
  const entry = last === undefined ? undefined : entries.get(last);
  const cell =
    entry === undefined
      ? "?"
      : `#${entry.index} ${escapeMarkdown(entry.method)} ${escapeMarkdown(entry.url)} → ${escapeMarkdown(outcomeOf(entry))}`;
  if (finding.entries.length < 2) return cell;
  return `${cell} (requests ${finding.entries.map((i) => `#${i}`).join(" → ")})`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function summaryLine({ summary }: Pick<AnalysisReport, "summary">): string {
  const entries = plural(summary.entries, "entry", "entries");
  return [
    `**${entries}**, ${plural(summary.apiRequests, "API request")}`,
    summary.errors.length === 0
      ? "no errors"
      : `errors: ${summary.errors.map(({ outcome, count }) => `${escapeMarkdown(outcome)} ×${count}`).join(", ")}`,
    `findings: **${plural(summary.findings.error, "error")}**, ${plural(summary.findings.warning, "warning")}, ${summary.findings.info} info`,
  ].join(" · ");
}

function findingsTable(report: AnalysisReport, max: number): string[] {
  // Errors first, then warnings, then info; within one severity the rules' order, then the report's.
  const findings = findingsByRule(report.findings).flatMap((group) => group.findings);
  const entries = entriesByIndex(report);
  const lines = [
    row(["Severity", "Rule", "Request", "Message", "Caller"]),
    row(["---", "---", "---", "---", "---"]),
  ];
  for (const finding of findings.slice(0, max)) {
    lines.push(
      row([
        escapeMarkdown(finding.severity),
        code(finding.rule),
        requestOf(finding, entries),
        escapeMarkdown(finding.message),
        finding.initiator === undefined ? "—" : callerOf(finding.initiator),
      ]),
    );
  }
  // The report may list only the first few of each rule: the count is of all.
  const total = SEVERITIES.reduce((sum, severity) => sum + report.summary.findings[severity], 0);
  const shown = Math.min(max, findings.length);
  if (total > shown) {
    lines.push("");
    lines.push(
      `_…and ${plural(total - shown, "more finding")} not shown: \`ratelens analyze\` lists them all._`,
    );
  }
  return lines;
}

/** "1.2 s", "12.5 min" */
function secondsOf(value: number): string {
  if (value >= 120) return `${(value / 60).toFixed(1)} min`;
  return `${Number(value.toFixed(1))} s`;
}

/** What the retry chains cost, in all and by rule: the text report's cost line. */
function costLine({ cost, summary }: Pick<AnalysisReport, "cost" | "summary">): string {
  const byRule = Object.entries(cost.byRule).map(
    ([rule, figures]) =>
      `${code(rule)}: ${plural(figures.requests, "request")}, ${secondsOf(figures.seconds)}`,
  );
  return `Cost: **${plural(cost.wastedRequests, "request")} wasted**, ${secondsOf(cost.wastedSeconds)}, in ${plural(summary.chains, "retry chain")}${byRule.length === 0 ? "" : ` (${byRule.join("; ")})`}`;
}

/** One row a chain, the costliest first, as many as the findings table holds. */
function chainsTable(report: AnalysisReport, max: number): string[] {
  const chains = [...report.chains].sort(byCost);
  const lines = [
    row(["Severity", "Rules", "Request", "Chain", "Wasted", "Caller", "Advice"]),
    row(["---", "---", "---", "---", "---", "---", "---"]),
  ];
  for (const chain of chains.slice(0, max)) {
    const first = chain.entries[0];
    const last = chain.entries[chain.entries.length - 1];
    const requests =
      chain.entries.length === 1 ? `#${first}` : `#${first} → #${last} (${chain.attempts})`;
    lines.push(
      row([
        escapeMarkdown(chain.severity),
        chain.rules.map(code).join(", "),
        `${escapeMarkdown(chain.method)} ${escapeMarkdown(chain.url)} (${requests})`,
        escapeMarkdown(chain.message),
        `${plural(chain.wastedRequests, "request")}, ${secondsOf(chain.wastedSeconds)}`,
        chain.caller === undefined ? "—" : callerOf(chain.caller),
        chain.library === undefined
          ? escapeMarkdown(chain.advice)
          : `${escapeMarkdown(chain.library.name)}: ${escapeMarkdown(chain.advice)}`,
      ]),
    );
  }
  const shown = Math.min(max, chains.length);
  if (report.summary.chains > shown) {
    lines.push("");
    lines.push(
      `_…and ${plural(report.summary.chains - shown, "more chain")} not shown: \`ratelens analyze --all\` lists them all._`,
    );
  }
  return lines;
}

function adviceList(report: AnalysisReport): string[] {
  const lines: string[] = [];
  for (const { rule, findings } of findingsByRule(report.findings)) {
    lines.push(
      `- ${code(rule.id)} (${rule.severity}, ${plural(countOf(report, rule.id).findings, "finding")}): ${escapeMarkdown(rule.summary)}`,
    );
    for (const advice of new Set(findings.map((f) => f.advice))) {
      lines.push(`  - ${escapeMarkdown(advice)}`);
    }
  }
  return lines;
}

function figureOf(budget: Pick<HostBudget, "remaining" | "limit">): string {
  return budget.remaining === null
    ? "unknown"
    : `${budget.remaining}${budget.limit === null ? "" : `/${budget.limit}`}`;
}

/** One row per host, then one per meter when the host keeps several (its first is the binding one). */
function budgetRows(budget: HostBudget): string[] {
  const reset = [
    budget.resetAt === null ? undefined : escapeMarkdown(budget.resetAt),
    budget.retryAfterUntil === null
      ? undefined
      : `Retry-After until ${escapeMarkdown(budget.retryAfterUntil)}`,
  ].filter((part) => part !== undefined);
  const rows = [
    row([
      escapeMarkdown(budget.host),
      escapeMarkdown(providerLabel(budget.provider)),
      figureOf(budget),
      reset.length === 0 ? "—" : reset.join("; "),
      budget.source === "estimate" ? "_estimate_" : "headers",
    ]),
  ];
  if (budget.meters.length < 2) return rows;
  for (const meter of budget.meters) {
    rows.push(
      row([
        `↳ ${escapeMarkdown(meter.name)}`,
        "",
        figureOf(meter),
        meter.resetAt === null ? "—" : escapeMarkdown(meter.resetAt),
        meter.source === "estimate" ? "_estimate_" : "headers",
      ]),
    );
  }
  return rows;
}

/**
 * The report as Markdown for a PR comment or an issue: the text report's summary, a table of the
 * findings, the advice of each rule that fired and the hosts' budgets. Every string that came from
 * the traffic is escaped: it stays inside its table cell and never turns into HTML.
 */
export function toMarkdown(report: AnalysisReport, options: MarkdownOptions): string {
  const max = Math.max(0, Math.floor(options.maxFindings ?? DEFAULT_MAX_FINDINGS));
  const title = options.title.trim() === "" ? "Ratelens report" : options.title;
  const lines = [`## ${escapeMarkdown(title)}`, "", summaryLine(report), ""];
  if (report.summary.chains > 0) lines.push(costLine(report), "");

  if (SEVERITIES.every((severity) => report.summary.findings[severity] === 0)) {
    lines.push(
      report.retries === 0
        ? "No findings: no request was retried."
        : "No findings: every retry waited as documented.",
      "",
    );
  } else {
    if (report.chains.length > 0)
      lines.push("### Retry chains", "", ...chainsTable(report, max), "");
    lines.push("### Findings", "", ...findingsTable(report, max), "");
    lines.push("### Advice", "", ...adviceList(report), "");
  }
  if (report.budgets.length > 0) {
    lines.push("### Budgets (after the last entry)", "");
    lines.push(row(["Host", "Provider", "Remaining/limit", "Reset", "Source"]));
    lines.push(row(["---", "---", "---", "---", "---"]));
    for (const budget of report.budgets) lines.push(...budgetRows(budget));
    lines.push("");
  }
  lines.push(`_Generated by Ratelens ${escapeMarkdown(options.version)}._`);
  return `${lines.join("\n")}\n`;
}

/** Before the reports of several files: what they come to together. */
export function combinedMarkdown(
  combined: Pick<AnalysisReport, "summary" | "cost">,
  files: number,
  version: string,
): string {
  const lines = [`# Ratelens: ${plural(files, "file")}`, "", summaryLine(combined), ""];
  if (combined.summary.chains > 0) lines.push(costLine(combined), "");
  lines.push(`_Ratelens ${escapeMarkdown(version)}; each file's report follows._`, "", "");
  return lines.join("\n");
}
