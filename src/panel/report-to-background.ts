import { type Chain, costPerHost } from "../core/chains.js";
import { type RequestRecord, recordFromEntry } from "../core/request-record.js";
import type { HostCost } from "../messaging/protocol.js";
import type { PanelStore } from "./store.js";

export interface PanelReport {
  observed: RequestRecord[];
  findings: number;
  /** What the session's retry chains cost per API host. */
  cost: HostCost[];
}

/**
 * Tells the background what the panel captured, so the badge and the popup count the tab's API
 * requests even where webRequest may not see the page: each request's record (method, redacted
 * URL, status, times, rate-limit headers and decoded code; never a body, a cookie or a
 * credential), how many findings the session has, and what its retry chains (`chainsOf`) cost
 * per host. Sends what is new since the last report, at
 * most once per `intervalMs`, and never lets a failed send (no background yet, extension reloaded)
 * disturb the panel. An imported HAR file is not the tab's traffic and is never reported.
 */
export function reportToBackground(
  store: PanelStore,
  send: (report: PanelReport) => Promise<unknown>,
  chainsOf: (store: PanelStore) => readonly Chain[],
  intervalMs = 500,
): () => void {
  let sent = 0;
  let list: unknown;
  let findings = -1;
  let costKey = "";
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    timer = undefined;
    const entries = store.session.entries;
    // A cleared or re-analysed session is a new list: start over (the background counts a
    // request reported twice once).
    if (entries !== list || sent > entries.length) sent = 0;
    list = entries;
    const observed: RequestRecord[] = [];
    if (store.source.kind !== "file") {
      for (const { entry, analysis } of entries.slice(sent)) {
        const record = recordFromEntry(entry, analysis);
        if (record !== undefined) observed.push(record);
      }
    }
    sent = entries.length;
    const file = store.source.kind === "file";
    const count = file ? 0 : store.session.findings.length;
    const cost = file ? [] : costPerHost(chainsOf(store));
    const key = JSON.stringify(cost);
    if (observed.length === 0 && count === findings && key === costKey) return;
    findings = count;
    costKey = key;
    send({ observed, findings: count, cost }).catch(() => {});
  };

  const unsubscribe = store.subscribe(() => {
    if (timer === undefined) timer = setTimeout(flush, intervalMs);
  });
  return () => {
    unsubscribe();
    if (timer !== undefined) clearTimeout(timer);
  };
}
