// @vitest-environment happy-dom
import { cleanup, render, screen, within } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { withMeter } from "../../../test/support/budget.js";
import { T0 } from "../../../test/support/har.js";
import type { BudgetWindow } from "../../core/budget/windows.js";
import { formatClockSeconds } from "../../core/clock-time.js";
import type { BudgetSample, MeterSample } from "../../core/session.js";
import { BudgetChart } from "./budget-chart.js";
import { BudgetView } from "./budget-view.js";

afterEach(cleanup);

const HOST = "api.openai.com";
const s = (seconds: number) => T0 + seconds * 1000;

function meter(name: string, figures: Partial<MeterSample> = {}): MeterSample {
  return {
    name,
    unit: name === "tokens" ? "tokens" : "requests",
    remaining: 100,
    limit: 100,
    resetAt: null,
    ...figures,
  };
}

/** A sample at `seconds` after T0 whose headline is its first meter's. */
function sample(seconds: number, meters: MeterSample[]): BudgetSample {
  const binding = meters[0];
  return {
    at: s(seconds),
    remaining: binding?.remaining ?? null,
    limit: binding?.limit ?? null,
    source: "headers",
    resetAt: binding?.resetAt ?? null,
    retryAfterUntil: null,
    meters,
  };
}

function retryAfter(from: number, until: number): BudgetWindow {
  return { kind: "retry-after", host: HOST, from: s(from), until: s(until) };
}

/** OpenAI's two meters over a minute: tokens spent to 0, requests barely touched. */
function openAiSamples(resets: { tokens?: number; requests?: number } = {}): BudgetSample[] {
  const at = (remaining: number, requests: number) => [
    meter("tokens", {
      remaining,
      limit: 30_000,
      resetAt: resets.tokens === undefined ? null : s(resets.tokens),
    }),
    meter("requests", {
      remaining: requests,
      limit: 500,
      resetAt: resets.requests === undefined ? null : s(resets.requests),
    }),
  ];
  return [sample(0, at(30_000, 499)), sample(10, at(20_000, 498)), sample(20, at(0, 497))];
}

function draw(samples: BudgetSample[], now: number, windows: BudgetWindow[] = []) {
  const { container } = render(
    <BudgetChart host={HOST} samples={samples} windows={windows} now={s(now)} />,
  );
  const chart = screen.getByTestId("budget-chart");
  const svg = chart.querySelector("svg[role=img]") as SVGSVGElement;
  const num = (el: Element | null | undefined, name: string) => Number(el?.getAttribute(name));
  const axis = screen.getByTestId("chart-time-axis");
  const left = num(axis, "x1");
  const right = num(axis, "x2");
  return {
    container,
    chart,
    svg,
    /** Where the time axis puts a moment of an axis from `from` to `until` seconds after T0. */
    xOf: (seconds: number, from: number, until: number) =>
      left + ((seconds - from) / (until - from)) * (right - left),
    left,
    right,
    num,
    texts: (id: string) => screen.queryAllByTestId(id).map((e) => e.textContent ?? ""),
    lines: () => screen.queryAllByTestId("chart-line"),
    resets: () => screen.queryAllByTestId("chart-reset"),
  };
}

describe("BudgetChart", () => {
  it("draws a time axis and a value axis, each with tick labels, for one meter in its figures", () => {
    const samples = [0, 20, 40].map((t) =>
      sample(t, [meter("requests", { remaining: 100 - t, limit: 100 })]),
    );
    const c = draw(samples, 60);
    const times = c.texts("chart-time-tick");
    expect(times.length).toBeGreaterThanOrEqual(2);
    for (const label of times) {
      expect(label).toMatch(/^\d\d:\d\d:\d\d$/);
      expect(label >= formatClockSeconds(s(0)) && label <= formatClockSeconds(s(60))).toBe(true);
    }
    // Each time label stands under its own moment.
    for (const tick of screen.getAllByTestId("chart-time-tick")) {
      const seconds = secondsAfterT0(tick.textContent ?? "");
      expect(c.num(tick, "x")).toBeCloseTo(c.xOf(seconds, 0, 60), 1);
    }
    expect(c.texts("chart-value-tick")).toContain("0");
    expect(c.texts("chart-value-tick")).toContain("100");
    expect(c.chart.querySelector("svg")?.dataset.scale).toBe("absolute");
    expect(screen.getByTestId("chart-value-title").textContent).toBe("Remaining requests");
    expect(c.lines().map((l) => l.dataset.meter)).toEqual(["requests"]);
  });

  it("labels at least two times, also where the roundest step that fits would leave one", () => {
    // 61 s from hh:mm:30: on whole minutes, only one minute falls inside.
    const c = draw([sample(30, [meter("requests")])], 91);
    const times = c.texts("chart-time-tick");
    expect(times.length).toBeGreaterThanOrEqual(2);
    expect(new Set(times).size).toBe(times.length);
  });

  it("draws one line per meter, each named in the legend, as shares when their limits differ", () => {
    const c = draw(openAiSamples(), 30);
    const lines = c.lines();
    expect(lines.map((l) => l.dataset.meter)).toEqual(["tokens", "requests"]);
    // Told apart by dash as well as colour.
    expect(lines[0]?.getAttribute("class")).not.toBe(lines[1]?.getAttribute("class"));
    const legend = screen.getAllByTestId("chart-legend-item");
    expect(legend.map((l) => l.dataset.meter)).toEqual(["tokens", "requests"]);
    expect(legend[0]?.textContent).toBe("tokens (100% = 30,000)");
    expect(legend[1]?.textContent).toBe("requests (100% = 500)");
    expect(c.svg.dataset.scale).toBe("share");
    expect(screen.getByTestId("chart-value-title").textContent).toBe(
      "Remaining, % of each meter's limit",
    );
    const values = c.texts("chart-value-tick");
    expect(values).toContain("0%");
    expect(values).toContain("100%");
    expect(values.every((v) => v.endsWith("%"))).toBe(true);
  });

  it("keeps the figures when several meters share one limit", () => {
    const meters = (core: number, graphql: number) => [
      meter("core", { remaining: core, limit: 5000 }),
      meter("graphql", { remaining: graphql, limit: 5000 }),
    ];
    const c = draw([sample(0, meters(5000, 4990)), sample(5, meters(4000, 4980))], 10);
    expect(c.svg.dataset.scale).toBe("absolute");
    const values = c.texts("chart-value-tick").map((v) => Number(v.replace(/,/g, "")));
    expect(values).toContain(0);
    expect(Math.max(...values)).toBeGreaterThanOrEqual(2000);
    expect(Math.max(...values)).toBeLessThanOrEqual(5000);
    expect(c.lines()).toHaveLength(2);
  });

  it("marks the binding meter's reset at its moment on the time axis", () => {
    const c = draw(openAiSamples({ tokens: 25 }), 40);
    const [mark] = c.resets();
    expect(c.resets()).toHaveLength(1);
    expect(mark?.dataset.meters).toBe("tokens");
    expect(mark?.dataset.binding).toBe("true");
    const line = mark?.querySelector("line");
    expect(c.num(line, "x1")).toBeCloseTo(c.xOf(25, 0, 40), 1);
    expect(c.num(line, "x2")).toBeCloseTo(c.xOf(25, 0, 40), 1);
    expect(screen.getByTestId("chart-legend-reset")).toBeTruthy();
  });

  it("marks another meter's reset when it differs by a second or more, and not when it is the same second", () => {
    draw(openAiSamples({ tokens: 25, requests: 25.6 }), 40);
    expect(screen.getAllByTestId("chart-reset").map((m) => m.dataset.meters)).toEqual([
      "tokens requests",
    ]);
    cleanup();
    const c = draw(openAiSamples({ tokens: 25, requests: 26 }), 40);
    const marks = c.resets();
    expect(marks.map((m) => [m.dataset.meters, m.dataset.binding])).toEqual([
      ["tokens", "true"],
      ["requests", "false"],
    ]);
    expect(c.num(marks[1]?.querySelector("line"), "x1")).toBeCloseTo(c.xOf(26, 0, 40), 1);
  });

  it("goes on past now to a reset that is near, and tells of one too far to draw", () => {
    let c = draw(openAiSamples({ tokens: 45 }), 30);
    // The axis now ends at the reset, 15 s after now.
    expect(c.num(c.resets()[0]?.querySelector("line"), "x1")).toBeCloseTo(c.right, 1);
    cleanup();
    c = draw(openAiSamples({ tokens: 3600 }), 30);
    expect(c.resets()).toHaveLength(0);
    expect(c.svg.getAttribute("aria-label")).toContain(
      `tokens resets at ${formatClockSeconds(s(3600))}, after the chart's end`,
    );
  });

  it("shades a Retry-After window between its start and its end", () => {
    const c = draw(openAiSamples(), 40, [retryAfter(20, 30)]);
    const [shade] = screen.getAllByTestId("chart-retry-after");
    expect(c.num(shade, "x")).toBeCloseTo(c.xOf(20, 0, 40), 1);
    expect(c.num(shade, "x") + c.num(shade, "width")).toBeCloseTo(c.xOf(30, 0, 40), 1);
    expect(screen.getByTestId("chart-legend-retry-after")).toBeTruthy();
  });

  it("clips a window that began before the first sample, and leaves out one that ended before it and zero-budget ones", () => {
    const windows: BudgetWindow[] = [
      retryAfter(-30, -0.5),
      retryAfter(-5, 10),
      { kind: "zero-budget", host: HOST, meter: "tokens", from: s(20), until: s(30) },
    ];
    const c = draw(openAiSamples(), 40, windows);
    const shades = screen.getAllByTestId("chart-retry-after");
    expect(shades).toHaveLength(1);
    expect(c.num(shades[0], "x")).toBeCloseTo(c.left, 1);
    expect(c.num(shades[0], "x") + c.num(shades[0], "width")).toBeCloseTo(c.xOf(10, 0, 40), 1);
  });

  it("draws a chart of one sample: its axes, its line and its point", () => {
    const c = draw([sample(0, [meter("requests", { remaining: 42, limit: 100 })])], 0);
    expect(c.texts("chart-time-tick").length).toBeGreaterThanOrEqual(2);
    const [line] = c.lines();
    expect(line?.getAttribute("d")).toMatch(/^M[\d.]+,[\d.]+H[\d.]+$/);
    expect(c.chart.querySelectorAll("circle")).toHaveLength(1);
    expect(c.svg.getAttribute("aria-label")).toContain("requests: 42 at the start, 42 now, of 100");
  });

  it("draws a meter with no limit known on the scale of its highest figure", () => {
    const samples = [0, 10].map((t) =>
      sample(t, [meter("requests", { remaining: 80 - t, limit: null })]),
    );
    const c = draw(samples, 20);
    expect(c.texts("chart-value-tick")).toContain("0");
    expect(c.texts("chart-value-tick").every((v) => Number(v.replace(/,/g, "")) <= 80)).toBe(true);
    expect(c.lines()).toHaveLength(1);
    expect(c.svg.getAttribute("aria-label")).toContain(
      "requests: 80 at the start, 70 now, of an unknown limit",
    );
  });

  it("names a meter with no limit beside one with a limit, and does not draw it as a share", () => {
    const meters = (tokens: number) => [
      meter("tokens", { remaining: tokens, limit: null }),
      meter("requests", { remaining: 499, limit: 500 }),
    ];
    draw([sample(0, meters(9000)), sample(10, meters(8000))], 20);
    expect(screen.getAllByTestId("chart-line").map((l) => l.dataset.meter)).toEqual(["requests"]);
    expect(screen.getAllByTestId("chart-legend-item")[0]?.textContent).toBe(
      "tokens (no limit known: not drawn)",
    );
  });

  it("leaves a gap where the remaining is not known, and says so of now", () => {
    const samples = [
      sample(0, [meter("requests", { remaining: 90 })]),
      sample(10, [meter("requests", { remaining: null })]),
      sample(20, [meter("requests", { remaining: 70 })]),
      sample(30, [meter("requests", { remaining: null })]),
    ];
    const c = draw(samples, 40);
    const d = c.lines()[0]?.getAttribute("d") ?? "";
    expect(d.match(/M/g)).toHaveLength(2);
    // The line stops at the unknown sample, not at now.
    expect(d.endsWith(`H${c.xOf(30, 0, 40).toFixed(1)}`)).toBe(true);
    expect(c.chart.querySelectorAll("circle")).toHaveLength(0);
    expect(c.svg.getAttribute("aria-label")).toContain(
      "requests: 90 at the start, not known now, of 100",
    );
  });

  it("keeps a remaining above its limit inside the plot", () => {
    const c = draw(
      [sample(0, [meter("tokens", { remaining: 40_000, limit: 30_000 }), meter("requests")])],
      10,
    );
    const d = c.lines()[0]?.getAttribute("d") ?? "";
    const top = Number(/^M[\d.]+,([\d.]+)/.exec(d)?.[1]);
    const hundred = screen.getAllByTestId("chart-value-tick").find((t) => t.textContent === "100%");
    expect(top).toBeCloseTo(c.num(hundred, "y"), 1);
  });

  it("tells a screen reader what it shows: the meters from start to now, the reset, the Retry-After", () => {
    const c = draw(openAiSamples({ tokens: 35, requests: 50 }), 30, [retryAfter(20, 35)]);
    const label = c.svg.getAttribute("aria-label");
    expect(screen.getByRole("img", { name: label ?? "" })).toBe(c.svg);
    expect(label).toBe(
      [
        `Remaining budget of ${HOST} from ${formatClockSeconds(s(0))} to ${formatClockSeconds(s(30))}, each meter as a share of its own limit`,
        "tokens: 30,000 at the start, 0 now, of 30,000",
        "requests: 499 at the start, 497 now, of 500",
        `tokens resets at ${formatClockSeconds(s(35))}`,
        `requests resets at ${formatClockSeconds(s(50))}`,
        `Retry-After from ${formatClockSeconds(s(20))} to ${formatClockSeconds(s(35))}`,
      ].join(". "),
    );
    // The legend is read as a list beside it.
    expect(
      within(screen.getByRole("list", { name: "Legend" })).getAllByRole("listitem"),
    ).toHaveLength(4);
  });

  it("lists its figures at each labelled time and now in a table for screen readers", () => {
    draw(openAiSamples(), 30);
    const table = screen.getByRole("table");
    const rows = within(table)
      .getAllByRole("row")
      .map((row) =>
        [...row.querySelectorAll("th, td")].map((cell) => (cell.textContent ?? "").trim()),
      );
    expect(rows[0]).toEqual(["Time", "tokens", "requests"]);
    const times = screen.getAllByTestId("chart-time-tick").map((t) => t.textContent ?? "");
    const body = rows.slice(1);
    expect(body.map((r) => r[0])).toEqual([
      ...times.filter((t) => t < formatClockSeconds(s(30))),
      `${formatClockSeconds(s(30))} (now)`,
    ]);
    // Each time shows the sample in force then (taken at 0, 10 and 20 s).
    const held = (seconds: number) =>
      seconds < 10
        ? ["30,000 (100%)", "499 (100%)"]
        : seconds < 20
          ? ["20,000 (67%)", "498 (100%)"]
          : ["0 (0%)", "497 (99%)"];
    expect(body.length).toBeGreaterThanOrEqual(3);
    for (const row of body.slice(0, -1)) {
      expect(row.slice(1)).toEqual(held(secondsAfterT0(row[0] ?? "")));
    }
    expect(body.at(-1)?.slice(1)).toEqual(["0 (0%)", "497 (99%)"]);
  });

  it("draws nothing without a sample", () => {
    render(<BudgetChart host={HOST} samples={[]} windows={[]} now={s(0)} />);
    expect(screen.queryByTestId("budget-chart")).toBeNull();
  });
});

describe("BudgetView", () => {
  it("gives each host's card its own chart, with its own windows", () => {
    const hosts = ["api.casola.ai", HOST];
    render(
      <BudgetView
        budgets={hosts.map((host) =>
          withMeter({
            host,
            provider: null,
            limit: 100,
            remaining: 50,
            resetAt: null,
            retryAfterUntil: null,
            source: "headers",
            requestsLastMinute: 0,
            skewMs: 0,
          }),
        )}
        history={() => [sample(0, [meter("requests")]), sample(10, [meter("requests")])]}
        windows={(host) => (host === HOST ? [retryAfter(2, 4)] : [])}
        now={s(20)}
        recorded={false}
      />,
    );
    const charts = screen.getAllByTestId("budget-chart");
    expect(charts).toHaveLength(2);
    expect(charts.map((c) => c.querySelectorAll("[data-testid=chart-retry-after]").length)).toEqual(
      [0, 1],
    );
    expect(charts[1]?.querySelector("svg")?.getAttribute("aria-label")).toMatch(
      /^Remaining budget of api\.openai\.com from/,
    );
  });
});

/** Seconds after T0 of a local "10:00:30" label (T0 falls on a whole minute of local time). */
function secondsAfterT0(label: string): number {
  const [h, m, sec] = label.split(":").map(Number);
  const t0 = new Date(T0);
  return (
    ((h ?? 0) - t0.getHours()) * 3600 +
    ((m ?? 0) - t0.getMinutes()) * 60 +
    (sec ?? 0) -
    t0.getSeconds()
  );
}
