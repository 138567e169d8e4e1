import { formatClockSeconds } from "../core/clock-time.js";
import type { BackgroundState } from "../messaging/protocol.js";
import type { Badge } from "./ports.js";

export const BADGE_COLORS = {
  green: "#1e8e3e",
  amber: "#e37400",
  red: "#d93025",
  grey: "#5f6368",
} as const;

const NO_TRAFFIC: Badge = {
  text: "",
  color: BADGE_COLORS.grey,
  title: "Ratelens: no API traffic in this tab",
};

/** A count in at most four characters: 42, 999, 1.2k, 12k, 999k, 1.2M, 12M. Truncated, never
 * rounded up, so the badge never shows more budget than is left. */
export function compactCount(n: number): string {
  if (!Number.isFinite(n) || n < 0) return "?";
  const whole = Math.floor(n);
  if (whole < 1000) return String(whole);
  if (whole < 10_000) return `${Math.floor(whole / 100) / 10}k`;
  if (whole < 1_000_000) return `${Math.floor(whole / 1000)}k`;
  if (whole < 10_000_000) return `${Math.floor(whole / 100_000) / 10}M`;
  return `${Math.min(999, Math.floor(whole / 1_000_000))}M`;
}

function colorFor(remaining: number, limit: number | null): string {
  if (limit === null || limit <= 0) return BADGE_COLORS.grey;
  const left = remaining / limit;
  if (left > 0.5) return BADGE_COLORS.green;
  if (left > 0.1) return BADGE_COLORS.amber;
  return BADGE_COLORS.red;
}

/**
 * The toolbar badge for a tab: the remaining budget of the API host it used last (its binding
 * meter, the one with the least left), coloured by the share left, or "!" in red while a
 * Retry-After is in force. Empty for a tab without API traffic.
 */
export function badgeFor(state: BackgroundState, now: number): Badge {
  const view = state.hosts.find((h) => h.budget.host === state.activeHost);
  if (view === undefined) return NO_TRAFFIC;
  const { host, limit, remaining, resetAt, retryAfterUntil, source, requestsLastMinute, meters } =
    view.budget;
  // The headline figures are the binding meter's: named when the host keeps several.
  const [binding, ...others] = meters;
  const name = binding !== undefined && others.length > 0 ? `, ${binding.name}` : "";

  let title: string;
  if (remaining === null) {
    title = `${host}${name}: no limit known, ${requestsLastMinute} request${requestsLastMinute === 1 ? "" : "s"} in the last minute`;
  } else {
    title = `${host}${name}: ${remaining}${limit === null ? "" : `/${limit}`} left`;
    if (resetAt !== null && resetAt > now) title += `, resets ${formatClockSeconds(resetAt)}`;
  }
  if (source === "estimate") title += " (estimate)";

  if (retryAfterUntil !== null && retryAfterUntil > now) {
    const seconds = Math.ceil((retryAfterUntil - now) / 1000);
    title += `; Retry-After: wait ${seconds} s (until ${formatClockSeconds(retryAfterUntil)})`;
    return { text: "!", color: BADGE_COLORS.red, title };
  }
  if (remaining === null) return { text: "?", color: BADGE_COLORS.grey, title };
  return { text: compactCount(remaining), color: colorFor(remaining, limit), title };
}

/** When the badge's figures next change by themselves: the end of a Retry-After or any meter's reset. */
export function nextBadgeChange(state: BackgroundState, now: number): number | undefined {
  const budget = state.hosts.find((h) => h.budget.host === state.activeHost)?.budget;
  if (budget === undefined) return undefined;
  // Any meter's reset may hand the headline to another meter.
  const resets = budget.meters.map((m) => m.resetAt);
  const times = [budget.retryAfterUntil, budget.resetAt, ...resets].filter(
    (t): t is number => t !== null && t > now,
  );
  return times.length === 0 ? undefined : Math.min(...times);
}
