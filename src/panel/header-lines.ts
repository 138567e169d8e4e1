import { formatClockSeconds } from "../core/clock-time.js";
import type { HeaderExplanation } from "../core/explain/explain-headers.js";
import { formatCountdown, formatDuration } from "../ui/format.js";

function resetPhrase(resetAt: number | undefined, at: number): string {
  if (resetAt === undefined) return "";
  const left = resetAt - at;
  return left > 0
    ? `, resets in ${formatCountdown(left)} (${formatClockSeconds(resetAt)})`
    : ", reset already passed when the response arrived";
}

const SCHEME_NAMES = {
  "ratelimit-trio": "RateLimit",
  "x-ratelimit": "X-RateLimit",
} as const;

function lineOf(explained: HeaderExplanation): string {
  switch (explained.kind) {
    case "retry-after": {
      const wait = formatDuration(explained.waitSeconds * 1000);
      const until = formatClockSeconds(explained.until);
      return explained.dated
        ? `${explained.header}: ${explained.raw} → wait ${wait} (counted from the response's Date), until ${until}`
        : `${explained.header}: ${explained.raw} → wait ${wait}, until ${until}`;
    }
    case "rate-limit": {
      const of = explained.limit === undefined ? "" : ` of ${explained.limit}`;
      const reset = resetPhrase(explained.resetAt, explained.at);
      if (explained.scheme === "ietf") {
        const policy = explained.policy === undefined ? "" : ` in policy "${explained.policy}"`;
        const window =
          explained.windowSeconds === undefined
            ? ""
            : ` (${formatDuration(explained.windowSeconds * 1000)} window)`;
        if (explained.remaining === undefined)
          return `RateLimit-Policy: ${explained.limit ?? "?"} requests${policy}${window}`;
        return `RateLimit: ${explained.remaining}${of} left${policy}${window}${reset}`;
      }
      const name = SCHEME_NAMES[explained.scheme];
      if (explained.remaining === undefined)
        return `${name}-Limit: ${explained.limit ?? "?"} requests per window${reset}`;
      return `${name}-Remaining: ${explained.remaining}${of}${reset}`;
    }
    case "should-retry":
      return explained.retry
        ? `${explained.header}: true → the server says a retry may succeed`
        : `${explained.header}: false → the server says not to retry`;
    case "clock-skew": {
      const direction = explained.skewMs > 0 ? "ahead of" : "behind";
      return `Date: the server's clock was ${formatDuration(Math.abs(explained.skewMs))} ${direction} this computer's; reset times are corrected for it`;
    }
  }
}

/** The core's header explanations, said in words. */
export function headerLines(explained: readonly HeaderExplanation[]): string[] {
  return explained.map(lineOf);
}
