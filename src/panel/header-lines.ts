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

/** How each family is named to a person: by its headers, or by the provider that defines them. */
const FAMILY_NAMES = {
  "x-ratelimit": "X-RateLimit",
  github: "GitHub",
  okta: "X-Rate-Limit",
  "ratelimit-trio": "RateLimit",
  ietf: "RateLimit policy",
  openai: "OpenAI",
  anthropic: "Anthropic",
  azure: "Azure OpenAI",
  mistral: "Mistral",
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
    case "meter": {
      const name = `${FAMILY_NAMES[explained.family]} ${explained.name}`;
      const window =
        explained.windowSeconds === undefined
          ? ""
          : ` (${formatDuration(explained.windowSeconds * 1000)} window)`;
      const reset = resetPhrase(explained.resetAt, explained.at);
      if (explained.remaining === undefined)
        return `${name}: limit ${explained.limit ?? "?"} ${explained.unit}${window}${reset}`;
      const of = explained.limit === undefined ? "" : ` of ${explained.limit}`;
      return `${name}: ${explained.remaining}${of} left${window}${reset}`;
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
