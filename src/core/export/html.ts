import { byCost, type Chain, type ChainMark, type Cost, RULES_IN_ORDER } from "../chains.js";
import { formatClock } from "../clock-time.js";
import type { Finding } from "../finding.js";
import { fileNameOf, outcomeOf, plural, providerLabel, statusLabel } from "../labels.js";
import {
  type AnalysisReport,
  combineReports,
  countOf,
  entriesByIndex,
  type ReportSummary,
} from "../report.js";
import { seconds } from "../rules/describe.js";
import { timeTicks } from "../time-axis.js";
import { type StatusClass, statusClass } from "../timeline/timeline.js";
import type { CallerFrame, EntrySummary, HostBudget } from "../types.js";

/** One HAR file's report, under the name it was read from. */
export interface HtmlFile {
  source: string;
  report: AnalysisReport;
}

export interface HtmlOptions {
  /** The page's title and heading: a file name, a run's name. */
  title: string;
  /** Ratelens's version, named at the foot of the page. */
  version: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const ENTITY: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Text from the traffic (URLs, messages, hosts, codes) as inert HTML, in an element or in a quoted
 * attribute alike: it opens no tag, ends no attribute and starts no entity. Control characters,
 * which no HTML document may hold, are dropped.
 */
export function escapeHtml(text: string): string {
  return String(text)
    .replace(CONTROL, "")
    .replace(/[&<>"']/g, (c) => ENTITY[c] ?? c);
}

/**
 * The page's colours are the panel's palette (src/ui/palette.css; html.test.ts checks that they
 * match), written here because the file carries its own style.
 */
const STYLE = `
:root {
  --bg: #ffffff; --fg: #1f1f1f; --muted: #5f6368; --border: #cbcdd1; --row-alt: #f7f8f9;
  --error: #c5221f; --error-bg: #fce8e6; --warning: #9a5b00; --warning-bg: #fef7e0;
  --info: #1a5dc8; --info-bg: #e8f0fe; --ok: #137333; --ok-bg: #e6f4ea; --chart-grid: #e3e5e8;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #202124; --fg: #e3e3e3; --muted: #9aa0a6; --border: #3c4043; --row-alt: #242528;
    --error: #f28b82; --error-bg: #4a2624; --warning: #fdd663; --warning-bg: #3d3418;
    --info: #8ab4f8; --info-bg: #1f2d42; --ok: #81c995; --ok-bg: #1e3a27; --chart-grid: #35363a;
  }
}
html { background: var(--bg); color: var(--fg); }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main, body > footer { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem; }
body > footer { color: var(--muted); border-top: 1px solid var(--border); }
h1 { font-size: 1.6rem; margin: 0.5rem 0 1rem; overflow-wrap: anywhere; }
h2 { font-size: 1.3rem; margin: 2rem 0 0.5rem; border-bottom: 1px solid var(--border); overflow-wrap: anywhere; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; }
h4 { font-size: 1rem; margin: 1.25rem 0 0.25rem; }
h5 { font-size: 0.95rem; margin: 0 0 0.25rem; font-weight: 600; overflow-wrap: anywhere; }
code, .url { font-family: var(--mono); font-size: 0.9em; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; width: 100%; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
th, td { border: 1px solid var(--border); padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
td { overflow-wrap: anywhere; }
tbody tr:nth-child(even) { background: var(--row-alt); }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
dl.figures { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 1rem; margin: 0.5rem 0; }
dl.figures dt { color: var(--muted); }
dl.figures dd { margin: 0; overflow-wrap: anywhere; }
.tag { display: inline-block; padding: 0 0.4rem; border-radius: 0.25rem; font-size: 0.85em; font-weight: 600; }
.severity-error { color: var(--error); background: var(--error-bg); }
.severity-warning { color: var(--warning); background: var(--warning-bg); }
.severity-info { color: var(--info); background: var(--info-bg); }
.chain { border: 1px solid var(--border); border-radius: 0.4rem; padding: 0.75rem; margin: 0.75rem 0; }
.chain svg { display: block; width: 100%; height: auto; margin: 0.5rem 0; }
.legend { list-style: none; padding: 0; margin: 0.5rem 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; }
.legend svg { vertical-align: middle; margin-right: 0.3rem; }
.more { font-style: italic; }
.axis { stroke: var(--muted); }
.grid { stroke: var(--chart-grid); }
.tick, .wait { fill: var(--muted); font: 11px system-ui, sans-serif; }
.span { stroke-width: 2; opacity: 0.6; }
.s-success { fill: var(--ok); stroke: var(--ok); }
.s-429 { fill: var(--warning); stroke: var(--warning); }
.s-4xx { fill: var(--info); stroke: var(--info); }
.s-5xx { fill: var(--error); stroke: var(--error); }
.s-none { fill: none; stroke: var(--muted); }
.cross { stroke-width: 2; }
.wasted { fill: none; stroke: var(--fg); stroke-width: 1.5; }
meter { width: 8rem; vertical-align: middle; margin-right: 0.5rem; }
`;

/**
 * The page's head and the start of its body, up to its heading. The policy forbids every script
 * and every fetch: should text from the traffic ever escape its escaping, the browser still runs
 * and loads nothing.
 */
export function htmlStart(options: HtmlOptions): string {
  const title = options.title.trim() === "" ? "Ratelens report" : options.title;
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    `<meta name="generator" content="Ratelens ${escapeHtml(options.version)}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    "<main>",
    `<h1>${escapeHtml(title)}</h1>`,
    "",
  ].join("\n");
}

/** The foot of the page, after the last file's section. */
export function htmlEnd(options: HtmlOptions): string {
  return `</main>\n<footer><p>Generated by Ratelens ${escapeHtml(options.version)}.</p></footer>\n</body>\n</html>\n`;
}

function tag(severity: string): string {
  return `<span class="tag severity-${escapeHtml(severity)}">${escapeHtml(severity)}</span>`;
}

/** The report's figures as a list of terms: entries, API requests, errors, findings, chains. */
function figures(summary: ReportSummary, files?: number): string {
  const errors =
    summary.errors.length === 0
      ? "none"
      : summary.errors.map(({ outcome, count }) => `${escapeHtml(outcome)} ×${count}`).join(", ");
  const rows: [string, string][] = [];
  if (files !== undefined && files !== 1) rows.push(["Files", String(files)]);
  rows.push(
    ["Entries", String(summary.entries)],
    ["API requests", String(summary.apiRequests)],
    ["Errors", errors],
    [
      "Findings",
      `${plural(summary.findings.error, "error")}, ${plural(summary.findings.warning, "warning")}, ${summary.findings.info} info`,
    ],
  );
  if (summary.chains !== undefined) rows.push(["Retry chains", String(summary.chains)]);
  return `<dl class="figures">\n${rows.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join("\n")}\n</dl>\n`;
}

/** What the chains cost, in all and by rule, as a table. */
function costTable(cost: Cost, caption: string): string {
  const rules = RULES_IN_ORDER.flatMap((rule) => {
    const spent = cost.byRule[rule.id];
    return spent === undefined ? [] : [{ id: rule.id, ...spent }];
  });
  const rows = rules.map(
    (rule) =>
      `<tr><th scope="row"><code>${escapeHtml(rule.id)}</code></th><td class="number">${rule.requests}</td><td class="number">${escapeHtml(seconds(rule.seconds * 1000))}</td></tr>`,
  );
  return [
    "<table>",
    `<caption>${caption}</caption>`,
    '<thead><tr><th scope="col">Rule</th><th scope="col" class="number">Wasted requests</th><th scope="col" class="number">Time lost</th></tr></thead>',
    `<tbody>\n${rows.join("\n")}\n</tbody>`,
    `<tfoot><tr><th scope="row">All rules</th><td class="number">${cost.wastedRequests}</td><td class="number">${escapeHtml(seconds(cost.wastedSeconds * 1000))}</td></tr></tfoot>`,
    "</table>",
    "",
  ].join("\n");
}

/**
 * The summary and the cost of the whole run: one file's, or several added up (`combineReports`).
 * `files` is how many HAR files the figures cover.
 */
export function htmlSummary(summary: ReportSummary, cost: Cost, files: number): string {
  return [
    '<section class="summary">',
    "<h2>Summary</h2>",
    figures(summary, files),
    costTable(cost, "What the retry chains cost"),
    "</section>",
    "",
  ].join("\n");
}

/** `client.js:42 (retryLoop)`, the script's full URL in its title. */
function callerOf(frame: CallerFrame): string {
  const where = `${fileNameOf(frame.url)}:${frame.line}`;
  const name = frame.function ? ` (${escapeHtml(frame.function)})` : "";
  return `<code title="${escapeHtml(frame.url)}">${escapeHtml(where)}</code>${name}`;
}

// The time axis of a chain, in the SVG's own units: it scales to the page's width.
const WIDTH = 720;
const LEFT = 16;
const RIGHT = 16;
const HEIGHT = 76;
const MARK_Y = 40;
const AXIS_Y = 58;
/** Marks a chain's text alternative tells one by one; the rest it counts. */
const TOLD_MARKS = 20;
/** Up to this many marks, a chain draws each; beyond, one per spot and kind. */
const DRAW_EVERY_MARK = 200;
/** The baselines of the waits' labels, above the marks. */
const WAIT_ROWS = [24, 11];
/** A label's width per character, about, at the labels' 11px. */
const CHAR_PX = 6;

const STATUS_NAMES: Readonly<Record<StatusClass, string>> = {
  success: "success",
  "429": "429",
  "4xx": "other 4xx",
  "5xx": "5xx",
  none: "no response",
};

/** The glyph of a status class centred on x, y: the shape tells the status without its colour. */
function glyph(kind: StatusClass, x: number, y: number): string {
  const at = (dx: number, dy: number) => `${(x + dx).toFixed(1)} ${(y + dy).toFixed(1)}`;
  switch (kind) {
    case "success":
      return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="4.5"/>`;
    case "429":
      return `<path d="M${at(0, -6)} L${at(6, 0)} L${at(0, 6)} L${at(-6, 0)} Z"/>`;
    case "4xx":
      return `<rect x="${(x - 4.5).toFixed(1)}" y="${(y - 4.5).toFixed(1)}" width="9" height="9"/>`;
    case "5xx":
      return `<path d="M${at(0, -6)} L${at(6, 5)} L${at(-6, 5)} Z"/>`;
    default:
      return `<path class="cross" d="M${at(-4, -4)} L${at(4, 4)} M${at(4, -4)} L${at(-4, 4)}"/>`;
  }
}

/** The legend of the marks: shape and colour of each status, and the ring of a wasted request. */
function legend(): string {
  const item = (svg: string, label: string) =>
    `<li><svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">${svg}</svg>${label}</li>`;
  const kinds: StatusClass[] = ["success", "429", "4xx", "5xx", "none"];
  return [
    '<ul class="legend" aria-label="Legend of the marks">',
    ...kinds.map((kind) =>
      item(`<g class="s-${kind}">${glyph(kind, 8, 8)}</g>`, STATUS_NAMES[kind]),
    ),
    item('<circle class="wasted" cx="8" cy="8" r="7"/>', "wasted (ringed)"),
    "</ul>",
    "",
  ].join("\n");
}

/** What the drawing shows, said in words: each request's status and time, and each wait. */
function chainText(chain: Chain): string {
  const parts = chain.marks.slice(0, TOLD_MARKS).map((mark, i) => {
    const previous = i === 0 ? undefined : chain.marks[i - 1];
    const wait =
      previous === undefined || !Number.isFinite(previous.end) || !Number.isFinite(mark.start)
        ? ""
        : `after ${seconds(Math.max(0, mark.start - previous.end))}, `;
    const when = Number.isFinite(mark.start) ? `at ${formatClock(mark.start)}` : "time unknown";
    return `${wait}#${mark.index} ${statusLabel(mark.status)} ${when}${mark.wasted ? " (wasted)" : ""}`;
  });
  const rest = chain.marks.length - parts.length;
  const more =
    rest <= 0
      ? ""
      : `; and ${plural(rest, "more request")}, ${chain.marks.slice(TOLD_MARKS).filter((mark) => mark.wasted).length} of them wasted`;
  return `${plural(chain.marks.length, "request")} on a time axis: ${parts.join("; ")}${more}.`;
}

/** How a label at x is anchored so that it stays inside the drawing. */
function anchorAt(x: number, text: string): "start" | "middle" | "end" {
  const half = (text.length * CHAR_PX) / 2;
  if (x - half < 2) return "start";
  if (x + half > WIDTH - 2) return "end";
  return "middle";
}

/** One chain drawn on its own time axis: a mark per request, the waits between them labelled. */
function chainSvg(chain: Chain): string {
  const timed = chain.marks.filter((mark) => Number.isFinite(mark.start));
  const label = escapeHtml(chainText(chain));
  const open = `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${label}" focusable="false">`;
  if (timed.length === 0) {
    return `${open}<title>${label}</title><text class="tick" x="${LEFT}" y="${MARK_Y}">No times recorded</text></svg>`;
  }
  // Loops, not Math.min(...marks): a chain of a long retry loop has more marks than a call's
  // arguments may be.
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const mark of timed) {
    first = Math.min(first, mark.start);
    last = Math.max(last, Number.isFinite(mark.end) ? Math.max(mark.end, mark.start) : mark.start);
  }
  // A margin on both sides keeps the first and last marks off the edges, and gives a lone
  // short request an axis of a second or so rather than of its own few milliseconds.
  const margin = Math.max((last - first) * 0.04, 250);
  const from = first - margin;
  const until = last + margin;
  const span = until - from;
  const plot = WIDTH - LEFT - RIGHT;
  const x = (at: number) => LEFT + ((at - from) / span) * plot;
  const parts: string[] = [open, `<title>${label}</title>`];
  parts.push(
    `<line class="axis" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${AXIS_Y}" y2="${AXIS_Y}"/>`,
  );
  for (const tick of timeTicks(from, until, 5)) {
    const tx = x(tick.at).toFixed(1);
    parts.push(
      `<line class="grid" x1="${tx}" x2="${tx}" y1="14" y2="${AXIS_Y}"/>`,
      `<text class="tick" x="${tx}" y="${AXIS_Y + 14}" text-anchor="${anchorAt(Number(tx), tick.label)}">${escapeHtml(tick.label)}</text>`,
    );
  }
  // Each wait is labelled above its gap, on the first of the rows where it overlaps no other
  // label; one that fits on none is left to the text alternative.
  const rowEnds = WAIT_ROWS.map(() => Number.NEGATIVE_INFINITY);
  let previous: ChainMark | undefined;
  for (const mark of timed) {
    if (previous !== undefined && Number.isFinite(previous.end) && mark.start >= previous.end) {
      const text = `wait ${seconds(mark.start - previous.end)}`;
      const half = (text.length * CHAR_PX) / 2;
      // Centred over the gap, kept inside the drawing.
      const mid = Math.min(
        Math.max((x(previous.end) + x(mark.start)) / 2, half + 2),
        WIDTH - half - 2,
      );
      const row = rowEnds.findIndex((end) => mid - half >= end + 4);
      if (row !== -1) {
        rowEnds[row] = mid + half;
        parts.push(
          `<text class="wait" x="${mid.toFixed(1)}" y="${WAIT_ROWS[row]}" text-anchor="middle">${escapeHtml(text)}</text>`,
        );
      }
    }
    previous = mark;
  }
  // A long chain draws one mark per spot (two pixels) and kind, without the spans: marks that
  // close look as one anyway, and the page stays small whatever the chain's length.
  const merge = timed.length > DRAW_EVERY_MARK;
  const drawnAt = new Set<string>();
  for (const mark of timed) {
    const kind = statusClass(mark.status);
    const x0 = x(mark.start);
    if (merge) {
      const spot = `${Math.round(x0 / 2)} ${kind} ${mark.wasted}`;
      if (drawnAt.has(spot)) continue;
      drawnAt.add(spot);
    }
    const x1 = Number.isFinite(mark.end) && mark.end > mark.start ? x(mark.end) : x0;
    const drawn = [
      x1 - x0 > 3 && !merge
        ? `<line class="span" x1="${x0.toFixed(1)}" x2="${x1.toFixed(1)}" y1="${MARK_Y}" y2="${MARK_Y}"/>`
        : "",
      mark.wasted ? `<circle class="wasted" cx="${x0.toFixed(1)}" cy="${MARK_Y}" r="8.5"/>` : "",
      glyph(kind, x0, MARK_Y),
    ].join("");
    parts.push(
      `<g class="mark s-${kind}${mark.wasted ? " mark-wasted" : ""}" data-status="${mark.status}">${drawn}</g>`,
    );
  }
  parts.push("</svg>");
  return parts.join("\n");
}

/** One chain: what happened, its drawing, what it wasted, where it was sent from, what to do. */
function chainArticle(chain: Chain): string {
  const first = chain.entries[0];
  const last = chain.entries[chain.entries.length - 1];
  const requests =
    chain.entries.length === 1 ? `request #${first}` : `requests #${first} to #${last}`;
  const advice =
    chain.library === undefined
      ? escapeHtml(chain.advice)
      : `${escapeHtml(chain.library.name)} (<code>${escapeHtml(chain.library.option)}</code>): ${escapeHtml(chain.advice)}`;
  const rows: [string, string][] = [
    ["Rules", chain.rules.map((rule) => `<code>${escapeHtml(rule)}</code>`).join(", ")],
    [
      "Wasted",
      `${plural(chain.wastedRequests, "request")}, ${escapeHtml(seconds(chain.wastedSeconds * 1000))}`,
    ],
    ["Caller", chain.caller === undefined ? "unknown" : callerOf(chain.caller)],
    ["Advice", advice],
  ];
  return [
    '<article class="chain">',
    `<h5>${tag(chain.severity)} ${escapeHtml(chain.method)} <span class="url">${escapeHtml(chain.url)}</span></h5>`,
    `<p>${escapeHtml(chain.message)} <span class="muted">(${plural(chain.attempts, "attempt")}, ${requests})</span></p>`,
    chainSvg(chain),
    `<dl class="figures">\n${rows.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join("\n")}\n</dl>`,
    "</article>",
    "",
  ].join("\n");
}

/** The report's chains, costliest first within each rule, the rules in report order. */
function chainsSection(report: AnalysisReport): string {
  const parts: string[] = [];
  for (const rule of RULES_IN_ORDER) {
    // A chain is listed under each of its rules, as the text report lists it.
    const shown = report.chains.filter((chain) => chain.rules.includes(rule.id)).sort(byCost);
    const total = countOf(report, rule.id).chains;
    if (total === 0) continue;
    parts.push(
      `<h4><code>${escapeHtml(rule.id)}</code> ${tag(rule.severity)} <span class="muted">${plural(total, "chain")}</span></h4>`,
    );
    parts.push(...shown.map(chainArticle));
    if (total > shown.length) {
      parts.push(
        `<p class="more">${plural(total - shown.length, "more chain")} (see the JSON or SARIF report)</p>`,
      );
    }
  }
  if (parts.length === 0) return "";
  return ["<h3>Retry chains</h3>", legend(), ...parts, ""].join("\n");
}

/** The request a finding is about: its last one, the offending request. */
function requestOf(finding: Finding, entries: ReadonlyMap<number, EntrySummary>): string {
  const last = finding.entries[finding.entries.length - 1];
  const entry = last === undefined ? undefined : entries.get(last);
  const chain =
    finding.entries.length < 2
      ? ""
      : ` <span class="muted">(requests ${finding.entries.map((i) => `#${i}`).join(" → ")})</span>`;
  if (entry === undefined) return `#${last ?? "?"}${chain}`;
  return `#${entry.index} ${escapeHtml(entry.method)} <span class="url">${escapeHtml(entry.url)}</span> → ${escapeHtml(outcomeOf(entry))}${chain}`;
}

/** The findings, a table per rule, with the rule's summary and its advice. */
function findingsSection(report: AnalysisReport): string {
  const entries = entriesByIndex(report);
  const parts: string[] = [];
  for (const rule of RULES_IN_ORDER) {
    const shown = report.findings.filter((finding) => finding.rule === rule.id);
    const total = countOf(report, rule.id).findings;
    if (total === 0) continue;
    const advice = new Set(
      shown.map((finding) =>
        finding.library === undefined
          ? escapeHtml(finding.advice)
          : `${escapeHtml(finding.library.name)} (<code>${escapeHtml(finding.library.option)}</code>): ${escapeHtml(finding.library.advice)}`,
      ),
    );
    parts.push(
      `<h4><code>${escapeHtml(rule.id)}</code> ${tag(rule.severity)} <span class="muted">${plural(total, "finding")}</span></h4>`,
      `<p>${escapeHtml(rule.summary)}</p>`,
    );
    if (advice.size > 0) {
      parts.push(
        `<p>Advice:</p>\n<ul>\n${[...advice].map((text) => `<li>${text}</li>`).join("\n")}\n</ul>`,
      );
    }
    if (shown.length > 0) {
      const rows = shown.map(
        (finding) =>
          `<tr><td>${requestOf(finding, entries)}</td><td>${escapeHtml(finding.message)}</td><td>${finding.initiator === undefined ? "unknown" : callerOf(finding.initiator)}</td></tr>`,
      );
      parts.push(
        "<table>",
        `<caption>Findings of <code>${escapeHtml(rule.id)}</code></caption>`,
        '<thead><tr><th scope="col">Request</th><th scope="col">Message</th><th scope="col">Caller</th></tr></thead>',
        `<tbody>\n${rows.join("\n")}\n</tbody>`,
        "</table>",
      );
    }
    if (total > shown.length) {
      parts.push(
        `<p class="more">${plural(total - shown.length, "more finding")} (see the JSON report)</p>`,
      );
    }
  }
  return ["<h3>Findings</h3>", ...parts, ""].join("\n");
}

/** `40 of 100 left`, with a meter of it when both are known. */
function remainingOf(meter: Pick<HostBudget, "remaining" | "limit">, name: string): string {
  if (meter.remaining === null) return "unknown";
  if (meter.limit === null || meter.limit <= 0) return `${meter.remaining} left`;
  const text = `${meter.remaining} of ${meter.limit} left`;
  const value = Math.min(Math.max(meter.remaining, 0), meter.limit);
  // Below a fifth of the limit the browser draws the meter as a warning.
  return `<meter min="0" max="${meter.limit}" low="${meter.limit / 5}" optimum="${meter.limit}" value="${value}" aria-label="${escapeHtml(`${name}: ${text}`)}"></meter>${text}`;
}

/** A host's budget: a table with a row per meter, the binding one first. */
function budgetTable(budget: HostBudget): string {
  const meters =
    budget.meters.length > 0
      ? budget.meters
      : [
          {
            name: "requests",
            limit: budget.limit,
            remaining: budget.remaining,
            resetAt: budget.resetAt,
            source: budget.source,
          },
        ];
  const rows = meters.map(
    (meter) =>
      `<tr><th scope="row">${escapeHtml(meter.name)}</th><td>${remainingOf(meter, meter.name)}</td><td>${meter.resetAt === null ? "unknown" : escapeHtml(meter.resetAt)}</td><td>${meter.source === "estimate" ? "estimate" : "headers"}</td></tr>`,
  );
  const retryAfter =
    budget.retryAfterUntil === null
      ? ""
      : `<p>Retry-After until ${escapeHtml(budget.retryAfterUntil)}</p>\n`;
  return [
    "<table>",
    `<caption>${escapeHtml(budget.host)} <span class="muted">(${escapeHtml(providerLabel(budget.provider))})</span></caption>`,
    '<thead><tr><th scope="col">Meter</th><th scope="col">Remaining</th><th scope="col">Reset</th><th scope="col">Source</th></tr></thead>',
    `<tbody>\n${rows.join("\n")}\n</tbody>`,
    "</table>",
    retryAfter,
  ].join("\n");
}

function budgetsSection(budgets: readonly HostBudget[]): string {
  if (budgets.length === 0) return "";
  return ["<h3>Budgets after the last entry</h3>", ...budgets.map(budgetTable), ""].join("\n");
}

/**
 * One HAR file's section: its summary and cost, each chain on a time axis, the findings with
 * their advice and caller, the budgets with their meters. Every string from the traffic is
 * escaped; nothing in it links or loads anywhere.
 */
export function htmlFile({ source, report }: HtmlFile): string {
  const parts = [
    '<section class="file">',
    `<h2>${escapeHtml(source)}</h2>`,
    figures(report.summary),
  ];
  if (report.summary.chains > 0)
    parts.push(costTable(report.cost, "What this file's retry chains cost"));
  if (
    report.summary.findings.error +
      report.summary.findings.warning +
      report.summary.findings.info ===
      0 &&
    report.findings.length === 0
  ) {
    parts.push(
      report.retries === 0
        ? "<p>No findings: no request was retried.</p>"
        : "<p>No findings: every retry waited as documented.</p>",
    );
  } else {
    parts.push(chainsSection(report), findingsSection(report));
  }
  parts.push(budgetsSection(report.budgets), "</section>", "");
  return parts.join("\n");
}

/** The whole page: one file's report, or several with their figures added up first. */
export function toHtml(files: readonly HtmlFile[], options: HtmlOptions): string {
  const total = combineReports(files.map((file) => file.report));
  return [
    htmlStart(options),
    // One file's section has its own figures: the sum would say them twice.
    files.length === 1 ? "" : htmlSummary(total.summary, total.cost, files.length),
    ...files.map(htmlFile),
    htmlEnd(options),
  ].join("");
}
