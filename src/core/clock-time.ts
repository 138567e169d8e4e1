/** Times of day as every view writes them: the panel, the popup, the options page and the badge. */

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** Local time of day with milliseconds, "10:00:31.250". */
export function formatClock(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  const date = new Date(ms);
  return `${formatClockSeconds(ms)}.${pad(date.getMilliseconds(), 3)}`;
}

/** Local time of day to the second, "10:00:31". */
export function formatClockSeconds(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  const date = new Date(ms);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
