import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import type { BudgetWindow } from "../../core/budget/windows.js";
import { formatClock } from "../../core/clock-time.js";
import type { Session } from "../../core/session.js";
import { timeTicks } from "../../core/time-axis.js";
import {
  marksIn,
  type StatusClass,
  type Timeline,
  TimelineBuilder,
  type TimelineLane,
  type TimelineMark,
} from "../../core/timeline/timeline.js";
import { formatDuration } from "../../ui/format.js";
import { chainsOf } from "../chains.js";
import { useVirtualWindow } from "../hooks.js";
import { drawLane, type LaneScene, laneColours, type SceneMark } from "./timeline-canvas.js";

/** One builder per session: each redraw reads only the entries added since the last. */
const builders = new WeakMap<Session, TimelineBuilder>();

/** The session's timeline, built as its entries arrive (the chains' rules from `chainsOf`). */
export function timelineOf(session: Session): Timeline {
  let builder = builders.get(session);
  if (builder === undefined) {
    builder = new TimelineBuilder();
    builders.set(session, builder);
  }
  return builder.update(session.entries, chainsOf(session).chains);
}

export const LANE_HEIGHT = 28;
const AXIS_HEIGHT = 22;
const LABEL_WIDTH = 260;
/** Before layout (or in a DOM without one) the plot assumes this width. */
const FALLBACK_PLOT_WIDTH = 720;
/** Marks closer than this many pixels are drawn as one group: a frame costs the pixels, not the requests. */
const GROUP_PX = 7;
const ZOOM_STEP = 1.5;
/** The narrowest range a zoom reaches. */
const MIN_SPAN_MS = 20;
const PAN_SHARE = 0.1;
/**
 * A zoom gesture ends this long after its last step: until then the marks keep the grid they were
 * grouped on and one transform per lane follows the zoom; then they are grouped for the new zoom.
 */
const SETTLE_MS = 200;

const STATUS_LABELS: Record<StatusClass, string> = {
  success: "2xx",
  "429": "429",
  "4xx": "4xx",
  "5xx": "5xx",
  none: "no response",
};

export interface TimeRange {
  from: number;
  until: number;
}

/** The whole session with a little room on each side, at least a second. */
export function fullRange(timeline: Pick<Timeline, "from" | "until">): TimeRange | undefined {
  if (!Number.isFinite(timeline.from) || !Number.isFinite(timeline.until)) return undefined;
  const span = Math.max(1000, timeline.until - timeline.from);
  const margin = span * 0.03;
  const middle = (timeline.from + timeline.until) / 2;
  return { from: middle - span / 2 - margin, until: middle + span / 2 + margin };
}

/** `range` zoomed by `factor` (below 1 zooms in) about the time `at`, kept inside `full`. */
export function zoomed(range: TimeRange, factor: number, at: number, full: TimeRange): TimeRange {
  const fullSpan = full.until - full.from;
  const span = Math.min(fullSpan, Math.max(MIN_SPAN_MS, (range.until - range.from) * factor));
  const share = (at - range.from) / (range.until - range.from);
  const from = at - span * (Number.isFinite(share) ? share : 0.5);
  return clamped({ from, until: from + span }, full);
}

/** `range` moved by `ms`, kept inside `full`. */
export function panned(range: TimeRange, ms: number, full: TimeRange): TimeRange {
  return clamped({ from: range.from + ms, until: range.until + ms }, full);
}

function clamped(range: TimeRange, full: TimeRange): TimeRange {
  const span = range.until - range.from;
  const from = Math.min(Math.max(range.from, full.from), full.until - span);
  return { from, until: from + span };
}

/** What a mark says to a screen reader and in its tip: "429 at 10:03:20.100, waited 0.2 s, server asked 10 s". */
export function describeMark(mark: TimelineMark, timeline: Pick<Timeline, "mark">): string {
  const status = mark.status > 0 ? String(mark.status) : "no response";
  const parts = [`${status} at ${formatClock(mark.start)}`];
  if (mark.retryOf !== undefined) {
    if (mark.waitMs !== undefined) parts.push(`waited ${formatDuration(mark.waitMs)}`);
    const asked = timeline.mark(mark.retryOf)?.statedWaitMs;
    parts.push(
      asked === undefined ? "server stated no wait" : `server asked ${formatDuration(asked)}`,
    );
  }
  if (mark.statedWaitMs !== undefined)
    parts.push(`its response asks to wait ${formatDuration(mark.statedWaitMs)}`);
  if (mark.wasted) parts.push("wasted");
  return parts.join(", ");
}

/** Requests drawn as one mark because they are too close to tell apart at this zoom. */
interface Group {
  marks: TimelineMark[];
  /** Its place on the zoom level's grid of GROUP_PX columns: the same while the view pans. */
  bucket: number;
  x0: number;
  x1: number;
}

/** Marks in one GROUP_PX column of the zoom level (`cx`: its x of a time) as one group. */
function groups(marks: readonly TimelineMark[], cx: (at: number) => number): Group[] {
  const out: Group[] = [];
  let current: Group | undefined;
  for (const mark of marks) {
    const at = cx(mark.start);
    const bucket = Math.floor(at / GROUP_PX);
    if (current !== undefined && bucket === current.bucket) {
      current.marks.push(mark);
      current.x1 = Math.max(current.x1, at);
    } else {
      current = { marks: [mark], bucket, x0: at, x1: at };
      out.push(current);
    }
  }
  return out;
}

function describeGroup(group: Group): string {
  const counts = new Map<StatusClass, number>();
  for (const mark of group.marks)
    counts.set(mark.statusClass, (counts.get(mark.statusClass) ?? 0) + 1);
  const first = group.marks[0] as TimelineMark;
  const last = group.marks[group.marks.length - 1] as TimelineMark;
  const statuses = [...counts].map(([kind, n]) => `${n} ${STATUS_LABELS[kind]}`).join(", ");
  const wasted = group.marks.filter((m) => m.wasted).length;
  return `${group.marks.length} requests from ${formatClock(first.start)} to ${formatClock(last.start)}: ${statuses}${wasted > 0 ? `, ${wasted} wasted` : ""}; Enter zooms in`;
}

/** The glyph of a status class, centred on 0,0: the shape tells the status without its colour. */
function Glyph({ kind }: { kind: StatusClass }) {
  switch (kind) {
    case "success":
      return <circle class="tl-glyph" r={4.5} />;
    case "429":
      return <path class="tl-glyph" d="M0 -6 L6 0 L0 6 L-6 0 Z" />;
    case "4xx":
      return <rect class="tl-glyph" x={-4.5} y={-4.5} width={9} height={9} />;
    case "5xx":
      return <path class="tl-glyph" d="M0 -6 L6 5 L-6 5 Z" />;
    default:
      return <path class="tl-glyph tl-cross" d="M-4 -4 L4 4 M4 -4 L-4 4" />;
  }
}

/** Windows of one kind drawn as one shaded span: those closer than MERGE_PX run together. */
interface Shade {
  kind: BudgetWindow["kind"];
  /** The start of its first window: the same while the view pans, so the span is moved, not made. */
  from: number;
  x0: number;
  x1: number;
  title: string;
}

/** Windows this close on screen are one shaded span: a gap under it cannot be seen. */
const MERGE_PX = 4;

/**
 * A host's windows inside the range as shaded spans, each kind merged where they touch at this
 * zoom: a host with thousands of Retry-After windows costs a lane a few rectangles. `x` places a
 * time on the lane's content and `[left, left + width]` is what shows of it: the spans are drawn
 * in the content's coordinates, as the marks are, so a pan moves them all with one transform and
 * changes only the spans at the edges.
 */
export function shades(
  windows: readonly BudgetWindow[],
  range: TimeRange,
  x: (at: number) => number,
  width: number,
  left = 0,
): Shade[] {
  const clip = (px: number) => Math.min(Math.max(px, left - 2), left + width + 2);
  const out: Shade[] = [];
  for (const kind of ["zero-budget", "retry-after"] as const) {
    let current:
      | { x0: number; x1: number; from: number; until: number; first: number; n: number }
      | undefined;
    const flush = () => {
      if (current === undefined) return;
      const name = kind === "retry-after" ? "Retry-After" : "budget at 0";
      const count = current.n === 1 ? name : `${name} (${current.n} windows)`;
      out.push({
        kind,
        from: current.first,
        x0: current.x0,
        x1: Math.max(current.x1, current.x0 + 1),
        title: `${count}: ${formatClock(current.from)} – ${formatClock(current.until)}`,
      });
    };
    for (const w of windows) {
      if (w.kind !== kind || w.until < range.from || w.from > range.until) continue;
      const x0 = clip(x(w.from));
      const x1 = clip(x(w.until));
      if (current !== undefined && x0 <= current.x1 + MERGE_PX) {
        current.x1 = Math.max(current.x1, x1);
        current.until = Math.max(current.until, w.until);
        current.n++;
      } else {
        flush();
        current = { x0, x1, from: w.from, until: w.until, first: w.from, n: 1 };
      }
    }
    flush();
  }
  return out;
}

export interface TimelineViewProps {
  timeline: Timeline;
  /** A host's Retry-After windows and zero-budget stretches (`Session.windows`). */
  windows: (host: string) => readonly BudgetWindow[];
  /** Selects the request in Requests. */
  onShowRequest: (index: number) => void;
}

interface Tip {
  text: string;
  left: number;
  top: number;
}

/**
 * Every retry chain and each host's other requests on one time axis. Only the lanes in the
 * scroll viewport and the marks inside the visible range are drawn, marks too close to tell
 * apart as one group: a frame costs what it shows, whatever the session's size.
 */
export function TimelineView({ timeline, windows, onShowRequest }: TimelineViewProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const [zoom, setZoom] = useState<TimeRange | undefined>(undefined);
  const [plotWidth, setPlotWidth] = useState(FALLBACK_PLOT_WIDTH);
  const [tip, setTip] = useState<Tip | undefined>(undefined);
  const drag = useRef<{ x: number; range: TimeRange; moved: boolean } | undefined>(undefined);
  const dragged = useRef(false);
  /**
   * The grid the marks' elements are grouped and placed on (x = 0 at `origin`, `span` across the
   * plot) and the range they are made for. A pan moves each lane's content and makes the marks
   * that enter; a zoom step, while its gesture lasts, leaves the elements as they are and only
   * moves and stretches each lane's content, while the canvas under them draws every mark at the
   * zoom's own scale. When the gesture settles, the elements are made again for the new zoom.
   */
  const anchor = useRef<{ span: number; origin: number; range: TimeRange } | undefined>(undefined);
  const zooming = useRef(false);
  const madeShades = useRef(
    new Map<
      string,
      { windows: readonly BudgetWindow[]; madeFor: TimeRange; grid: string; made: Shade[] }
    >(),
  );
  const settleTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [, setSettled] = useState(0);
  useEffect(() => () => clearTimeout(settleTimer.current), []);
  const lanes = timeline.lanes;
  const view = useVirtualWindow(scroller, lanes.length, LANE_HEIGHT, AXIS_HEIGHT, 4);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (element === null) return;
    const measure = () => {
      const width = element.clientWidth - LABEL_WIDTH;
      setPlotWidth(width > 40 ? width : FALLBACK_PLOT_WIDTH);
    };
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const full = fullRange(timeline);
  if (full === undefined) {
    return (
      <div class="timeline" data-testid="timeline">
        <p class="empty">No requests yet: the timeline draws each one as it arrives.</p>
      </div>
    );
  }
  const range = zoom === undefined ? full : clampToFull(zoom, full);
  const span = range.until - range.from;
  const x = (at: number) => ((at - range.from) / span) * plotWidth;
  const timeAt = (px: number) => range.from + (px / plotWidth) * span;
  if (
    anchor.current === undefined ||
    !Number.isFinite(anchor.current.origin) ||
    !Number.isFinite(anchor.current.span)
  ) {
    anchor.current = { span, origin: range.from, range };
  } else if (!zooming.current) {
    if (anchor.current.span !== span) anchor.current = { span, origin: range.from, range };
    else anchor.current.range = range;
  }
  const { origin, span: gridSpan, range: madeFor } = anchor.current;
  const cx = (at: number) => ((at - origin) / gridSpan) * plotWidth;
  /** How much wider the view draws the grid than it was laid out. */
  const scale = gridSpan / span;
  const offset = cx(range.from) * scale;
  const ticks = timeTicks(range.from, range.until, Math.max(2, Math.floor(plotWidth / 90)));

  /** A zoom step of a gesture: the marks are grouped for it once the gesture settles. */
  const zoomBy = (factor: number, at = (range.from + range.until) / 2) => {
    zooming.current = true;
    clearTimeout(settleTimer.current);
    settleTimer.current = setTimeout(() => {
      zooming.current = false;
      setSettled((n) => n + 1);
    }, SETTLE_MS);
    setZoom(zoomed(range, factor, at, full));
  };
  /** A jump to a range (reset, a group's requests): drawn at once on the new grid. */
  const jumpTo = (next: TimeRange | undefined) => {
    zooming.current = false;
    clearTimeout(settleTimer.current);
    setZoom(next);
  };
  const panBy = (ms: number) => setZoom(panned(range, ms, full));
  const reset = () => jumpTo(undefined);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target as Element | null;
    const markTime = Number((target as HTMLElement | SVGElement | null)?.dataset?.at);
    const about = Number.isFinite(markTime) ? markTime : undefined;
    let handled = true;
    switch (event.key) {
      case "+":
      case "=":
        zoomBy(1 / ZOOM_STEP, about);
        break;
      case "-":
      case "_":
        zoomBy(ZOOM_STEP, about);
        break;
      case "0":
      case "Home":
        reset();
        break;
      case "ArrowLeft":
      case "ArrowRight":
        // The focused mark may leave the range: the focus stays on the timeline.
        if (target !== scroller.current) scroller.current?.focus();
        panBy((event.key === "ArrowLeft" ? -1 : 1) * span * PAN_SHARE);
        break;
      case "ArrowUp":
      case "ArrowDown":
        if (target !== scroller.current) scroller.current?.focus();
        if (scroller.current !== null)
          scroller.current.scrollTop += (event.key === "ArrowUp" ? -1 : 1) * LANE_HEIGHT;
        view.onScroll();
        break;
      default:
        handled = false;
    }
    if (handled) event.preventDefault();
  };

  const plotX = (event: MouseEvent) => {
    const plot = (event.currentTarget as Element).getBoundingClientRect();
    return event.clientX - plot.left - LABEL_WIDTH;
  };

  const onWheel = (event: WheelEvent) => {
    const px = plotX(event);
    // Over the labels the wheel scrolls the lanes.
    if (px < 0 || event.deltaY === 0) return;
    event.preventDefault();
    const factor = Math.exp(Math.max(-1, Math.min(1, event.deltaY * 0.002)));
    zoomBy(factor, Number.isFinite(px) ? timeAt(px) : undefined);
  };

  const onPointerDown = (event: PointerEvent) => {
    if (event.button !== 0 || plotX(event) < 0) return;
    drag.current = { x: event.clientX, range, moved: false };
  };
  const onPointerMove = (event: PointerEvent) => {
    const started = drag.current;
    if (started === undefined) return;
    // The button went up outside the plot: that drag is over.
    if ((event.buttons & 1) === 0) {
      drag.current = undefined;
      return;
    }
    const dx = event.clientX - started.x;
    if (!started.moved && Math.abs(dx) < 4) return;
    started.moved = true;
    const ms = (-dx / plotWidth) * (started.range.until - started.range.from);
    setZoom(panned(started.range, ms, full));
  };
  const onPointerUp = () => {
    // The click that ends a drag selects nothing.
    dragged.current = drag.current?.moved === true;
    drag.current = undefined;
  };
  const onClickCapture = (event: MouseEvent) => {
    if (dragged.current) {
      event.stopPropagation();
      event.preventDefault();
    }
    dragged.current = false;
  };

  const showTip = (text: string, event: Event) => {
    const mark = (event.currentTarget as Element).getBoundingClientRect();
    const box = root.current?.getBoundingClientRect();
    setTip({ text, left: mark.left - (box?.left ?? 0), top: mark.bottom - (box?.top ?? 0) + 4 });
  };
  const hideTip = () => setTip(undefined);

  const shown = lanes.slice(view.start, view.end);
  // Each host's windows once per redraw, however many of its lanes are in view: as the elements
  // are made (on the grid, for their range) and as the canvas draws them (in view).
  const shadedByHost = new Map<string, { made: Shade[]; seen: Shade[] }>();
  const grid = `${origin}:${gridSpan}:${plotWidth}`;
  const shadesOf = (host: string) => {
    let found = shadedByHost.get(host);
    if (found === undefined) {
      const all = windows(host);
      // The elements' windows stay the same array while they do, so a lane's elements are kept.
      let kept = madeShades.current.get(host);
      if (kept?.windows !== all || kept.madeFor !== madeFor || kept.grid !== grid) {
        kept = {
          windows: all,
          madeFor,
          grid,
          made: shades(all, madeFor, cx, plotWidth, cx(madeFor.from)),
        };
        madeShades.current.set(host, kept);
      }
      const made = kept.made;
      const seen =
        madeFor === range ? made : shades(all, range, (at) => cx(at) * scale, plotWidth, offset);
      found = { made, seen };
      shadedByHost.set(host, found);
    }
    return found;
  };

  return (
    <div
      class="timeline"
      data-testid="timeline"
      data-from={String(Math.round(range.from))}
      data-until={String(Math.round(range.until))}
      ref={root}
    >
      <div class="timeline-bar">
        <button type="button" onClick={() => zoomBy(1 / ZOOM_STEP)} aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={() => zoomBy(ZOOM_STEP)} aria-label="Zoom out">
          −
        </button>
        <button type="button" onClick={reset} disabled={zoom === undefined}>
          Reset
        </button>
        <span class="timeline-range" data-testid="timeline-range">
          {`${formatClock(range.from)} – ${formatClock(range.until)} (${formatDuration(span)})`}
        </span>
        <span class="timeline-hint" id="timeline-keys" data-testid="timeline-hint">
          Wheel or + / − zoom, drag or ← → pan, ↑ ↓ scroll the lanes, 0 or Home resets; Tab reaches
          each mark, Enter selects its request.
        </span>
      </div>
      <ul class="timeline-legend" aria-label="Legend">
        {(Object.keys(STATUS_LABELS) as StatusClass[]).map((kind) => (
          <li key={kind}>
            <svg width="14" height="14" viewBox="-7 -7 14 14" aria-hidden="true">
              <g class={`tl-mark tl-${kind}`}>
                <Glyph kind={kind} />
              </g>
            </svg>
            {STATUS_LABELS[kind]}
          </li>
        ))}
        <li>
          <svg width="14" height="14" viewBox="-7 -7 14 14" aria-hidden="true">
            <circle class="tl-wasted" r={6} />
          </svg>
          wasted attempt
        </li>
        <li>
          <span class="tl-swatch tl-window-retry-after" aria-hidden="true" />
          Retry-After window
        </li>
        <li>
          <span class="tl-swatch tl-window-zero-budget" aria-hidden="true" />
          budget at 0
        </li>
      </ul>
      <div
        class="timeline-scroller"
        ref={scroller}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the plot itself takes the zoom and pan keys.
        tabIndex={0}
        role="application"
        aria-label={`Timeline of ${lanes.length} lanes, ${formatClock(range.from)} to ${formatClock(range.until)}`}
        aria-describedby="timeline-keys"
        data-testid="timeline-plot"
        onScroll={view.onScroll}
        onKeyDown={onKeyDown}
        onWheel={onWheel}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onClickCapture={onClickCapture}
      >
        <div class="timeline-axis" aria-hidden="true">
          <div class="timeline-axis-label">{`${lanes.length} lanes`}</div>
          <svg
            class="timeline-axis-ticks"
            width={plotWidth}
            height={AXIS_HEIGHT}
            aria-hidden="true"
          >
            {ticks.map((tick) => (
              <g key={tick.at} transform={`translate(${x(tick.at)},0)`}>
                <line class="tl-tick" y1={AXIS_HEIGHT - 5} y2={AXIS_HEIGHT} />
                <text class="tl-tick-label" x={3} y={12}>
                  {tick.label}
                </text>
              </g>
            ))}
          </svg>
        </div>
        <div class="timeline-lanes" style={{ height: `${lanes.length * LANE_HEIGHT}px` }}>
          <ul
            class="timeline-lane-list"
            aria-label="Lanes"
            style={{ transform: `translateY(${view.start * LANE_HEIGHT}px)` }}
          >
            {shown.map((lane, i) => (
              <LaneRow
                key={lane.key}
                lane={lane}
                odd={(view.start + i) % 2 === 1}
                timeline={timeline}
                range={range}
                madeFor={madeFor}
                grid={grid}
                width={plotWidth}
                cx={cx}
                scale={scale}
                offset={offset}
                shades={shadesOf(lane.host)}
                onShowRequest={onShowRequest}
                onZoom={(group) =>
                  jumpTo(
                    clamped(
                      {
                        from: (group.marks[0] as TimelineMark).start - 50,
                        until:
                          Math.max(
                            ...group.marks.map((m) => m.end),
                            (group.marks[0] as TimelineMark).start + MIN_SPAN_MS,
                          ) + 50,
                      },
                      full,
                    ),
                  )
                }
                onTip={showTip}
                onTipEnd={hideTip}
              />
            ))}
          </ul>
        </div>
      </div>
      {tip === undefined ? null : (
        <div
          class="timeline-tip"
          data-testid="timeline-tip"
          aria-hidden="true"
          style={{ left: `${Math.max(0, tip.left)}px`, top: `${tip.top}px` }}
        >
          {tip.text}
        </div>
      )}
    </div>
  );
}

function clampToFull(range: TimeRange, full: TimeRange): TimeRange {
  const span = Math.min(range.until - range.from, full.until - full.from);
  return clamped({ from: range.from, until: range.from + span }, full);
}

interface LaneRowProps {
  lane: TimelineLane;
  odd: boolean;
  timeline: Timeline;
  range: TimeRange;
  /** The range the marks' elements are made for: the range in view, but during a zoom gesture. */
  madeFor: TimeRange;
  /** The grid `cx` places on: the lane's elements are kept while it and `madeFor` are. */
  grid: string;
  width: number;
  /** A time's x on the grid's content, which `scale` stretches and `offset` shifts into view. */
  cx: (at: number) => number;
  scale: number;
  offset: number;
  /** The host's windows on the grid for `madeFor`, and in view for the canvas. */
  shades: { made: readonly Shade[]; seen: readonly Shade[] };
  onShowRequest: (index: number) => void;
  onZoom: (group: Group) => void;
  onTip: (text: string, event: Event) => void;
  onTipEnd: () => void;
}

function laneLabel(lane: TimelineLane): string {
  if (lane.kind === "single") return `${lane.host}: single requests`;
  const path = lane.url.replace(/^[a-z]+:\/\//i, "");
  return `${lane.method} ${path}`;
}

function LaneRow(props: LaneRowProps) {
  const { lane, range, madeFor, width, cx, scale, offset, timeline } = props;
  const mid = LANE_HEIGHT / 2;
  const label = laneLabel(lane);
  const drawn = useMemo(
    () => groups(marksIn(lane, madeFor.from, madeFor.until), cx),
    [lane, timeline, madeFor, props.grid],
  );
  const clip = (px: number) => Math.min(px, cx(madeFor.from) + width + 10);
  // What the canvas draws: the marks in view, grouped at the view's own scale.
  const seen =
    madeFor === range
      ? drawn
      : groups(marksIn(lane, range.from, range.until), (at) => cx(at) * scale);
  const canvas = useRef<HTMLCanvasElement>(null);
  // Each render draws the lane at the view's scale: the marks' shapes never stretch.
  useLayoutEffect(() => {
    const element = canvas.current;
    const ctx = element?.getContext("2d");
    if (element === null || element === undefined || ctx === null || ctx === undefined) return;
    const ratio = window.devicePixelRatio || 1;
    const pixels = Math.round(width * ratio);
    if (element.width !== pixels) element.width = pixels;
    if (element.height !== Math.round(LANE_HEIGHT * ratio))
      element.height = Math.round(LANE_HEIGHT * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    // `seen` and the windows in view are placed at the view's scale already.
    const scene: LaneScene = {
      height: LANE_HEIGHT,
      width,
      scale: 1,
      offset,
      shades: props.shades.seen,
      marks: seen.map((group): SceneMark => {
        const first = group.marks[0] as TimelineMark;
        return group.marks.length === 1
          ? {
              kind: first.statusClass,
              x0: group.x0,
              x1: group.x0,
              end: cx(first.end) * scale,
              wasted: first.wasted,
              group: false,
            }
          : {
              kind: worstClass(group.marks),
              x0: group.x0,
              x1: group.x1,
              wasted: group.marks.some((m) => m.wasted),
              group: true,
            };
      }),
    };
    drawLane(ctx, scene, laneColours(element));
  });
  const attempts = lane.marks.length;
  const rules = lane.rules.length === 0 ? "" : `, ${lane.rules.join(", ")}`;
  const activate = (event: Event, group: Group) => {
    event.stopPropagation();
    if (group.marks.length === 1) props.onShowRequest((group.marks[0] as TimelineMark).index);
    else props.onZoom(group);
  };
  /** What makes a mark or a group a button: its name, Enter or a click, its tip on hover or focus. */
  const operable = (group: Group, text: string) => ({
    // An SVG mark: a <button> cannot sit in an SVG, so the role says what it is.
    role: "button" as const,
    tabIndex: 0,
    "aria-label": text,
    onClick: (event: MouseEvent) => activate(event, group),
    onKeyDown: (event: KeyboardEvent) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        activate(event, group);
      }
    },
    onMouseEnter: (event: MouseEvent) => props.onTip(text, event),
    onMouseLeave: props.onTipEnd,
    onFocus: (event: FocusEvent) => props.onTip(text, event),
    onBlur: props.onTipEnd,
  });
  // A zoom gesture keeps `madeFor` and the grid: the lane's elements are not made again (the
  // handlers in them act the same when remade).
  const made = useMemo(
    () => (
      <>
        {props.shades.made.map((shade) => (
          <rect
            key={`${shade.kind}${shade.from}`}
            class={`tl-window tl-window-${shade.kind}`}
            data-testid="timeline-window"
            data-kind={shade.kind}
            x={shade.x0}
            width={shade.x1 - shade.x0}
            y={1}
            height={LANE_HEIGHT - 2}
          >
            <title>{shade.title}</title>
          </rect>
        ))}
        {drawn.map((group) => {
          const first = group.marks[0] as TimelineMark;
          if (group.marks.length === 1) {
            const x0 = cx(first.start);
            const x1 = clip(cx(first.end));
            const text = describeMark(first, timeline);
            return (
              <g
                key={first.index}
                class={`tl-mark tl-${first.statusClass}${first.wasted ? " tl-mark-wasted" : ""}`}
                {...operable(group, text)}
                data-testid="timeline-mark"
                data-index={first.index}
                data-status={first.status}
                data-wasted={first.wasted ? "true" : undefined}
                data-retry-of={first.retryOf}
                data-at={first.start}
              >
                {x1 - x0 > 3 ? <line class="tl-span" x1={x0} x2={x1} y1={mid} y2={mid} /> : null}
                <g transform={`translate(${x0},${mid})`}>
                  {first.wasted ? <circle class="tl-wasted" r={8.5} /> : null}
                  <Glyph kind={first.statusClass} />
                </g>
              </g>
            );
          }
          const text = describeGroup(group);
          const wasted = group.marks.some((m) => m.wasted);
          const kind = worstClass(group.marks);
          return (
            <g
              key={`g${group.bucket}`}
              class={`tl-mark tl-group tl-${kind}${wasted ? " tl-mark-wasted" : ""}`}
              {...operable(group, text)}
              data-testid="timeline-group"
              data-count={group.marks.length}
              data-at={first.start}
            >
              <rect
                class={`tl-group-box${wasted ? " tl-group-wasted" : ""}`}
                x={group.x0 - 5}
                y={mid - 6}
                width={group.x1 - group.x0 + 10}
                height={12}
                rx={3}
              />
              <g transform={`translate(${group.x0},${mid})`}>
                <Glyph kind={kind} />
              </g>
            </g>
          );
        })}
      </>
    ),
    [lane, timeline, madeFor, props.grid, props.shades.made, width],
  );
  return (
    <li
      class={`timeline-lane${props.odd ? " timeline-lane-odd" : ""}`}
      data-testid="timeline-lane"
      data-key={lane.key}
      data-kind={lane.kind}
      data-host={lane.host}
      data-rules={lane.rules.join(" ")}
    >
      <div class="timeline-lane-label" title={label}>
        <span class="timeline-lane-name">{label}</span>
        {lane.rules.map((rule) => (
          <span
            key={rule}
            class={`tag severity-${lane.severity ?? "info"}`}
            data-testid="timeline-rule"
          >
            {rule}
          </span>
        ))}
      </div>
      <div class="timeline-lane-plot" style={{ width: `${width}px` }}>
        <canvas
          class="timeline-lane-canvas"
          ref={canvas}
          style={{ width: `${width}px`, height: `${LANE_HEIGHT}px` }}
        />
        <svg class="timeline-lane-marks" width={width} height={LANE_HEIGHT}>
          <title>{`${label}: ${attempts} ${attempts === 1 ? "request" : "requests"}${rules}`}</title>
          <g transform={`translate(${-offset},0) scale(${scale},1)`}>{made}</g>
        </svg>
      </div>
    </li>
  );
}

/** The class a group is drawn in: its most telling status (no response, 5xx, 429, 4xx, then 2xx). */
function worstClass(marks: readonly TimelineMark[]): StatusClass {
  const order: StatusClass[] = ["none", "5xx", "429", "4xx", "success"];
  let best = order.length - 1;
  for (const mark of marks) best = Math.min(best, order.indexOf(mark.statusClass));
  return order[best] as StatusClass;
}
