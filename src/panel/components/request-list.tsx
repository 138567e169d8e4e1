import { useEffect, useRef } from "preact/hooks";
import { formatClock } from "../../core/clock-time.js";
import { isErrorStatus } from "../../core/har/exchange.js";
import { parseHarTime } from "../../core/har/har-time.js";
import { providerLabel, statusLabel } from "../../core/labels.js";
import type { SessionEntry } from "../../core/session.js";
import { formatDuration, pathOf } from "../../ui/format.js";
import { useVirtualWindow } from "../hooks.js";
import { FindingTag } from "./finding-tag.js";

/** Every row (and the header) is exactly this tall: the list computes, never measures, positions. */
export const ROW_HEIGHT = 20;

export interface RequestListProps {
  items: readonly SessionEntry[];
  /** Session index of the selected request. */
  selected: number | undefined;
  onSelect: (index: number) => void;
  onOpen: (index: number) => void;
  onClose: () => void;
  /** Beside the detail pane: only the columns that tell requests apart. */
  compact?: boolean;
}

/** Position of session index `index` in `items` (sorted by index), or -1. */
export function positionOf(items: readonly SessionEntry[], index: number | undefined): number {
  if (index === undefined) return -1;
  let low = 0;
  let high = items.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const at = items[mid]?.index ?? 0;
    if (at === index) return mid;
    if (at < index) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
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
  compact = false,
}: RequestListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const view = useVirtualWindow(scroller, items.length, ROW_HEIGHT, ROW_HEIGHT);
  const position = positionOf(items, selected);
  const { scrollIntoView } = view;

  useEffect(() => {
    if (position >= 0) scrollIntoView(position);
  }, [position, scrollIntoView]);

  const move = (to: number) => {
    const target = items[Math.max(0, Math.min(items.length - 1, to))];
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
    scroller.current?.focus();
  };

  return (
    <div
      class={compact ? "request-scroller compact" : "request-scroller"}
      ref={scroller}
      role="listbox"
      aria-label="Requests"
      tabIndex={0}
      aria-activedescendant={position >= 0 ? `request-row-${selected}` : undefined}
      onScroll={view.onScroll}
      onKeyDown={onKeyDown}
      onClick={onClick}
    >
      <div class="row row-head" aria-hidden="true">
        <span class="cell c-time">Time</span>
        <span class="cell c-method">Method</span>
        <span class="cell c-status">Status</span>
        <span class="cell c-provider">Provider</span>
        <span class="cell c-code">Code</span>
        <span class="cell c-path">Path</span>
        <span class="cell c-duration">Duration</span>
        <span class="cell c-findings">Findings</span>
      </div>
      <div class="rows" style={{ height: `${items.length * ROW_HEIGHT}px` }}>
        <div style={{ transform: `translateY(${view.start * ROW_HEIGHT}px)` }}>
          {items.slice(view.start, view.end).map((item, i) => (
            <Row
              key={item.index}
              item={item}
              selected={item.index === selected}
              odd={(view.start + i) % 2 === 1}
            />
          ))}
        </div>
      </div>
      {items.length === 0 ? <p class="empty">No requests match the filter.</p> : null}
    </div>
  );
}
