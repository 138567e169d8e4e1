import type { Finding } from "../core/finding.js";
import { fileNameOf, outcomeOf, plural } from "../core/labels.js";
import { type AnalysisReport, entriesByIndex, findingsByRule } from "../core/report.js";
import type { CallerFrame, EntrySummary, HostBudget, Severity } from "../core/types.js";

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
}

/** The report a person reads in a terminal: summary, findings grouped by rule, budgets. */
export function formatText({ source, version, report }: TextReportInput, style: Style): string {
  const lines: string[] = [];
  const { summary } = report;
  const bySeverity = (s: Severity) => summary.findings[s];
  lines.push(style.bold(`ratelens ${version}: ${printable(source)}`));
  lines.push(
    [
      `${plural(summary.entries, "entry", "entries")}, ${plural(summary.apiRequests, "API request")}`,
      summary.errors.length === 0
        ? "no errors"
        : `errors: ${summary.errors.map(({ outcome, count }) => `${printable(outcome)} x${count}`).join(", ")}`,
      `findings: ${style.severity("error", plural(bySeverity("error"), "error"))}, ${style.severity("warning", plural(bySeverity("warning"), "warning"))}, ${style.severity("info", `${bySeverity("info")} info`)}`,
    ].join(" | "),
  );

  const entries = entriesByIndex(report);
  for (const { rule, findings } of findingsByRule(report.findings)) {
    lines.push("");
    lines.push(
      `${style.severity(rule.severity, style.bold(`${rule.id} (${rule.severity})`))}: ${plural(findings.length, "finding")}`,
    );
    lines.push(style.dim(`  ${rule.summary}`));
    for (const finding of findings) lines.push(...findingLines(finding, entries, style));
  }

  if (report.budgets.length > 0) {
    lines.push("");
    lines.push(style.bold("Budgets (after the last entry)"));
    for (const budget of report.budgets) {
      lines.push(...budgetLines(budget).map((line) => `  ${line}`));
    }
  }
  if (report.findings.length === 0) {
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
