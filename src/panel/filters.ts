import { isErrorStatus } from "../core/har/exchange.js";
import { providerLabel } from "../core/labels.js";
import type { SessionEntry } from "../core/session.js";
import type { Severity } from "../core/types.js";

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

/** The request list's columns, each of which it sorts by. */
export type SortColumn =
  | "time"
  | "method"
  | "status"
  | "provider"
  | "code"
  | "path"
  | "duration"
  | "findings";

export interface RequestSort {
  column: SortColumn;
  descending: boolean;
}

/** By start time, oldest first: a retry comes after the request it retried. */
export const DEFAULT_SORT: RequestSort = { column: "time", descending: false };

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

const SEVERITY_RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

/** Findings sort by their worst severity, then by how many there are. */
function findingsKey(item: SessionEntry): number {
  let worst = 0;
  for (const finding of item.findings) worst = Math.max(worst, SEVERITY_RANK[finding.severity]);
  return worst * 1_000_000 + item.findings.length;
}

/** The start the analysis read; a start time no recorder wrote sorts last. */
function startOf(item: SessionEntry): number {
  const start = item.analysis.start;
  return Number.isNaN(start) ? Number.POSITIVE_INFINITY : start;
}

/**
 * The path and query of a URL, as the list shows it, without parsing it (the URL parser costs
 * more than the rest of a sort).
 */
function pathKey(url: string): string {
  const scheme = url.indexOf("://");
  if (scheme < 0) return url;
  const slash = url.indexOf("/", scheme + 3);
  if (slash < 0) return "/";
  const hash = url.indexOf("#", slash);
  return hash < 0 ? url.slice(slash) : url.slice(slash, hash);
}

/**
 * What `column` sorts `item` by, read from what the session keeps beside the entry, so a packed
 * entry (past the session's body cap) is never rebuilt for it; the path is the one the report
 * lists (secrets in a query redacted).
 */
export function sortKeyOf(column: SortColumn, item: SessionEntry): number | string {
  switch (column) {
    case "time":
      return startOf(item);
    case "method":
      return item.analysis.summary.method;
    case "status":
      return item.status;
    case "provider":
      return providerLabel(item.analysis.hostProvider);
    case "code":
      return item.analysis.error?.code ?? "";
    case "path":
      return pathKey(item.analysis.summary.url);
    case "duration":
      return Number.isFinite(item.duration) ? item.duration : -1;
    case "findings":
      return findingsKey(item);
  }
}

/** What a list view reads of the shown entries: how many, the one at a row, the row of one. */
export interface ShownEntries {
  readonly length: number;
  /** The entry shown at `position` (0 is the top row). */
  at(position: number): SessionEntry | undefined;
  /** The row of the entry whose session index is `index`, or -1 when it is not shown. */
  positionOf(index: number | undefined): number;
}

/**
 * The filtered, sorted list of a live session, kept up to date at the cost of the entries added
 * since the last call. A session's list only grows at its end, so while it is the same list,
 * only its new entries are looked at: each is given its sort keys once, and placed by binary
 * search (live entries mostly arrive in start order, so the default sort appends them). The
 * whole session sorted is kept beside the filtered rows: a new filter (or released bodies, which
 * a text filter searched) is one pass over it, and only a new sort column sorts again.
 *
 * Rows are positions in the session's list (its order by index), compared by key, then start
 * time, then position: a total order, so a row is found by binary search, and the order never
 * depends on how the entries came. Time descending is the ascending order read backwards;
 * another column descending reverses its key alone, its ties staying oldest first.
 *
 * A column's keys are kept once made, so going back to a column costs one sort.
 */
export class FilteredEntries implements ShownEntries {
  #entries: readonly SessionEntry[] | undefined;
  #filter: RequestFilter = NO_FILTER;
  #filtering = false;
  #needle = "";
  #releases = -1;
  #column: SortColumn = DEFAULT_SORT.column;
  #descending = DEFAULT_SORT.descending;
  /** Entries before this position have their keys and their place. */
  #looked = 0;
  /** Start time of each position; the tie-break of every column. */
  #start: number[] = [];
  /** Each column's keys made so far, by position. */
  #keys = new Map<SortColumn, (number | string)[]>();
  /** The sort column's keys (unused for time, whose key is `#start`). */
  #key: (number | string)[] = [];
  /** Every position, sorted. */
  #all: number[] = [];
  /** The positions the filter keeps, sorted: `#all` itself while nothing is filtered. */
  #rows: number[] = [];

  /**
   * The entries `filter` keeps, in `sort` order. `releases` is the session's count of body
   * releases (what was searched may be gone).
   */
  update(
    entries: readonly SessionEntry[],
    filter: RequestFilter,
    releases: number,
    sort: RequestSort = DEFAULT_SORT,
  ): ShownEntries {
    if (entries !== this.#entries || entries.length < this.#looked) {
      this.#entries = entries;
      this.#looked = 0;
      this.#start = [];
      this.#keys = new Map();
      this.#key = this.#keysOf(this.#column);
      this.#all = [];
      this.#rows = this.#all;
      this.#filter = NO_FILTER;
      this.#filtering = false;
    }
    if (sort.column !== this.#column) {
      this.#column = sort.column;
      this.#descending = sort.descending;
      this.#key = this.#keysOf(this.#column);
      this.#fillKeys();
      this.#all.sort(this.#compare);
      this.#refilter(filter, releases);
    } else if (sort.descending !== this.#descending) {
      this.#descending = sort.descending;
      // Time descending reads the ascending order backwards: nothing to sort again.
      if (this.#column !== "time") {
        this.#all.sort(this.#compare);
        this.#refilter(filter, releases);
      }
    }
    if (filter !== this.#filter || (this.#filtering && releases !== this.#releases)) {
      this.#refilter(filter, releases);
    }
    this.#releases = releases;
    this.#addNew(entries);
    return this;
  }

  get length(): number {
    return this.#rows.length;
  }

  at(position: number): SessionEntry | undefined {
    const row = this.#reversed ? this.#rows.length - 1 - position : position;
    if (row < 0 || row >= this.#rows.length) return undefined;
    return this.#entries?.[this.#rows[row] as number];
  }

  positionOf(index: number | undefined): number {
    if (index === undefined) return -1;
    const p = this.#positionInSession(index);
    if (p < 0 || p >= this.#looked) return -1;
    const row = this.#find(this.#rows, p);
    if (row < 0) return -1;
    return this.#reversed ? this.#rows.length - 1 - row : row;
  }

  get #reversed(): boolean {
    return this.#column === "time" && this.#descending;
  }

  #compare = (a: number, b: number): number => {
    if (this.#column !== "time") {
      const ka = this.#key[a] as number | string;
      const kb = this.#key[b] as number | string;
      if (ka !== kb) return ka < kb !== this.#descending ? -1 : 1;
    }
    const sa = this.#start[a] as number;
    const sb = this.#start[b] as number;
    if (sa !== sb) return sa < sb ? -1 : 1;
    return a - b;
  };

  #keysOf(column: SortColumn): (number | string)[] {
    let keys = this.#keys.get(column);
    if (keys === undefined) {
      keys = [];
      this.#keys.set(column, keys);
    }
    return keys;
  }

  /** Makes the sort column's keys up to what has been looked at. */
  #fillKeys(): void {
    const column = this.#column;
    if (column === "time") return;
    const entries = this.#entries ?? [];
    const keys = this.#key;
    for (let p = keys.length; p < this.#looked; p++) {
      keys.push(sortKeyOf(column, entries[p] as SessionEntry));
    }
  }

  /** The entries' list is in order of index: its position of `index` by binary search. */
  #positionInSession(index: number): number {
    const entries = this.#entries ?? [];
    let low = 0;
    let high = entries.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const at = (entries[mid] as SessionEntry).index;
      if (at === index) return mid;
      if (at < index) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }

  /** Where `p` is in the sorted `list`, or -1. */
  #find(list: readonly number[], p: number): number {
    const at = this.#lowerBound(list, p);
    return list[at] === p ? at : -1;
  }

  /** The first place in the sorted `list` (its first `end`) whose position does not sort before `p`. */
  #lowerBound(list: readonly number[], p: number, end = list.length): number {
    let low = 0;
    let high = end;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.#compare(list[mid] as number, p) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  #matches(p: number): boolean {
    return matchesFilter(this.#entries?.[p] as SessionEntry, this.#filter, this.#needle);
  }

  /** The rows of a new filter (or of searched bodies released): one pass over `#all`. */
  #refilter(filter: RequestFilter, releases: number): void {
    this.#filter = filter;
    this.#filtering = isFiltering(filter);
    this.#needle = filter.text.trim().toLowerCase();
    this.#releases = releases;
    this.#rows = this.#filtering ? this.#all.filter((p) => this.#matches(p)) : this.#all;
  }

  /** Keys and places for the entries added since the last call. */
  #addNew(entries: readonly SessionEntry[]): void {
    const from = this.#looked;
    if (entries.length === from) return;
    const batch: number[] = [];
    // Entries already placed that a new entry's findings name: a findings sort or a "flagged
    // only" filter may place them anew.
    const named = new Set<number>();
    for (let p = from; p < entries.length; p++) {
      const item = entries[p] as SessionEntry;
      this.#start.push(startOf(item));
      batch.push(p);
      for (const finding of item.analysis.findings) {
        const offending = finding.entries[finding.entries.length - 1];
        if (offending !== undefined && offending !== item.index) named.add(offending);
      }
    }
    this.#looked = entries.length;
    this.#fillKeys();
    batch.sort(this.#compare);
    const earlier: number[] = [];
    for (const index of named) {
      const p = this.#positionInSession(index);
      if (p >= 0 && p < from) earlier.push(p);
    }
    if (this.#column === "findings") {
      for (const p of earlier) {
        this.#remove(this.#all, p);
        if (this.#filtering) this.#remove(this.#rows, p);
        this.#key[p] = sortKeyOf("findings", entries[p] as SessionEntry);
        this.#insert(this.#all, [p]);
        if (this.#filtering && this.#matches(p)) this.#insert(this.#rows, [p]);
      }
    } else {
      const findings = this.#keys.get("findings");
      if (findings !== undefined) {
        for (const p of earlier) {
          if (p < findings.length) findings[p] = sortKeyOf("findings", entries[p] as SessionEntry);
        }
      }
      if (this.#filtering) {
        for (const p of earlier) {
          if (this.#matches(p) && this.#find(this.#rows, p) < 0) this.#insert(this.#rows, [p]);
        }
      }
    }
    this.#insert(this.#all, batch);
    if (this.#filtering)
      this.#insert(
        this.#rows,
        batch.filter((p) => this.#matches(p)),
      );
  }

  #remove(list: number[], p: number): void {
    const at = this.#find(list, p);
    if (at >= 0) list.splice(at, 1);
  }

  /**
   * Merges the sorted `batch` into the sorted `list` in place, from the end: each of the batch
   * is placed by binary search, and what sorts after it moves once, without a comparison. A
   * batch that sorts after the whole list is appended.
   */
  #insert(list: number[], batch: readonly number[]): void {
    let i = list.length - 1;
    for (const p of batch) list.push(p);
    let write = list.length - 1;
    for (let j = batch.length - 1; j >= 0; j--) {
      const b = batch[j] as number;
      // Live entries mostly sort after every earlier one: one comparison then.
      const after = i < 0 || this.#compare(list[i] as number, b) < 0;
      const at = after ? i + 1 : this.#lowerBound(list, b, i + 1);
      while (i >= at) list[write--] = list[i--] as number;
      list[write--] = b;
    }
  }
}
