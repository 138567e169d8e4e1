import { useEffect, useRef, useState } from "preact/hooks";
import type { SkippedEntry } from "../core/har/parse-har.js";
import { plural } from "../core/labels.js";
import type { SessionEntry } from "../core/session.js";
import { errorMessage } from "../ui/error-message.js";
import { useInterval } from "../ui/use-interval.js";
import { chainsOf } from "./chains.js";
import { BudgetView } from "./components/budget-view.js";
import { DetailPane } from "./components/detail-pane.js";
import { FilterBar } from "./components/filter-bar.js";
import { FindingsView } from "./components/findings-view.js";
import { HostsView } from "./components/hosts-view.js";
import { RequestList } from "./components/request-list.js";
import { SessionCost } from "./components/session-cost.js";
import { TimelineView, timelineOf } from "./components/timeline-view.js";
import { Toolbar } from "./components/toolbar.js";
import { type ExportKind, exportFile } from "./exports.js";
import {
  DEFAULT_SORT,
  FilteredEntries,
  matchesFilter,
  NO_FILTER,
  type RequestFilter,
  type RequestSort,
} from "./filters.js";
import { useStore } from "./hooks.js";
import type { PanelPorts, ThemeName } from "./ports.js";
import type { PanelStore } from "./store.js";

export interface AppProps {
  store: PanelStore;
  ports: PanelPorts;
  theme: ThemeName;
  /** The clock budgets count down against; Date.now unless a test injects one. */
  now?: () => number;
}

type View = "requests" | "timeline" | "findings" | "budget" | "hosts";
const VIEWS: readonly { id: View; label: string }[] = [
  { id: "requests", label: "Requests" },
  { id: "timeline", label: "Timeline" },
  { id: "findings", label: "Findings" },
  { id: "budget", label: "Budget" },
  { id: "hosts", label: "Hosts" },
];

/** Reasons named in the import notice at most; the count covers the rest. */
const MAX_SKIPPED_SHOWN = 5;

/** " 2 entries skipped: index 3: has no request.url; index 7: ...", or "" when none was. */
export function unreadableNote(unreadable: readonly SkippedEntry[]): string {
  if (unreadable.length === 0) return "";
  const shown = unreadable
    .slice(0, MAX_SKIPPED_SHOWN)
    .map(({ index, reason }) => `index ${index}: ${reason}`);
  const more = unreadable.length - shown.length;
  const rest = more > 0 ? `; and ${more} more` : "";
  return ` ${plural(unreadable.length, "entry", "entries")} skipped: ${shown.join("; ")}${rest}.`;
}

export function App({ store, ports, theme, now = Date.now }: AppProps) {
  useStore(store);
  const session = store.session;
  const entries = session.entries;
  const recorded = store.source.kind === "file";
  const [view, setView] = useState<View>("requests");
  const [filter, setFilter] = useState<RequestFilter>(NO_FILTER);
  const [sort, setSort] = useState<RequestSort>(DEFAULT_SORT);
  const [selected, setSelected] = useState<SessionEntry | undefined>(undefined);
  const [detailOpen, setDetailOpen] = useState(false);
  const [importError, setImportError] = useState<string | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [dragging, setDragging] = useState(false);

  // The session's list grows in place: each redraw filters and places only the entries added
  // since the last. The selection is a session index, so it survives a new sort or filter.
  const filtered = useRef(new FilteredEntries());
  const shown = filtered.current.update(entries, filter, session.releases, sort);
  const hosts = session.hosts;
  // A host filter outlives a Clear: its option stays so the user can see and change it.
  const hostOptions =
    filter.host === "" || hosts.includes(filter.host) ? hosts : [...hosts, filter.host];

  // Countdowns move without new traffic: a redraw a second while the live budgets show.
  const [, setTicks] = useState(0);
  useInterval(() => setTicks((n) => n + 1), 1000, view === "budget" && !recorded);
  const clock = recorded ? session.latestTime : now();

  // A cleared or re-analysed session holds new entries: the old selection is gone with it.
  const current =
    selected !== undefined && session.entry(selected.index) === selected ? selected : undefined;

  const select = (index: number) => setSelected(session.entry(index));
  const open = (index: number) => {
    setSelected(session.entry(index));
    setDetailOpen(true);
  };
  const showRequest = (index: number) => {
    const item = session.entry(index);
    if (item === undefined) return;
    if (!matchesFilter(item, filter, filter.text.trim().toLowerCase())) setFilter(NO_FILTER);
    setSelected(item);
    setDetailOpen(true);
    setView("requests");
  };

  const reset = () => {
    setSelected(undefined);
    setDetailOpen(false);
    setImportError(undefined);
    setNotice(undefined);
  };

  const importText = (name: string, text: string) => {
    const result = store.importHar(name, text);
    if (!result.ok) {
      setImportError(`Could not import ${name}: ${result.message}`);
      return;
    }
    reset();
    setFilter(NO_FILTER);
    const others = result.added - result.apiRequests;
    const read = others === 0 ? "" : `, ${plural(others, "other request")}`;
    const preflights = result.skipped - result.unreadable.length;
    const skipped = preflights === 0 ? "" : `; ${plural(preflights, "CORS preflight")} left out`;
    setNotice(
      `Imported ${name}: ${plural(result.apiRequests, "API request")}${read}${skipped}.${unreadableNote(result.unreadable)}`,
    );
  };

  const importFile = (file: File) => {
    // Decoded as the CLI reads a file: UTF-8 with its byte-order mark kept for parseHar, which
    // drops one. File.text() would drop one more, and take a file the CLI refuses.
    file.arrayBuffer().then(
      (bytes) => importText(file.name, new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes)),
      (error: unknown) => setImportError(`Could not read ${file.name}: ${errorMessage(error)}`),
    );
  };

  // A file dropped anywhere on the panel is imported. The listeners are attached once and call
  // the latest importFile through a ref.
  const root = useRef<HTMLElement>(null);
  const importLatest = useRef(importFile);
  importLatest.current = importFile;
  useEffect(() => {
    const element = root.current;
    if (element === null) return;
    const over = (event: DragEvent) => {
      // Without this the browser opens a dropped file itself, replacing the panel.
      event.preventDefault();
      setDragging(true);
    };
    const leave = (event: DragEvent) => {
      const to = event.relatedTarget as Node | null;
      if (to === null || !element.contains(to)) setDragging(false);
    };
    const drop = (event: DragEvent) => {
      event.preventDefault();
      setDragging(false);
      const file = event.dataTransfer?.files?.[0];
      if (file !== undefined) importLatest.current(file);
    };
    element.addEventListener("dragover", over);
    element.addEventListener("dragleave", leave);
    element.addEventListener("drop", drop);
    return () => {
      element.removeEventListener("dragover", over);
      element.removeEventListener("dragleave", leave);
      element.removeEventListener("drop", drop);
    };
  }, []);

  const onExport = (kind: ExportKind) => {
    const file = exportFile(kind, {
      session,
      sourceName: store.source.kind === "file" ? store.source.name : undefined,
      now: clock,
    });
    ports.save(file.filename, file.mimeType, file.text);
  };

  // A tab list keeps one Tab stop: arrows, Home and End select a tab and move the focus with it,
  // so the ring and a screen reader's announcement follow the selection.
  const onTabKey = (event: KeyboardEvent) => {
    const at = VIEWS.findIndex((v) => v.id === view);
    const to: Record<string, number> = {
      ArrowRight: at + 1,
      ArrowLeft: at - 1,
      Home: 0,
      End: VIEWS.length - 1,
    };
    const target = to[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = VIEWS[(target + VIEWS.length) % VIEWS.length];
    if (next === undefined) return;
    setView(next.id);
    const list = (event.currentTarget as HTMLElement).parentElement;
    list?.querySelector<HTMLElement>(`#tab-${next.id}`)?.focus();
  };

  const chained = chainsOf(session);

  const counts: Partial<Record<View, number>> = {
    requests: entries.length,
    findings: session.findings.length,
  };

  return (
    <main
      ref={root}
      class={`ratelens ${theme === "dark" ? "theme-dark" : "theme-light"}${dragging ? " dragging" : ""}`}
    >
      <Toolbar
        preserveLog={store.preserveLog}
        onPreserveLog={(on) => store.setPreserveLog(on)}
        onClear={() => {
          store.clear();
          reset();
        }}
        onImport={importFile}
        onExport={onExport}
        canExport={entries.length > 0}
        source={store.source.kind === "file" ? `File: ${store.source.name}` : "Live capture"}
      />
      <SessionCost cost={chained.cost} />
      {importError === undefined ? null : (
        <div class="banner banner-error" role="alert">
          <span data-testid="import-error">{importError}</span>
          <button
            type="button"
            class="icon-button"
            aria-label="Dismiss the import error"
            onClick={() => setImportError(undefined)}
          >
            ×
          </button>
        </div>
      )}
      {notice === undefined ? null : (
        <div class="banner" role="status">
          {notice}
        </div>
      )}
      {session.released === 0 ? null : (
        <div class="banner" role="status" data-testid="bodies-released">
          {`Bodies of the oldest ${plural(session.released, "request")} were released to save memory: the newest ${(session.options.bodiesKept ?? 0).toLocaleString("en-US")} keep theirs (set on the options page). Their codes, findings and budgets stay.`}
        </div>
      )}
      <div class="tabs" role="tablist" aria-label="Views">
        {VIEWS.map(({ id, label }) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`tab-${id}`}
            data-testid={`tab-${id}`}
            aria-selected={view === id}
            aria-controls={`view-${id}`}
            tabIndex={view === id ? 0 : -1}
            class={view === id ? "tab tab-active" : "tab"}
            onClick={() => setView(id)}
            onKeyDown={onTabKey}
          >
            {label}
            {counts[id] === undefined ? null : <span class="tab-count">{counts[id]}</span>}
          </button>
        ))}
      </div>
      <div
        class="view"
        role="tabpanel"
        id={`view-${view}`}
        aria-labelledby={`tab-${view}`}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a tab panel is a Tab stop (WAI-ARIA's tabs pattern), so a view that scrolls (a long Budget, say) scrolls by keyboard.
        tabIndex={0}
      >
        {view === "requests" ? (
          <div class="requests-view">
            <FilterBar
              filter={filter}
              hosts={hostOptions}
              shown={shown.length}
              total={entries.length}
              onChange={setFilter}
            />
            <div class="split">
              {entries.length === 0 ? (
                <p class="empty">
                  {recorded
                    ? "The file has no requests to a Casola, Cuadra or other configured API host."
                    : "Waiting for requests to the Casola and Cuadra APIs (and hosts added in the options). Or import a HAR file: drop it here."}
                </p>
              ) : (
                <RequestList
                  items={shown}
                  selected={current?.index}
                  onSelect={select}
                  onOpen={open}
                  onClose={() => setDetailOpen(false)}
                  sort={sort}
                  onSort={setSort}
                  compact={detailOpen && current !== undefined}
                />
              )}
              {detailOpen && current !== undefined ? (
                <DetailPane item={current} ports={ports} onClose={() => setDetailOpen(false)} />
              ) : null}
            </div>
          </div>
        ) : null}
        {view === "timeline" ? (
          <TimelineView
            timeline={timelineOf(session)}
            windows={(host) => session.windows(host)}
            onShowRequest={showRequest}
          />
        ) : null}
        {view === "findings" ? (
          <FindingsView
            findings={session.findings}
            chains={chained.chains}
            entryAt={(index) => session.entry(index)}
            ports={ports}
            onShowRequest={showRequest}
          />
        ) : null}
        {view === "budget" ? (
          <BudgetView
            budgets={session.budgets(clock)}
            history={(host) => session.history(host)}
            windows={(host) => session.windows(host)}
            now={clock}
            recorded={recorded}
          />
        ) : null}
        {view === "hosts" ? (
          <HostsView
            settings={store.settings}
            onSave={(settings) => ports.saveSettings(settings)}
            permissions={ports}
          />
        ) : null}
      </div>
      {dragging ? (
        <div class="drop-overlay" aria-hidden="true">
          Drop a .har file to import it
        </div>
      ) : null}
    </main>
  );
}
