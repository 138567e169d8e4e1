import { formatClock, formatClockSeconds } from "./clock-time.js";

/** A labelled position on an axis: a time (epoch ms) or a value. */
export interface Tick {
  at: number;
  label: string;
}

/** Steps a time axis may take, in ms: round numbers of milliseconds, seconds, minutes and hours. */
const TIME_STEPS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000,
  300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000,
  86_400_000,
];

const MINUTE = 60_000;

/** "10:03" for whole minutes, "10:03:20" for seconds, "10:03:20.100" below a second. */
function timeLabel(at: number, step: number): string {
  if (step < 1_000) return formatClock(at);
  const seconds = formatClockSeconds(at);
  return step % MINUTE === 0 ? seconds.slice(0, 5) : seconds;
}

/**
 * At most `maxTicks` ticks on the local time of day between `from` and `until` (epoch ms), on the
 * smallest round step that fits, each labelled as the views write times. Ticks fall on round local
 * times (10:03:20, not 10:03:17.4) so that two charts of one session line up.
 */
export function timeTicks(from: number, until: number, maxTicks: number): Tick[] {
  if (!Number.isFinite(from) || !Number.isFinite(until) || until < from || maxTicks < 1) return [];
  const span = Math.max(until - from, 1);
  // A span of n steps holds at most n + 1 ticks.
  const intervals = Math.max(1, maxTicks - 1);
  const step =
    TIME_STEPS.find((s) => span / s <= intervals) ??
    Math.ceil(span / intervals / 86_400_000) * 86_400_000;
  // Round in local time: the offset is whole minutes, so sub-hour steps align either way.
  const offset = new Date(from).getTimezoneOffset() * MINUTE;
  const first = Math.ceil((from - offset) / step) * step + offset;
  const ticks: Tick[] = [];
  for (let at = first; at <= until && ticks.length < maxTicks; at += step) {
    ticks.push({ at, label: timeLabel(at, step) });
  }
  return ticks;
}

/**
 * At most `maxTicks` ticks between `min` and `max` on a 1-2-5 step ("0, 10,000, 20,000"), labelled
 * with thousands separators and only the decimals the step needs.
 */
export function valueTicks(min: number, max: number, maxTicks: number): Tick[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max < min || maxTicks < 1) return [];
  if (max === min) return [{ at: min, label: label(min, 1) }];
  const intervals = Math.max(1, maxTicks - 1);
  const power = 10 ** Math.floor(Math.log10((max - min) / intervals));
  const step =
    [1, 2, 5, 10].map((m) => m * power).find((s) => (max - min) / s <= intervals) ?? 10 * power;
  const first = Math.ceil(min / step - 1e-9) * step;
  const ticks: Tick[] = [];
  for (let i = 0; ; i++) {
    const at = first + i * step;
    if (at > max + step * 1e-9 || ticks.length >= maxTicks) break;
    ticks.push({ at, label: label(at, step) });
  }
  return ticks;
}

function label(value: number, step: number): string {
  const decimals = step >= 1 ? 0 : Math.min(20, Math.ceil(-Math.log10(step) - 1e-9));
  return value.toLocaleString("en-US", {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}
