import type { BudgetSample } from "../../core/session.js";

const WIDTH = 240;
const HEIGHT = 40;

/** Remaining budget over the session as a step line, from the first sample until `now`. */
export function BudgetChart({ samples, now }: { samples: readonly BudgetSample[]; now: number }) {
  const known = samples.filter(
    (s): s is BudgetSample & { remaining: number } => s.remaining !== null,
  );
  const first = known[0];
  const last = known[known.length - 1];
  if (first === undefined || last === undefined) return null;
  const top = Math.max(1, ...known.map((s) => Math.max(s.remaining, s.limit ?? 0)));
  const from = first.at;
  const until = Math.max(now, last.at, from + 1);
  const x = (at: number) => ((at - from) / (until - from)) * WIDTH;
  const y = (remaining: number) => HEIGHT - (remaining / top) * (HEIGHT - 2) - 1;
  const points: string[] = [];
  let previous: number | undefined;
  for (const sample of known) {
    const px = x(sample.at).toFixed(1);
    if (previous !== undefined) points.push(`${px},${y(previous).toFixed(1)}`);
    points.push(`${px},${y(sample.remaining).toFixed(1)}`);
    previous = sample.remaining;
  }
  points.push(`${WIDTH},${y(last.remaining).toFixed(1)}`);
  const label = `Remaining over the session: ${first.remaining} at the start, ${last.remaining} now, of at most ${top}`;
  return (
    <svg
      class="budget-chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width={WIDTH}
      height={HEIGHT}
      role="img"
      aria-label={label}
      preserveAspectRatio="none"
    >
      <title>{label}</title>
      <line class="chart-axis" x1="0" y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} />
      <polyline class="chart-line" points={points.join(" ")} />
    </svg>
  );
}
