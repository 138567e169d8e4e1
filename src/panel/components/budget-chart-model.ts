import type { BudgetWindow } from "../../core/budget/windows.js";
import type { BudgetSample, MeterSample } from "../../core/session.js";

/** Reset times are stated in whole seconds: two meters whose resets are closer share one marker. */
const SAME_RESET_MS = 1000;
/** The shortest time axis: a chart of one sample still has a width to draw in. */
const MIN_SPAN_MS = 10_000;
/** How far past now the axis always may reach for a reset: the commonest rate-limit window. */
const MIN_AHEAD_MS = 60_000;

/** One meter's remaining over the session, on the chart's value scale. */
export interface ChartSeries {
  name: string;
  unit: MeterSample["unit"];
  /** The meter's latest known limit. */
  limit: number | null;
  /** Each sample's value on the scale (null: not known then), in time order. */
  points: { at: number; value: number | null; remaining: number | null }[];
  /** Whether the series can be drawn at all: a share needs a limit. */
  drawable: boolean;
}

export interface ResetMark {
  at: number;
  /** The meters that reset then, binding first. */
  meters: string[];
  binding: boolean;
}

export interface ChartModel {
  from: number;
  until: number;
  now: number;
  /** "share": each meter as a percentage of its own limit; "absolute": the figures themselves. */
  scale: "share" | "absolute";
  /** The value axis runs from 0 to this. */
  top: number;
  series: ChartSeries[];
  resets: ResetMark[];
  /** Resets later than the axis reaches: told in words, not drawn. */
  laterResets: ResetMark[];
  /** Retry-After windows within the axis, clipped to it. */
  retryAfter: { from: number; until: number }[];
}

/** A sample that names no meter stands for its headline figures as one. */
function withMeters(sample: BudgetSample): BudgetSample {
  if (sample.meters.length > 0) return sample;
  const { remaining, limit, resetAt } = sample;
  return { ...sample, meters: [{ name: "requests", unit: "requests", remaining, limit, resetAt }] };
}

/** The meters of every sample by name, in the latest sample's order (binding first). */
function meterNames(samples: readonly BudgetSample[]): string[] {
  const names: string[] = [];
  const last = samples[samples.length - 1];
  for (const meter of last?.meters ?? []) names.push(meter.name);
  for (const sample of samples) {
    for (const meter of sample.meters) if (!names.includes(meter.name)) names.push(meter.name);
  }
  return names;
}

function latestLimit(samples: readonly BudgetSample[], name: string): number | null {
  for (let i = samples.length - 1; i >= 0; i--) {
    const limit = samples[i]?.meters.find((m) => m.name === name)?.limit;
    if (limit !== undefined && limit !== null && limit > 0) return limit;
  }
  return null;
}

/**
 * Meters of one host count different things on very different scales (OpenAI's 30,000 tokens
 * beside its 500 requests; GitHub's 5,000 `core` beside 30 `search`): on one axis of figures the
 * smaller would lie flat along the bottom. So when their limits differ, each meter is drawn as its
 * share of its own limit (0–100 %), which also says how close each is to running out. A lone
 * meter, or meters with one limit, keep their figures, which read straight against the card's.
 */
function scaleOf(series: readonly { limit: number | null }[]): ChartModel["scale"] {
  const limits = new Set(series.map((s) => s.limit));
  return series.length > 1 && limits.size > 1 ? "share" : "absolute";
}

/** Resets of the latest sample's meters: the binding one's, and each other one that differs. */
function resetMarks(samples: readonly BudgetSample[]): ResetMark[] {
  const marks: ResetMark[] = [];
  const meters = samples[samples.length - 1]?.meters ?? [];
  meters.forEach((meter, i) => {
    if (meter.resetAt === null) return;
    const near = marks.find((m) => Math.abs(m.at - (meter.resetAt ?? 0)) < SAME_RESET_MS);
    if (near !== undefined) near.meters.push(meter.name);
    else marks.push({ at: meter.resetAt, meters: [meter.name], binding: i === 0 });
  });
  return marks;
}

/**
 * What the chart draws: the samples from the first to `now`, on a time axis that goes on to the
 * coming resets and the end of a Retry-After when they are near: within a minute of `now`, or
 * further in a long session, up to as far ahead as the session reaches back, so that an hour's
 * reset does not squeeze a few minutes of history into a sliver.
 */
export function chartModel(
  recorded: readonly BudgetSample[],
  windows: readonly BudgetWindow[],
  now: number,
): ChartModel | null {
  const samples = recorded.map(withMeters);
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (first === undefined || last === undefined) return null;
  const from = first.at;
  const current = Number.isFinite(now) ? Math.max(now, last.at) : last.at;
  const horizon = current + Math.max(current - from, MIN_AHEAD_MS);
  const allResets = resetMarks(samples);
  const retry = windows.filter((w) => w.kind === "retry-after");
  const ahead = [...allResets.map((r) => r.at), ...retry.map((w) => w.until)].filter(
    (at) => at > current && at <= horizon,
  );
  const until = Math.max(current, from + MIN_SPAN_MS, ...ahead);

  const named = meterNames(samples).map((name) => ({
    name,
    limit: latestLimit(samples, name),
    unit:
      (
        last.meters.find((m) => m.name === name) ??
        samples.flatMap((s) => s.meters).find((m) => m.name === name)
      )?.unit ?? "requests",
  }));
  const scale = scaleOf(named);
  const series: ChartSeries[] = named.map(({ name, limit, unit }) => {
    const points = samples.map((sample) => {
      const meter = sample.meters.find((m) => m.name === name);
      const remaining = meter?.remaining ?? null;
      const of = meter?.limit ?? limit;
      const value =
        remaining === null
          ? null
          : scale === "absolute"
            ? remaining
            : of === null || of <= 0
              ? null
              : Math.min(100, (remaining / of) * 100);
      return { at: sample.at, value, remaining };
    });
    return { name, unit, limit, points, drawable: scale === "absolute" || limit !== null };
  });
  const top =
    scale === "share"
      ? 100
      : Math.max(
          1,
          ...series.map((s) => s.limit ?? 0),
          ...series.flatMap((s) => s.points.map((p) => p.value ?? 0)),
        );
  return {
    from,
    until,
    now: current,
    scale,
    top,
    series,
    resets: allResets.filter((r) => r.at >= from && r.at <= until),
    laterResets: allResets.filter((r) => r.at > until),
    retryAfter: retry
      .filter((w) => w.until > from && w.from < until)
      .map((w) => ({ from: Math.max(w.from, from), until: Math.min(w.until, until) })),
  };
}
