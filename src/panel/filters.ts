import { responseBodyOf } from "../core/har/exchange.js";
import type { SessionEntry } from "../core/session.js";

export interface RequestFilter {
  /** "" for every host. */
  host: string;
  errorsOnly: boolean;
  flaggedOnly: boolean;
  /** Case-insensitive; matches the URL, the error code and title, and the response body. */
  text: string;
}

export const NO_FILTER: RequestFilter = {
  host: "",
  errorsOnly: false,
  flaggedOnly: false,
  text: "",
};

export function isFiltering(filter: RequestFilter): boolean {
  return filter.host !== "" || filter.errorsOnly || filter.flaggedOnly || filter.text.trim() !== "";
}

/** Status 0 is a request that got no response: as much an error as a 500. */
export function isErrorStatus(status: number): boolean {
  return status >= 400 || status === 0;
}

/** Response bodies are searched often and never change: each is lower-cased once. */
const searchText = new WeakMap<SessionEntry, string>();

function searchTextOf(item: SessionEntry): string {
  let text = searchText.get(item);
  if (text === undefined) {
    const body = responseBodyOf(item.entry.response.content);
    const error = item.analysis.error;
    text = [
      item.entry.request.url,
      error?.code ?? "",
      error?.title ?? "",
      body.state === "text" ? body.text : "",
    ]
      .join("\n")
      .toLowerCase();
    searchText.set(item, text);
  }
  return text;
}

export function matchesFilter(item: SessionEntry, filter: RequestFilter, needle: string): boolean {
  if (filter.host !== "" && item.analysis.host !== filter.host) return false;
  if (filter.errorsOnly && !isErrorStatus(item.entry.response.status)) return false;
  if (filter.flaggedOnly && item.findings.length === 0) return false;
  return needle === "" || searchTextOf(item).includes(needle);
}

/** The entries the list shows, in session order. */
export function filterEntries(
  entries: readonly SessionEntry[],
  filter: RequestFilter,
): readonly SessionEntry[] {
  if (!isFiltering(filter)) return entries;
  const needle = filter.text.trim().toLowerCase();
  return entries.filter((item) => matchesFilter(item, filter, needle));
}

/** Every host of the session, sorted, for the host filter. */
export function hostsOf(entries: readonly SessionEntry[]): string[] {
  const hosts = new Set<string>();
  for (const item of entries) hosts.add(item.analysis.host);
  return [...hosts].sort();
}
