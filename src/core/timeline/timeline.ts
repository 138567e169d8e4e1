import type { EntryAnalysis } from "../analyzer.js";
import { type Chain, WASTING } from "../chains.js";
import { isErrorStatus } from "../har/exchange.js";
import type { RuleId } from "../rules/index.js";
import type { Severity } from "../types.js";

/** How a mark is drawn: its status's class (colour and shape both tell it). */
export type StatusClass = "success" | "429" | "4xx" | "5xx" | "none";

/** A response status's class: 429, another 4xx, a 5xx, no response, or anything else (2xx, 3xx). */
export function statusClass(status: number): StatusClass {
  if (!(status > 0)) return "none";
  if (status === 429) return "429";
  if (status >= 500) return "5xx";
  if (status >= 400) return "4xx";
  return "success";
}

/** One request on the time axis. */
export interface TimelineMark {
  index: number;
  start: number;
  /** The response's end; the start when the entry has no duration. */
  end: number;
  status: number;
  statusClass: StatusClass;
  /** A failed attempt its chain counts as wasted (docs/cli.md, "Retry chains and their cost"). */
  wasted: boolean;
  /** The request it retries, and how long after that one's end it started. */
  retryOf?: number;
  waitMs?: number;
  /** The wait its own response stated (Retry-After and the like), in ms. */
  statedWaitMs?: number;
}

/**
 * A row of the timeline: a retry chain (healthy or flagged; a flagged request no one retried is a
 * chain of one), or a host's requests that neither retry nor were retried.
 */
export interface TimelineLane {
  /** `chain:<first index>` or `host:<host>`. */
  key: string;
  kind: "chain" | "single";
  host: string;
  method: string;
  /** Redacted, as the report lists it. */
  url: string;
  /** In order of start. */
  marks: readonly TimelineMark[];
  /** The flagged chain's rules (the core's `Chain`), errors first; empty when healthy. */
  rules: readonly RuleId[];
  severity: Severity | undefined;
  /** The longest mark's duration: how far before a range a mark may start and still reach it. */
  longest: number;
}

/** What a timeline reads of a session's entry. */
export interface TimelineEntry {
  index: number;
  analysis: Pick<
    EntryAnalysis,
    "host" | "summary" | "findings" | "start" | "end" | "retryOf" | "retryWaitMs" | "statedWaitMs"
  >;
}

export interface Timeline {
  /** Single-request lanes first (by host), then the chains in order of their first start. */
  lanes: readonly TimelineLane[];
  /** The earliest start and the latest end of any mark; NaN when there is none. */
  from: number;
  until: number;
  /** The mark of a request by its index. */
  mark(index: number): TimelineMark | undefined;
  /** The lane a request is drawn in. */
  laneOf(index: number): TimelineLane | undefined;
}

/** What a lane says of its requests. */
interface Described {
  host: string;
  method: string;
  url: string;
}

/** A mark, the lane it is drawn in, and what a chain it starts would say of it. */
interface Placed {
  mark: TimelineMark;
  lane: Lane;
  describe: Described;
}

interface Lane extends TimelineLane {
  marks: TimelineMark[];
  rules: RuleId[];
}

/**
 * Builds the timeline of a session as its entries arrive: each call reads only the entries added
 * since the last (a session's list grows in place) and the chains' rules, so a redraw of a large
 * live session costs what arrived, not the session. Entries may come in any order of index (a
 * file's `log.entries` need not be in order of time).
 */
export class TimelineBuilder {
  #source: readonly TimelineEntry[] | undefined;
  #read = 0;
  #chains: readonly Chain[] | undefined;
  readonly #marks = new Map<number, Placed>();
  /** Chain lanes by the index of their first request, also for a retried request not yet read. */
  readonly #chainLanes = new Map<number, Lane>();
  /** Where an index that a read request retries, but that is not read yet, will go. */
  readonly #awaited = new Map<number, Lane>();
  readonly #singles = new Map<string, Lane>();
  #from = Number.POSITIVE_INFINITY;
  #until = Number.NEGATIVE_INFINITY;
  #ordered: Lane[] | undefined;
  #timeline: Timeline | undefined;

  /**
   * The timeline of `entries` (a session's list, in order of index) with the rules of `chains`
   * (the session's flagged chains). A new list (an import, a clear) starts over.
   */
  update(entries: readonly TimelineEntry[], chains: readonly Chain[]): Timeline {
    if (entries !== this.#source || entries.length < this.#read) this.#reset(entries);
    const changed = this.#read < entries.length || chains !== this.#chains;
    for (; this.#read < entries.length; this.#read++)
      this.#add(entries[this.#read] as TimelineEntry);
    if (chains !== this.#chains) {
      this.#chains = chains;
      this.#tag(chains);
    }
    if (changed || this.#timeline === undefined) this.#timeline = this.#snapshot();
    return this.#timeline;
  }

  #reset(entries: readonly TimelineEntry[]): void {
    this.#source = entries;
    this.#read = 0;
    this.#chains = undefined;
    this.#marks.clear();
    this.#chainLanes.clear();
    this.#awaited.clear();
    this.#singles.clear();
    this.#from = Number.POSITIVE_INFINITY;
    this.#until = Number.NEGATIVE_INFINITY;
    this.#ordered = undefined;
    this.#timeline = undefined;
  }

  #add({ index, analysis }: TimelineEntry): void {
    const start = analysis.start;
    if (!Number.isFinite(start)) return;
    const end = Number.isFinite(analysis.end) ? Math.max(start, analysis.end) : start;
    const status = analysis.summary.status;
    const mark: TimelineMark = {
      index,
      start,
      end,
      status,
      statusClass: statusClass(status),
      wasted:
        isErrorStatus(status) &&
        analysis.findings.some((f) => f.severity !== "info" && WASTING.has(f.rule)),
    };
    if (analysis.retryOf !== undefined) mark.retryOf = analysis.retryOf;
    if (analysis.retryWaitMs !== undefined) mark.waitMs = analysis.retryWaitMs;
    if (analysis.statedWaitMs !== undefined) mark.statedWaitMs = analysis.statedWaitMs;
    this.#from = Math.min(this.#from, start);
    this.#until = Math.max(this.#until, end);

    const describe: Described = {
      host: analysis.host,
      method: analysis.summary.method,
      url: analysis.summary.url,
    };
    // Retried before it was read (a file out of order): its lane is waiting for it.
    let lane = this.#awaited.get(index);
    this.#awaited.delete(index);
    if (lane !== undefined) Object.assign(lane, describe);
    if (analysis.retryOf !== undefined) {
      const into = this.#chainOf(analysis.retryOf, describe);
      if (lane !== undefined && lane !== into) this.#merge(lane, into);
      lane = into;
    }
    lane ??= this.#single(describe);
    this.#insert(lane, mark, describe);
  }

  /** The chain lane of the request `index`: its own, or a new one it starts (leaving its host's). */
  #chainOf(index: number, describe: Described): Lane {
    const known = this.#marks.get(index);
    if (known === undefined) {
      let lane = this.#awaited.get(index);
      if (lane === undefined) {
        lane = this.#newChain(index, describe);
        this.#awaited.set(index, lane);
      }
      return lane;
    }
    if (known.lane.kind === "chain") return known.lane;
    return this.#lift(known);
  }

  /** Moves a request out of its host's lane into a chain of its own. */
  #lift({ mark, lane: single, describe }: Placed, batch?: Set<Lane>): Lane {
    if (batch === undefined) {
      // A retry comes soon after the request it retries: found from the end.
      const at = single.marks.lastIndexOf(mark);
      if (at >= 0) single.marks.splice(at, 1);
      this.#dropIfEmpty(single);
    } else {
      batch.add(single);
    }
    const lane = this.#newChain(mark.index, describe);
    this.#insert(lane, mark, describe);
    return lane;
  }

  #dropIfEmpty(single: Lane): void {
    if (single.marks.length > 0) return;
    this.#singles.delete(single.host);
    this.#ordered = undefined;
  }

  #newChain(first: number, describe: Described): Lane {
    const lane: Lane = {
      key: `chain:${first}`,
      kind: "chain",
      host: describe.host,
      method: describe.method,
      url: describe.url,
      marks: [],
      rules: [],
      severity: undefined,
      longest: 0,
    };
    this.#chainLanes.set(first, lane);
    this.#ordered = undefined;
    return lane;
  }

  #single(describe: Described): Lane {
    let lane = this.#singles.get(describe.host);
    if (lane === undefined) {
      lane = {
        key: `host:${describe.host}`,
        kind: "single",
        host: describe.host,
        method: "",
        url: "",
        marks: [],
        rules: [],
        severity: undefined,
        longest: 0,
      };
      this.#singles.set(describe.host, lane);
      this.#ordered = undefined;
    }
    return lane;
  }

  /** Two chains found to be one (a file out of order): `from`'s requests join `into`. */
  #merge(from: Lane, into: Lane): void {
    for (const mark of from.marks) {
      const placed = this.#marks.get(mark.index);
      if (placed !== undefined) this.#insert(into, mark, placed.describe);
    }
    for (const [first, lane] of this.#chainLanes) if (lane === from) this.#chainLanes.delete(first);
    for (const [index, lane] of this.#awaited) if (lane === from) this.#awaited.set(index, into);
    this.#ordered = undefined;
  }

  /** Keeps the lane's marks in order of start: an append, unless a file is out of order. */
  #insert(lane: Lane, mark: TimelineMark, describe: Described): void {
    const marks = lane.marks;
    let at = marks.length;
    while (at > 0 && (marks[at - 1] as TimelineMark).start > mark.start) at--;
    if (at === marks.length) marks.push(mark);
    else marks.splice(at, 0, mark);
    if (at === 0) this.#ordered = undefined;
    lane.longest = Math.max(lane.longest, mark.end - mark.start);
    this.#marks.set(mark.index, { mark, lane, describe });
  }

  /** Each flagged chain's rules on its lane; a flagged request no one retried gets a lane of its own. */
  #tag(chains: readonly Chain[]): void {
    for (const lane of this.#chainLanes.values()) {
      lane.rules = [];
      lane.severity = undefined;
    }
    // Host lanes that gave requests away are compacted once, not once per request.
    const lifted = new Set<Lane>();
    for (const chain of chains) {
      const first = chain.entries[0];
      const known = first === undefined ? undefined : this.#marks.get(first);
      if (known === undefined) continue;
      const lane = known.lane.kind === "chain" ? known.lane : this.#lift(known, lifted);
      lane.rules = [...chain.rules];
      lane.severity = chain.severity;
    }
    for (const single of lifted) {
      single.marks = single.marks.filter((mark) => this.#marks.get(mark.index)?.lane === single);
      this.#dropIfEmpty(single);
    }
  }

  #snapshot(): Timeline {
    if (this.#ordered === undefined) {
      const singles = [...this.#singles.values()].sort((a, b) => a.host.localeCompare(b.host));
      const chains = [...new Set(this.#chainLanes.values())]
        .filter((lane) => lane.marks.length > 0)
        .sort(
          (a, b) =>
            (a.marks[0] as TimelineMark).start - (b.marks[0] as TimelineMark).start ||
            (a.marks[0] as TimelineMark).index - (b.marks[0] as TimelineMark).index,
        );
      this.#ordered = [...singles, ...chains];
    }
    const marks = this.#marks;
    const empty = !Number.isFinite(this.#from);
    return {
      lanes: this.#ordered,
      from: empty ? Number.NaN : this.#from,
      until: empty ? Number.NaN : this.#until,
      mark: (index) => marks.get(index)?.mark,
      laneOf: (index) => marks.get(index)?.lane,
    };
  }
}

/**
 * The marks of a lane (in order of start) that reach into `from`..`until`: found by bisection,
 * so a frame of a zoomed view costs what it shows.
 */
export function marksIn(lane: TimelineLane, from: number, until: number): readonly TimelineMark[] {
  const marks = lane.marks;
  const earliest = from - lane.longest;
  let low = 0;
  let high = marks.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((marks[mid] as TimelineMark).start < earliest) low = mid + 1;
    else high = mid;
  }
  let first = low;
  while (first < marks.length && (marks[first] as TimelineMark).end < from) first++;
  let last = first;
  while (last < marks.length && (marks[last] as TimelineMark).start <= until) last++;
  return marks.slice(first, last);
}
