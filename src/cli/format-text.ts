import { byCost, type Chain, type Cost } from "../core/chains.js";
import type { Finding } from "../core/finding.js";
import { fileNameOf, outcomeOf, plural } from "../core/labels.js";
import { type AnalysisReport, countOf, entriesByIndex, findingsByRule } from "../core/report.js";
import type { RuleId } from "../core/rules/index.js";
import {
  type CallerFrame,
  type EntrySummary,
  type HostBudget,
  SEVERITIES,
  type Severity,
} from "../core/types.js";

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  severity(severity: Severity, text: string): string;
}

const ANSI = (open: number, close: number) => (text: string) =>
  `\u001b[${open}m${text}\u001b[${close}m`;
const SEVERITY_COLOUR: Record<Severity, (text: string) => string> = {
  error: ANSI(31, 39),
  warning: ANSI(33, 39),
  info: ANSI(36, 39),
};

export const COLOUR: Style = {
  bold: ANSI(1, 22),
  dim: ANSI(2, 22),
  severity: (s, t) => SEVERITY_COLOUR[s](t),
};
export const PLAIN: Style = { bold: (t) => t, dim: (t) => t, severity: (_s, t) => t };

/** Colour only on a terminal, and never with NO_COLOR set (https://no-color.org). */
export function styleFor(
  stream: { isTTY?: boolean },
  env: Record<string, string | undefined>,
): Style {
  return stream.isTTY === true && !env.NO_COLOR ? COLOUR : PLAIN;
}

/**
 * A header or message from the HAR must not move the cursor, recolour the terminal, start a
 * line of its own or reorder what is shown: every C0 and C1 control (ESC included, so no escape
 * sequence survives), line separators and bidi controls become U+FFFD.
 */
function printable(text: string): string {
  return String(text).replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing them is the point
    /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g,
    "\uFFFD",
  );
}

function caller(frame: CallerFrame): string {
  const where = fileNameOf(frame.url);
  return `${printable(where)}:${frame.line}:${frame.column}${frame.function ? ` (${printable(frame.function)})` : ""}`;
}

function describeEntry(entry: EntrySummary | undefined): string {
  if (entry === undefined) return "?";
  return `#${entry.index} ${printable(entry.method)} ${printable(entry.url)} -> ${printable(outcomeOf(entry))}`;
}

function figures(budget: Pick<HostBudget, "remaining" | "limit" | "resetAt" | "source">): string {
  const figure =
    budget.remaining === null
      ? "no limit known yet"
      : `${budget.remaining}${budget.limit === null ? "" : `/${budget.limit}`} remaining`;
  const parts = [figure];
  if (budget.resetAt !== null) parts.push(`resets ${budget.resetAt}`);
  return parts.join(", ");
}

function label(budget: Pick<HostBudget, "source">): string {
  return budget.source === "estimate" ? "[estimate]" : "[from headers]";
}

/** The host's binding budget on one line, then each of its meters when it keeps several. */
function budgetLines(budget: HostBudget): string[] {
  const parts = [figures(budget)];
  if (budget.retryAfterUntil !== null) parts.push(`Retry-After until ${budget.retryAfterUntil}`);
  const several = budget.meters.length > 1;
  const binding = several ? ` ${printable(budget.meters[0]?.name ?? "")}` : "";
  const lines = [
    `${printable(budget.host)} (${budget.provider ?? "other"})${binding}: ${parts.join(", ")} ${label(budget)}`,
  ];
  if (several) {
    for (const meter of budget.meters) {
      lines.push(`    ${printable(meter.name)}: ${figures(meter)} ${label(meter)}`);
    }
  }
  return lines;
}

export interface TextReportInput {
  source: string;
  version: string;
  report: AnalysisReport;
  /** List every chain and finding of a rule, not only the costliest ten (`--all`). */
  all?: boolean;
}

/** Chains (or info findings) listed per rule, unless `--all`: the costliest first. */
export const SHOWN_PER_RULE = 10;

/** "3 requests wasted, 4.2 s in 2 chains (retry-non-retryable: 2 requests, 1.2 s; ...)" */
function costLine(cost: Cost, chains: number): string {
  const byRule = Object.entries(cost.byRule).map(
    ([rule, figures]) =>
      `${rule}: ${plural(figures.requests, "request")}, ${secondsOf(figures.seconds)}`,
  );
  return `cost: ${plural(cost.wastedRequests, "request")} wasted, ${secondsOf(cost.wastedSeconds)}, in ${plural(chains, "retry chain")}${byRule.length === 0 ? "" : ` (${byRule.join("; ")})`}`;
}

/** "1.2 s", "0 s", "12.5 min" */
function secondsOf(value: number): string {
  if (value >= 120) return `${(value / 60).toFixed(1)} min`;
  return `${Number(value.toFixed(1))} s`;
}

/** "#4 -> #5", or "#4 -> ... -> #90 (12 requests)" for a longer chain. */
function chainRequests(entries: readonly number[]): string {
  if (entries.length <= 3) return entries.map((i) => `#${i}`).join(" -> ");
  return `#${entries[0]} -> ... -> #${entries[entries.length - 1]} (${entries.length} requests)`;
}

/**
 * One line a chain: the request, what the chain did and wasted, where from, and the library's
 * advice when the traffic names the library. The rule's advice follows on a line of its own when
 * it differs from the chain's above, so a storm of alike chains shows it once.
 */
function chainLines(chains: readonly Chain[], rule: RuleId, style: Style): string[] {
  const lines: string[] = [];
  let shownAdvice: string | undefined;
  for (const chain of chains) {
    // The rule's own numbers ("retried 5 s after ..., the documented minimum wait is 30 s"), from
    // its first finding in the chain, when the chain's message does not already say them.
    const own = chain.ruleFindings.find((found) => found.rule === rule);
    const detail =
      own === undefined || own.first === chain.message
        ? ""
        : ` (${own.count > 1 ? `first of ${own.count}: ` : ""}${printable(own.first)})`;
    const wasted =
      chain.wastedRequests === 0
        ? ""
        : `: ${plural(chain.wastedRequests, "request")} wasted over ${secondsOf(chain.wastedSeconds)}`;
    const where = [chainRequests(chain.entries)];
    if (chain.caller !== undefined) where.push(`caller ${caller(chain.caller)}`);
    const library =
      chain.library === undefined
        ? ""
        : `, ${printable(chain.library.name)}: ${printable(chain.library.advice)}`;
    lines.push(
      `  ${printable(chain.method)} ${printable(chain.url)} ${printable(chain.message)}${detail}${wasted}${library} [${where.join(", ")}]`,
    );
    if (chain.library === undefined && chain.advice !== shownAdvice) {
      lines.push(style.dim(`    advice: ${printable(chain.advice)}`));
      shownAdvice = chain.advice;
    }
  }
  return lines;
}

function moreLine(count: number, noun: string, nouns: string): string {
  return `  ${plural(count, `more ${noun}`, `more ${nouns}`)}: --all lists every one`;
}

/** The summary line, and the cost line when there are chains. */
function summaryLines(
  { summary, cost }: Pick<AnalysisReport, "summary" | "cost">,
  style: Style,
): string[] {
  const bySeverity = (s: Severity) => summary.findings[s];
  const lines = [
    [
      `${plural(summary.entries, "entry", "entries")}, ${plural(summary.apiRequests, "API request")}`,
      summary.errors.length === 0
        ? "no errors"
        : `errors: ${summary.errors.map(({ outcome, count }) => `${printable(outcome)} x${count}`).join(", ")}`,
      `findings: ${style.severity("error", plural(bySeverity("error"), "error"))}, ${style.severity("warning", plural(bySeverity("warning"), "warning"))}, ${style.severity("info", `${bySeverity("info")} info`)}`,
    ].join(" | "),
  ];
  if (summary.chains > 0) lines.push(costLine(cost, summary.chains));
  return lines;
}

export interface CombinedInput extends Pick<AnalysisReport, "summary" | "cost"> {
  version: string;
  files: number;
}

/** After the reports of several files: what they come to together. */
export function formatCombined(
  { version, files, summary, cost }: CombinedInput,
  style: Style,
): string {
  const lines = [style.bold(`ratelens ${version}: ${plural(files, "file")} in all`)];
  lines.push(...summaryLines({ summary, cost }, style));
  return `${lines.join("\n")}\n`;
}

/** The report a person reads in a terminal: summary, findings grouped by rule, budgets. */
export function formatText(
  { source, version, report, all = false }: TextReportInput,
  style: Style,
): string {
  const lines: string[] = [style.bold(`ratelens ${version}: ${printable(source)}`)];
  lines.push(...summaryLines(report, style));

  const entries = entriesByIndex(report);
  const limit = all ? Number.POSITIVE_INFINITY : SHOWN_PER_RULE;
  for (const { rule, findings } of findingsByRule(report.findings)) {
    // What the report lists may be the first and costliest few: the counts are of all.
    const count = countOf(report, rule.id);
    lines.push("");
    lines.push(
      `${style.severity(rule.severity, style.bold(`${rule.id} (${rule.severity})`))}: ${plural(count.findings, "finding")}`,
    );
    lines.push(style.dim(`  ${rule.summary}`));
    // An error or warning is told by its retry chain, once (docs/cli.md, "Retry chains and their cost"); info findings, which
    // make no chain, one by one.
    const chains = report.chains.filter((chain) => chain.rules.includes(rule.id)).sort(byCost);
    if (chains.length > 0) {
      const shown = chains.slice(0, limit);
      lines.push(...chainLines(shown, rule.id, style));
      if (count.chains > shown.length)
        lines.push(moreLine(count.chains - shown.length, "chain", "chains"));
      continue;
    }
    const shown = findings.slice(0, limit);
    for (const finding of shown) lines.push(...findingLines(finding, entries, style));
    if (count.findings > shown.length)
      lines.push(moreLine(count.findings - shown.length, "finding", "findings"));
  }

  if (report.budgets.length > 0) {
    lines.push("");
    lines.push(style.bold("Budgets (after the last entry)"));
    for (const budget of report.budgets) {
      lines.push(...budgetLines(budget).map((line) => `  ${line}`));
    }
  }
  if (SEVERITIES.every((severity) => report.summary.findings[severity] === 0)) {
    lines.push("");
    lines.push(
      report.retries === 0
        ? "No findings: no request in this file was retried."
        : "No findings: every retry in this file waited as documented.",
    );
  }
  return `${lines.join("\n")}\n`;
}

function findingLines(
  finding: Finding,
  entries: ReadonlyMap<number, EntrySummary>,
  style: Style,
): string[] {
  const last = finding.entries[finding.entries.length - 1];
  const offending = last === undefined ? undefined : entries.get(last);
  const lines = [`  ${describeEntry(offending)}`, `    ${printable(finding.message)}`];
  if (finding.entries.length > 1) {
    lines.push(style.dim(`    requests: ${finding.entries.map((i) => `#${i}`).join(" -> ")}`));
  }
  if (finding.initiator !== undefined) lines.push(`    caller: ${caller(finding.initiator)}`);
  lines.push(style.dim(`    advice: ${printable(finding.advice)}`));
  return lines;
}
