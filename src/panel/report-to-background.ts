import { parseHarTime } from "../core/har/har-time.js";
import type { DecodedReport } from "../messaging/protocol.js";
import type { PanelStore } from "./store.js";

export interface PanelReport {
  decoded: DecodedReport[];
  findings: number;
}

/**
 * Tells the background what only the panel knows: the codes it decoded from bodies (the
 * background sees statuses and headers only) and how many findings the session has. Sends what is
 * new since the last report, at most once per `intervalMs`, and never lets a failed send (no
 * background yet, extension reloaded) disturb the panel.
 */
export function reportToBackground(
  store: PanelStore,
  send: (report: PanelReport) => Promise<unknown>,
  intervalMs = 500,
): () => void {
  let sent = 0;
  let list: unknown;
  let findings = -1;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    timer = undefined;
    const entries = store.session.entries;
    // A cleared or re-analysed session is a new list: start over.
    if (entries !== list || sent > entries.length) sent = 0;
    list = entries;
    const decoded: DecodedReport[] = [];
    for (const { entry, analysis } of entries.slice(sent)) {
      const error = analysis.error;
      if (error === undefined || store.source.kind === "file") continue;
      const start = parseHarTime(entry.startedDateTime);
      decoded.push({
        url: entry.request.url,
        status: error.status,
        code: error.code,
        at: start + (Number.isFinite(entry.time) && entry.time > 0 ? entry.time : 0),
      });
    }
    sent = entries.length;
    const count = store.source.kind === "file" ? 0 : store.session.findings.length;
    if (decoded.length === 0 && count === findings) return;
    findings = count;
    send({ decoded, findings: count }).catch(() => {});
  };

  const unsubscribe = store.subscribe(() => {
    if (timer === undefined) timer = setTimeout(flush, intervalMs);
  });
  return () => {
    unsubscribe();
    if (timer !== undefined) clearTimeout(timer);
  };
}
