import type { EntrySummary, ProviderId } from "./types.js";

/** Short labels every report shares: the terminal's, the Markdown one and the panel. */

/** `3 findings`, `1 finding`. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

/** The script a caller frame points at, by its file name: `client.js`; a non-URL as given. */
export function fileNameOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname.split("/").filter(Boolean).pop() ?? parsed.host;
  } catch {
    return url;
  }
}

/** A response status as every view shows it: `503`, or `no response` when none arrived (0). */
export function statusLabel(status: number): string {
  return status > 0 ? String(status) : "no response";
}

/** `429 rate_limit`, `503`, `no response` or `no response (net::ERR_…)`: what errors are counted under in a summary. */
export function outcomeOf(entry: Pick<EntrySummary, "status" | "error">): string {
  return outcomeLabel(entry.status, entry.error?.code ?? null, entry.error?.networkError);
}

/** outcomeOf, from the status, the decoded code and the recorder's reason for no response. */
export function outcomeLabel(
  status: number,
  code: string | null,
  networkError: string | undefined,
): string {
  if (status === 0) {
    return networkError === undefined ? statusLabel(0) : `${statusLabel(0)} (${networkError})`;
  }
  return `${status}${code ? ` ${code}` : ""}`;
}

/**
 * A host's provider as every report names it: documented or mapped, else `other`. One label per
 * host, never the decoder that read one of its bodies (docs/decisions.md, "One provider label per host").
 */
export function providerLabel(provider: ProviderId | null | undefined): string {
  return provider ?? "other";
}
