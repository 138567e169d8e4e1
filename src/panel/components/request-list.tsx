import { useEffect, useRef } from "preact/hooks";
import { formatClock } from "../../core/clock-time.js";
import { isErrorStatus } from "../../core/har/exchange.js";
import { parseHarTime } from "../../core/har/har-time.js";
import { providerLabel, statusLabel } from "../../core/labels.js";
import type { SessionEntry } from "../../core/session.js";
import { formatDuration, pathOf } from "../../ui/format.js";
import type { RequestSort, ShownEntries, SortColumn } from "../filters.js";
import { useVirtualWindow } from "../hooks.js";
import { FindingTag } from "./finding-tag.js";

/** Every row (and the header) is exactly this tall: the list computes, never measures, positions. */
export const ROW_HEIGHT = 20;

export interface RequestListProps {
  /** The requests shown, in the order shown. */
  items: ShownEntries;
  /** Session index of the selected request. */
  selected: number | undefined;
  onSelect: (index: number) => void;
  onOpen: (index: number) => void;
  onClose: () => void;
  sort: RequestSort;
  onSort: (sort: RequestSort) => void;
  /** Beside the detail pane: only the columns that tell requests apart. */
  compact?: boolean;
}

export interface Column {
  column: SortColumn;
  label: string;
  /** A first click sorts these the most first: the slowest, the worst findings. */
  firstDescending?: boolean;
}

export const COLUMNS: readonly Column[] = [
  { column: "time", label: "Time" },
  { column: "method", label: "Method" },
  { column: "status", label: "Status" },
  { column: "provider", label: "Provider" },
  { column: "code", label: "Code" },
  { column: "path", label: "Path" },
  { column: "duration", label: "Duration", firstDescending: true },
  { column: "findings", label: "Findings", firstDescending: true },
];

/** The sort a click on `column`'s header asks for: the same column reversed, or a new one. */
export function nextSort(current: RequestSort, column: Column): RequestSort {
  if (current.column === column.column) {
    return { column: column.column, descending: !current.descending };
  }
  return { column: column.column, descending: column.firstDescending === true };
}

function direction(sort: RequestSort): string {
  return sort.descending ? "descending" : "ascending";
}

/**
 * The column headers, as buttons outside the listbox: a listbox may hold only options, so
 * buttons inside it would be invalid ARIA that screen readers skip. The list stays a listbox
 * rather than a grid because a screen reader then reads a request as one option and the arrows
 * move one request at a time; a grid is read cell by cell, with a second axis the list has no
 * use for. Each button's name says its sort ("Status, sorted descending"), and a polite live
 * region announces a new sort, which a changed name on a focused button does not in every reader.
 */
function SortHeader({ sort, onSort }: { sort: RequestSort; onSort: (sort: RequestSort) => void }) {
  const active = COLUMNS.find((c) => c.column === sort.column);
  return (
    <fieldset class="row row-head" aria-label="Sort requests by">
      {COLUMNS.map((column) => {
        const on = column.column === sort.column;
        return (
          <button
            key={column.column}
            type="button"
            class={`cell c-${column.column} sort-button`}
            data-testid="sort-button"
            data-column={column.column}
            data-sort={on ? direction(sort) : undefined}
            aria-label={on ? `${column.label}, sorted ${direction(sort)}` : column.label}
            onClick={() => onSort(nextSort(sort, column))}
          >
            <span class="sort-label">{column.label}</span>
            {on ? (
              <span class="sort-arrow" aria-hidden="true">
                {sort.descending ? "▾" : "▴"}
              </span>
            ) : null}
          </button>
        );
      })}
      <span class="visually-hidden" aria-live="polite" data-testid="sort-status">
        {`Sorted by ${active?.label ?? sort.column}, ${direction(sort)}`}
      </span>
    </fieldset>
  );
}

function Row({ item, selected, odd }: { item: SessionEntry; selected: boolean; odd: boolean }) {
  const { entry, analysis } = item;
  // As the analysis reads them: no response is 0 (Playwright writes -1), times as HAR writes them.
  const status = item.status;
  const error = analysis.error;
  const start = parseHarTime(entry.startedDateTime);
  const classes = ["row"];
  if (isErrorStatus(status)) classes.push("row-error");
  if (item.findings.length > 0) classes.push("row-flagged");
  if (selected) classes.push("row-selected");
  if (odd) classes.push("row-odd");
  return (
    <div
      role="option"
      tabIndex={-1}
      id={`request-row-${item.index}`}
      class={classes.join(" ")}
      aria-selected={selected}
      data-testid="request-row"
      data-index={item.index}
      data-status={status}
      data-code={error?.code ?? ""}
    >
      <span class="cell c-time">{formatClock(start)}</span>
      <span class="cell c-method">{entry.request.method}</span>
      <span class="cell c-status">{statusLabel(status)}</span>
      <span class="cell c-provider">{providerLabel(analysis.hostProvider)}</span>
      <span class="cell c-code">{error?.code ?? ""}</span>
      <span class="cell c-path" title={entry.request.url}>
        {pathOf(entry.request.url)}
      </span>
      <span class="cell c-duration">{formatDuration(entry.time)}</span>
      <span class="cell c-findings">
        {item.findings.map((finding, i) => (
          <FindingTag key={i} finding={finding} />
        ))}
      </span>
    </div>
  );
}

/**
 * The requests as a listbox that renders only the rows in view (plus overscan) inside a box as
 * tall as all of them, so tens of thousands of requests scroll like a hundred. Focus stays on the
 * list; the selected row is its active descendant.
 */
export function RequestList({
  items,
  selected,
  onSelect,
  onOpen,
  onClose,
  sort,
  onSort,
  compact = false,
}: RequestListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const view = useVirtualWindow(scroller, items.length, ROW_HEIGHT, ROW_HEIGHT);
  const position = items.positionOf(selected);
  const { scrollIntoView } = view;

  useEffect(() => {
    if (position >= 0) scrollIntoView(position);
  }, [position, scrollIntoView]);

  const move = (to: number) => {
    const target = items.at(Math.max(0, Math.min(items.length - 1, to)));
    if (target !== undefined) onSelect(target.index);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const page = 10;
    switch (event.key) {
      case "ArrowDown":
        move(position < 0 ? 0 : position + 1);
        break;
      case "ArrowUp":
        move(position < 0 ? items.length - 1 : position - 1);
        break;
      case "PageDown":
        move(position + page);
        break;
      case "PageUp":
        move(position - page);
        break;
      case "Home":
        move(0);
        break;
      case "End":
        move(items.length - 1);
        break;
      case "Enter":
        if (selected !== undefined) onOpen(selected);
        break;
      case "Escape":
        onClose();
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  const onClick = (event: MouseEvent) => {
    const row = (event.target as Element | null)?.closest?.("[data-index]");
    const index = Number(row?.getAttribute("data-index"));
    if (row !== null && row !== undefined && Number.isInteger(index)) onOpen(index);
    // Clicking a row focuses it; the list keeps the keyboard.
    list.current?.focus();
  };

  const rows = [];
  for (let at = view.start; at < view.end; at++) {
    const item = items.at(at);
    if (item === undefined) continue;
    rows.push(
      <Row key={item.index} item={item} selected={item.index === selected} odd={at % 2 === 1} />,
    );
  }

  // The scroller holds the sticky header and the listbox, so that both scroll sideways together
  // and the header's buttons stay outside the listbox.
  return (
    <div
      class={compact ? "request-scroller compact" : "request-scroller"}
      ref={scroller}
      onScroll={view.onScroll}
    >
      <SortHeader sort={sort} onSort={onSort} />
      <div
        class="rows"
        ref={list}
        role="listbox"
        aria-label="Requests"
        tabIndex={0}
        aria-activedescendant={position >= 0 ? `request-row-${selected}` : undefined}
        onKeyDown={onKeyDown}
        onClick={onClick}
        style={{ height: `${items.length * ROW_HEIGHT}px` }}
      >
        <div style={{ transform: `translateY(${view.start * ROW_HEIGHT}px)` }}>{rows}</div>
      </div>
      {items.length === 0 ? <p class="empty">No requests match the filter.</p> : null}
    </div>
  );
}
