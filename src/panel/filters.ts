import { isErrorStatus } from "../core/har/exchange.js";
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

/**
 * What a text filter searches, lower-cased: the URL, the error's code and title, the response
 * body. The session computes it as each entry arrives (and again, without the body, when it
 * releases it), so that the first search costs no more than the next.
 */
export function searchTextOf(item: SessionEntry): string {
  return item.searchText;
}

export function matchesFilter(item: SessionEntry, filter: RequestFilter, needle: string): boolean {
  if (filter.host !== "" && item.analysis.host !== filter.host) return false;
  if (filter.errorsOnly && !isErrorStatus(item.status)) return false;
  if (filter.flaggedOnly && item.findings.length === 0) return false;
  return needle === "" || searchTextOf(item).includes(needle);
}

/**
 * The filtered list of a live session, kept up to date at the cost of the entries added since
 * the last call: a session's list only grows at its end, so while it is the same list, the same
 * filter and no bodies were released, only its new entries are looked at.
 */
export class FilteredEntries {
  #entries: readonly SessionEntry[] | undefined;
  #filter: RequestFilter | undefined;
  #releases = -1;
  #looked = 0;
  #shown: SessionEntry[] = [];

  /** `releases` is the session's count of body releases (what was searched may be gone). */
  update(
    entries: readonly SessionEntry[],
    filter: RequestFilter,
    releases: number,
  ): readonly SessionEntry[] {
    if (!isFiltering(filter)) {
      this.#entries = undefined;
      this.#shown = [];
      return entries;
    }
    if (
      entries !== this.#entries ||
      filter !== this.#filter ||
      releases !== this.#releases ||
      entries.length < this.#looked
    ) {
      this.#entries = entries;
      this.#filter = filter;
      this.#releases = releases;
      this.#looked = 0;
      this.#shown = [];
    }
    const needle = filter.text.trim().toLowerCase();
    for (let i = this.#looked; i < entries.length; i++) {
      const item = entries[i] as SessionEntry;
      if (matchesFilter(item, filter, needle)) this.#shown.push(item);
    }
    this.#looked = entries.length;
    return this.#shown;
  }
}
