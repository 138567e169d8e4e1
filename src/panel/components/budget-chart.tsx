import { useLayoutEffect, useRef, useState } from "preact/hooks";
import type { BudgetWindow } from "../../core/budget/windows.js";
import { formatClockSeconds } from "../../core/clock-time.js";
import type { BudgetSample } from "../../core/session.js";
import { timeTicks, valueTicks } from "../../core/time-axis.js";
import {
  type ChartModel,
  type ChartSeries,
  chartModel,
  type ResetMark,
} from "./budget-chart-model.js";

/** Until the card is measured (and where nothing is laid out, as in a test's DOM). */
const DEFAULT_WIDTH = 320;
const HEIGHT = 170;
/** Room for the axis title and the reset markers' names above the plot, the times below it. */
const TOP = 28;
const BOTTOM = 20;
const RIGHT = 26;
/** A tick label's room: "10:03:20" is about 45 px at the chart's 10 px. */
const TIME_TICK_SPACING = 70;
const VALUE_TICK_SPACING = 26;
const CHAR_WIDTH = 6;
/** Four line styles, colour and dash each (panel.css), reused past the fourth meter. */
const STYLES = 4;

function figure(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** The chart's width: the card's, so that text keeps its size and ticks their spacing. */
function useWidth(ref: { current: HTMLElement | null }): number {
  const [width, setWidth] = useState(DEFAULT_WIDTH);
  useLayoutEffect(() => {
    const element = ref.current;
    if (element === null) return;
    const measure = () => {
      if (element.clientWidth > 0) setWidth(element.clientWidth);
    };
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

/** A step line: each sample's value holds until the next one; an unknown value leaves a gap. */
function stepPath(
  series: ChartSeries,
  x: (at: number) => number,
  y: (value: number) => number,
  now: number,
): string {
  const parts: string[] = [];
  let drawing = false;
  for (const point of series.points) {
    const px = x(point.at).toFixed(1);
    if (point.value === null) {
      if (drawing) parts.push(`H${px}`);
      drawing = false;
      continue;
    }
    const py = y(point.value).toFixed(1);
    parts.push(drawing ? `H${px}V${py}` : `M${px},${py}`);
    drawing = true;
  }
  if (drawing) parts.push(`H${x(now).toFixed(1)}`);
  return parts.join("");
}

function axisTitle(model: ChartModel): string {
  if (model.scale === "share") return "Remaining, % of each meter's limit";
  const units = new Set(model.series.map((s) => s.unit));
  return units.size === 1 ? `Remaining ${[...units][0]}` : "Remaining";
}

function resetWords(mark: ResetMark, later: boolean): string {
  const names = mark.meters.join(" and ");
  return `${names} reset${mark.meters.length === 1 ? "s" : ""} at ${formatClockSeconds(mark.at)}${later ? ", after the chart's end" : ""}`;
}

/** What the chart shows, in words: the screen reader's whole chart. */
function describe(host: string, model: ChartModel): string {
  const share = model.scale === "share" ? ", each meter as a share of its own limit" : "";
  const meters = model.series.map((series) => {
    const known = series.points.filter((p) => p.remaining !== null);
    const start = known[0]?.remaining;
    const now = series.points[series.points.length - 1]?.remaining ?? null;
    const of = series.limit === null ? "of an unknown limit" : `of ${figure(series.limit)}`;
    const drawn = series.drawable ? "" : ", not drawn: no limit known";
    return start === undefined || start === null
      ? `${series.name}: not known${drawn}`
      : `${series.name}: ${figure(start)} at the start, ${now === null ? "not known" : figure(now)} now, ${of}${drawn}`;
  });
  const resets = [
    ...model.resets.map((r) => resetWords(r, false)),
    ...model.laterResets.map((r) => resetWords(r, true)),
  ];
  const retry = model.retryAfter.map(
    (w) => `Retry-After from ${formatClockSeconds(w.from)} to ${formatClockSeconds(w.until)}`,
  );
  return [
    `Remaining budget of ${host} from ${formatClockSeconds(model.from)} to ${formatClockSeconds(model.now)}${share}`,
    ...meters,
    ...resets,
    ...retry,
  ].join(". ");
}

/** The meter's point in force at `at`: the latest sample taken at or before it. */
function pointAt(series: ChartSeries, at: number): ChartSeries["points"][number] | undefined {
  let found: ChartSeries["points"][number] | undefined;
  for (const point of series.points) {
    if (point.at > at) break;
    found = point;
  }
  return found;
}

/**
 * The chart's figures at each labelled time up to now, and now: what a sighted reader takes from
 * the lines, for a screen reader's table navigation. Hidden from sight.
 */
function DataTable({ host, model, times }: { host: string; model: ChartModel; times: number[] }) {
  const rows = [...times.filter((at) => at < model.now), model.now];
  const cell = (series: ChartSeries, at: number) => {
    const point = pointAt(series, at);
    if (point === undefined || point.remaining === null) return "not known";
    const share =
      model.scale === "share" && point.value !== null ? ` (${Math.round(point.value)}%)` : "";
    return `${figure(point.remaining)}${share}`;
  };
  return (
    // Hidden by the box around it: a table's caption is drawn outside the table's own box.
    <div class="visually-hidden">
      <table data-testid="chart-data">
        <caption>Remaining budget of {host} at each time on the chart's axis, and now</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            {model.series.map((series) => (
              <th key={series.name} scope="col">
                {series.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((at, i) => (
            <tr key={at}>
              <th scope="row">
                {formatClockSeconds(at)}
                {i === rows.length - 1 ? " (now)" : ""}
              </th>
              {model.series.map((series) => (
                <td key={series.name}>{cell(series, at)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Legend({ model }: { model: ChartModel }) {
  return (
    <ul class="chart-legend" aria-label="Legend">
      {model.series.map((series, i) => (
        <li key={series.name} data-testid="chart-legend-item" data-meter={series.name}>
          <svg class="chart-swatch" width="28" height="10" aria-hidden="true">
            <line class={`chart-line chart-meter-${i % STYLES}`} x1="1" y1="5" x2="27" y2="5" />
          </svg>
          {series.name}
          {series.drawable ? (
            model.scale === "share" && series.limit !== null ? (
              <span class="chart-legend-note"> (100% = {figure(series.limit)})</span>
            ) : null
          ) : (
            <span class="chart-legend-note"> (no limit known: not drawn)</span>
          )}
        </li>
      ))}
      {model.resets.length > 0 ? (
        <li data-testid="chart-legend-reset">
          <svg class="chart-swatch" width="28" height="10" aria-hidden="true">
            <line class="chart-reset" x1="14" y1="0" x2="14" y2="10" />
          </svg>
          reset
        </li>
      ) : null}
      {model.retryAfter.length > 0 ? (
        <li data-testid="chart-legend-retry-after">
          <svg class="chart-swatch" width="28" height="10" aria-hidden="true">
            <rect class="chart-retry-after" x="4" y="0" width="20" height="10" />
          </svg>
          Retry-After
        </li>
      ) : null}
    </ul>
  );
}

/** A reset label's width at the chart's 9 px. */
const LABEL_CHAR_WIDTH = 5.5;

/**
 * Each reset's marker and label: above the plot, or, where it would run into the label before
 * it, just inside the plot beside its marker.
 */
function placeResets(model: ChartModel, x: (at: number) => number, right: number) {
  let freeFrom = Number.NEGATIVE_INFINITY;
  return [...model.resets]
    .sort((a, b) => a.at - b.at)
    .map((mark) => {
      const at = x(mark.at);
      const label = model.series.length > 1 ? `${mark.meters.join(", ")} reset` : "reset";
      const width = label.length * LABEL_CHAR_WIDTH;
      const start = at > right - 30 ? at - width : at - width / 2;
      const row = start < freeFrom ? 1 : 0;
      if (row === 0) freeFrom = start + width + 4;
      return { mark, at, label, row };
    });
}

export interface BudgetChartProps {
  host: string;
  samples: readonly BudgetSample[];
  /** The host's budget windows: the Retry-After ones are shaded. */
  windows: readonly BudgetWindow[];
  now: number;
}

/**
 * A host's remaining budget over the session, one step line per meter, with a time axis, a value
 * axis, the coming resets marked and the Retry-After windows shaded.
 */
export function BudgetChart({ host, samples, windows, now }: BudgetChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref);
  const model = chartModel(samples, windows, now);
  if (model === null) return null;

  const valueLabels = valueTicks(
    0,
    model.top,
    Math.floor((HEIGHT - TOP - BOTTOM) / VALUE_TICK_SPACING),
  )
    .filter((t) => t.at >= 0 && t.at <= model.top)
    .map((t) => ({ ...t, label: model.scale === "share" ? `${t.label}%` : t.label }));
  // Wide enough for the value labels, and for half of the first time label.
  const left = Math.max(30, 8 + CHAR_WIDTH * Math.max(...valueLabels.map((t) => t.label.length)));
  const plotWidth = Math.max(40, width - left - RIGHT);
  const bottom = HEIGHT - BOTTOM;
  const x = (at: number) => left + ((at - model.from) / (model.until - model.from)) * plotWidth;
  const y = (value: number) =>
    bottom - (Math.max(0, Math.min(value, model.top)) / model.top) * (bottom - TOP);
  const fit = Math.max(2, Math.floor(plotWidth / TIME_TICK_SPACING));
  let times = timeTicks(model.from, model.until, fit);
  // The roundest step that fits can leave one tick in the span (61 s on minutes), and an axis
  // needs two labels to be read: allowing more ticks takes shorter steps. Steps grow at most
  // 2.5-fold, so six allowed (five steps in the span) always give two.
  for (let more = 1; times.length < 2 && fit + more <= 6; more++) {
    times = timeTicks(model.from, model.until, fit + more);
  }
  const right = left + plotWidth;

  return (
    <div class="budget-chart" data-testid="budget-chart" ref={ref}>
      <svg
        class="chart-plot"
        role="img"
        aria-label={describe(host, model)}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        width={width}
        height={HEIGHT}
        data-scale={model.scale}
      >
        <text class="chart-axis-title" data-testid="chart-value-title" x={left} y="10">
          {axisTitle(model)}
        </text>
        {model.retryAfter.map((w) => (
          <rect
            key={w.from}
            class="chart-retry-after"
            data-testid="chart-retry-after"
            x={x(w.from).toFixed(1)}
            y={TOP}
            width={Math.max(1, x(w.until) - x(w.from)).toFixed(1)}
            height={bottom - TOP}
          />
        ))}
        {valueLabels.map((tick) => (
          <g key={tick.at}>
            <line class="chart-grid" x1={left} x2={right} y1={y(tick.at)} y2={y(tick.at)} />
            <text
              class="chart-tick-label"
              data-testid="chart-value-tick"
              x={left - 4}
              y={y(tick.at)}
              text-anchor="end"
              dominant-baseline="middle"
            >
              {tick.label}
            </text>
          </g>
        ))}
        <line
          class="chart-axis"
          data-testid="chart-time-axis"
          x1={left}
          x2={right}
          y1={bottom}
          y2={bottom}
        />
        <line
          class="chart-axis"
          data-testid="chart-value-axis"
          x1={left}
          x2={left}
          y1={TOP}
          y2={bottom}
        />
        {times.map((tick) => (
          <g key={tick.at}>
            <line class="chart-axis" x1={x(tick.at)} x2={x(tick.at)} y1={bottom} y2={bottom + 3} />
            <text
              class="chart-tick-label"
              data-testid="chart-time-tick"
              data-x={x(tick.at).toFixed(1)}
              x={x(tick.at)}
              y={HEIGHT - 5}
              text-anchor="middle"
            >
              {tick.label}
            </text>
          </g>
        ))}
        {model.now < model.until ? (
          <line class="chart-now" x1={x(model.now)} x2={x(model.now)} y1={TOP} y2={bottom} />
        ) : null}
        {placeResets(model, x, right).map(({ mark, at, label, row }) => (
          <g
            key={mark.at}
            data-testid="chart-reset"
            data-meters={mark.meters.join(" ")}
            data-binding={mark.binding ? "true" : "false"}
          >
            <line class="chart-reset" x1={at} x2={at} y1={TOP - 4} y2={bottom} />
            <text
              class="chart-reset-label"
              x={row === 0 ? at : at + 3}
              y={row === 0 ? TOP - 6 : TOP + 9}
              text-anchor={row === 0 ? (at > right - 30 ? "end" : "middle") : "start"}
            >
              {label}
            </text>
          </g>
        ))}
        {model.series.map((series, i) =>
          series.drawable ? (
            <path
              key={series.name}
              class={`chart-line chart-meter-${i % STYLES}`}
              data-testid="chart-line"
              data-meter={series.name}
              d={stepPath(series, x, y, model.now)}
            />
          ) : null,
        )}
        {model.series.map((series, i) => {
          const last = series.points[series.points.length - 1]?.value ?? null;
          return series.drawable && last !== null ? (
            <circle
              key={series.name}
              class={`chart-dot chart-meter-${i % STYLES}`}
              cx={x(model.now)}
              cy={y(last)}
              r="2.5"
            />
          ) : null;
        })}
      </svg>
      <Legend model={model} />
      <DataTable host={host} model={model} times={times.map((t) => t.at)} />
    </div>
  );
}
