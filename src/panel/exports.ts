import { toMarkdown } from "../core/export/markdown.js";
import { toJsonReport } from "../core/export/report-json.js";
import { redactHar } from "../core/redact/redact-har.js";
import type { Session } from "../core/session.js";

/** The version the panel's exports name; the one place the panel states it. */
declare const __RATELENS_VERSION__: string;

/** The extension's version, from package.json at build time (as the CLI's). */
export const PANEL_VERSION =
  typeof __RATELENS_VERSION__ === "string" ? __RATELENS_VERSION__ : "0.0.0-dev";

export type ExportKind = "har" | "json" | "markdown";

export interface ExportFile {
  filename: string;
  mimeType: string;
  text: string;
}

export interface ExportContext {
  session: Session;
  /** The imported file's name, or undefined for live capture. */
  sourceName: string | undefined;
  /** Epoch ms the budgets are reported at. */
  now: number;
  version?: string;
}

function stamp(ms: number): string {
  const date = Number.isFinite(ms) ? new Date(ms) : new Date();
  return date.toISOString().slice(0, 19).replace(/[:T]/g, "-");
}

/** "checkout.har" -> "checkout-ratelens"; live capture -> "ratelens-2026-11-23-10-00-31". */
export function exportBaseName(sourceName: string | undefined, now: number): string {
  if (sourceName !== undefined) {
    const stem = sourceName.replace(/\.[^.]*$/, "").replace(/[^\w.-]+/g, "_");
    if (stem !== "") return `${stem}-ratelens`;
  }
  return `ratelens-${stamp(now)}`;
}

/** The session as a file: a redacted HAR, the CLI's JSON report, or a Markdown report. */
export function exportFile(kind: ExportKind, context: ExportContext): ExportFile {
  const { session, sourceName, now } = context;
  const version = context.version ?? PANEL_VERSION;
  const base = exportBaseName(sourceName, now);
  switch (kind) {
    case "har": {
      const har = redactHar(
        session.entries.map((item) => item.entry),
        { creator: { name: "Ratelens", version } },
      );
      return {
        filename: `${base}.har`,
        mimeType: "application/json",
        text: `${JSON.stringify(har, null, 2)}\n`,
      };
    }
    case "json":
      return {
        filename: `${base}-findings.json`,
        mimeType: "application/json",
        text: toJsonReport(session.report(now), version),
      };
    case "markdown":
      return {
        filename: `${base}.md`,
        mimeType: "text/markdown",
        text: toMarkdown(session.report(now), { title: sourceName ?? "Live capture", version }),
      };
  }
}
