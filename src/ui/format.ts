/** Display formatting for panel, popup and options: short, unit-bearing, the way DevTools writes them. */

function trimZero(text: string): string {
  return text.endsWith(".0") ? text.slice(0, -2) : text;
}

/** "350 ms", "1.2 s", "42 s", "2 min 5 s", "1 h 3 min"; negative spans read as their size. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  const abs = Math.abs(ms);
  const sign = ms < 0 ? "-" : "";
  if (abs < 1000) return `${sign}${Math.round(abs)} ms`;
  if (abs < 10_000) {
    const tenths = Math.round(abs / 100) / 10;
    // 9.96 s rounds to "10 s", not "10.0 s".
    return `${sign}${trimZero(tenths.toFixed(1))} s`;
  }
  const totalSeconds = Math.round(abs / 1000);
  if (totalSeconds < 60) return `${sign}${totalSeconds} s`;
  if (totalSeconds < 3600) {
    const minutes = Math.floor(totalSeconds / 60);
    const seconds = totalSeconds % 60;
    return `${sign}${minutes} min${seconds === 0 ? "" : ` ${seconds} s`}`;
  }
  const totalMinutes = Math.round(totalSeconds / 60);
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  return `${sign}${hours} h${minutes === 0 ? "" : ` ${minutes} min`}`;
}

/** A time left, counted down in whole seconds the way a clock shows it: 41.2 s left reads "42 s". */
export function formatCountdown(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return "0 s";
  return formatDuration(Math.ceil(ms / 1000) * 1000);
}

const UNITS = ["KB", "MB", "GB"] as const;

/** "512 B", "1.5 KB", "12 MB" (1024-based, as DevTools counts). */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "–";
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  let value = bytes / 1024;
  let unit: (typeof UNITS)[number] = "KB";
  for (let i = 1; i < UNITS.length && value >= 1024; i++) {
    value /= 1024;
    unit = UNITS[i] ?? unit;
  }
  return `${value < 10 ? trimZero(value.toFixed(1)) : String(Math.round(value))} ${unit}`;
}

/** The path and query of a URL, or the URL itself when it does not parse. */
export function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

/** "1 request", "3 requests". */
