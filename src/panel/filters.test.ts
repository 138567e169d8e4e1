import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CASOLA, CUADRA, casolaError, entry, har, T0 } from "../../test/support/har.js";
import { Session, type SessionEntry } from "../core/session.js";
import {
  DEFAULT_SORT,
  FilteredEntries,
  NO_FILTER,
  type RequestFilter,
  type RequestSort,
  type ShownEntries,
  type SortColumn,
  sortKeyOf,
} from "./filters.js";

/** The rows shown, top to bottom. */
function list(shown: ShownEntries): SessionEntry[] {
  return Array.from({ length: shown.length }, (_, i) => shown.at(i) as SessionEntry);
}

/** The session filtered and sorted whole, by a fresh `FilteredEntries` (nothing to build on). */
function whole(session: Session, filter: RequestFilter, sort: RequestSort = DEFAULT_SORT) {
  return list(new FilteredEntries().update(session.entries, filter, session.releases, sort));
}

/** The session indices of the rows shown, top to bottom. */
function indices(shown: ShownEntries | readonly SessionEntry[]): number[] {
  const items = Array.isArray(shown) ? shown : list(shown as ShownEntries);
  return items.map((item) => item.index);
}

/** The `n` query parameter of each entry, to say which entries a list holds. */
function ns(shown: ShownEntries): number[] {
  return list(shown).map((item) => Number(new URL(item.entry.request.url).searchParams.get("n")));
}

function add(session: Session, i: number, status = 200, body = "{}") {
  session.add(
    entry({ url: `https://api.casola.ai/v1/models?n=${i}`, status, body, startedDateTime: T0 + i }),
    "live",
  );
}

const COLUMNS: readonly SortColumn[] = [
  "time",
  "method",
  "status",
  "provider",
  "code",
  "path",
  "duration",
  "findings",
];

/** What the list must show: by key (reversed when descending), then start time, then index. */
function expected(entries: readonly SessionEntry[], sort: RequestSort): number[] {
  const start = (item: SessionEntry) => sortKeyOf("time", item) as number;
  // Time descending is time ascending read backwards.
  const byTime = sort.column === "time";
  const compare = (a: SessionEntry, b: SessionEntry) => {
    const ka = sortKeyOf(sort.column, a);
    const kb = sortKeyOf(sort.column, b);
    if (ka !== kb) return (ka < kb ? -1 : 1) * (sort.descending && !byTime ? -1 : 1);
    return start(a) - start(b) || a.index - b.index;
  };
  const sorted = [...entries].sort(compare).map((item) => item.index);
  return byTime && sort.descending ? sorted.reverse() : sorted;
}

describe("FilteredEntries: filtering", () => {
  it("keeps the filtered list of a growing session up to date, as filtering it whole would", () => {
    const session = new Session();
    const filtered = new FilteredEntries();
    const errors: RequestFilter = { ...NO_FILTER, errorsOnly: true };
    for (let i = 0; i < 50; i++) add(session, i, i % 3 === 0 ? 429 : 200);
    const first = filtered.update(session.entries, errors, session.releases);
    expect(list(first)).toEqual(whole(session, errors));
    expect(ns(first)).toEqual([...Array(50).keys()].filter((i) => i % 3 === 0));
    for (let i = 50; i < 80; i++) add(session, i, i % 3 === 0 ? 429 : 200);
    const grown = filtered.update(session.entries, errors, session.releases);
    expect(list(grown)).toEqual(whole(session, errors));
    expect(ns(grown)).toEqual([...Array(80).keys()].filter((i) => i % 3 === 0));
    // Another filter, a cleared session: filtered afresh.
    const text: RequestFilter = { ...NO_FILTER, text: "N=7" };
    const byText = filtered.update(session.entries, text, session.releases);
    expect(list(byText)).toEqual(whole(session, text));
    expect(ns(byText)).toEqual([7, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79]);
    session.clear();
    add(session, 7);
    expect(filtered.update(session.entries, text, session.releases)).toHaveLength(1);
    expect(list(filtered.update(session.entries, NO_FILTER, session.releases))).toEqual(
      session.entries,
    );
  });

  it("stops finding what only a released body said", () => {
    const session = new Session({ bodiesKept: 100 });
    const filtered = new FilteredEntries();
    const text: RequestFilter = { ...NO_FILTER, text: "needle" };
    add(session, 0, 200, '{"say":"needle"}');
    expect(filtered.update(session.entries, text, session.releases)).toHaveLength(1);
    for (let i = 1; i < 120; i++) add(session, i);
    expect(session.released).toBeGreaterThan(0);
    expect(filtered.update(session.entries, text, session.releases)).toHaveLength(0);
  });
});

/**
 * Five requests that differ in every column, reported out of start order: index 0 started last,
 * and indices 1 and 3 started at the same moment.
 */
function fiveRequests(): Session {
  const session = new Session();
  const at = (seconds: number) => T0 + seconds * 1000;
  const rows = [
    { url: `${CASOLA}/models?n=0`, method: "GET", status: 200, time: 50, start: at(4) },
    {
      url: `${CASOLA}/jobs?n=1`,
      method: "POST",
      status: 429,
      time: 300,
      start: at(1),
      body: JSON.stringify(casolaError("quota_exceeded")),
    },
    { url: `${CUADRA}/chat?n=2`, method: "PUT", status: 500, time: 10, start: at(2) },
    {
      url: `${CASOLA}/audio?n=3`,
      method: "DELETE",
      status: 404,
      time: 20,
      start: at(1),
      body: JSON.stringify(casolaError("not_found")),
    },
    { url: `${CUADRA}/usage?n=4`, method: "GET", status: 0, time: 0, start: at(3) },
  ];
  for (const row of rows) {
    session.add(
      entry({
        url: row.url,
        method: row.method,
        status: row.status,
        time: row.time,
        startedDateTime: row.start,
        body: row.body ?? "{}",
      }),
      "live",
    );
  }
  return session;
}

describe("FilteredEntries: sorting", () => {
  it("shows requests by start time by default, whatever order DevTools reported them in", () => {
    const session = fiveRequests();
    const shown = new FilteredEntries().update(session.entries, NO_FILTER, session.releases);
    // 1 and 3 started together: the earlier reported first.
    expect(indices(shown)).toEqual([1, 3, 2, 4, 0]);
  });

  it("sorts by every column, both ways, ties by start time then index", () => {
    const session = fiveRequests();
    const by = (column: SortColumn, descending = false) =>
      indices(whole(session, NO_FILTER, { column, descending }));
    expect(by("time")).toEqual([1, 3, 2, 4, 0]);
    expect(by("time", true)).toEqual([0, 4, 2, 3, 1]);
    // DELETE, GET (4 started before 0), POST, PUT.
    expect(by("method")).toEqual([3, 4, 0, 1, 2]);
    expect(by("method", true)).toEqual([2, 1, 4, 0, 3]);
    // No response (0) first.
    expect(by("status")).toEqual([4, 0, 3, 1, 2]);
    expect(by("status", true)).toEqual([2, 1, 3, 0, 4]);
    // casola (1, 3, 0 by start), then cuadra (2, 4).
    expect(by("provider")).toEqual([1, 3, 0, 2, 4]);
    expect(by("provider", true)).toEqual([2, 4, 1, 3, 0]);
    // No code first, by start time; then Cuadra's internal_error, not_found, quota_exceeded.
    expect(by("code")).toEqual([4, 0, 2, 3, 1]);
    expect(by("code", true)).toEqual([1, 3, 2, 4, 0]);
    // /v1/audio, /v1/chat, /v1/jobs, /v1/models, /v1/usage.
    expect(by("path")).toEqual([3, 2, 1, 0, 4]);
    expect(by("path", true)).toEqual([4, 0, 1, 2, 3]);
    expect(by("duration")).toEqual([4, 2, 3, 0, 1]);
    expect(by("duration", true)).toEqual([1, 0, 3, 2, 4]);
    // Only Cuadra's 500 has a finding; the others tie, by start time.
    expect(session.entries.map((item) => item.findings.length > 0)).toEqual([
      false,
      false,
      true,
      false,
      false,
    ]);
    expect(by("findings")).toEqual([1, 3, 4, 0, 2]);
    expect(by("findings", true)).toEqual([2, 1, 3, 4, 0]);
  });

  it("sorts by findings: the worst severity first when descending, then the most of them", () => {
    const session = new Session();
    // A 429 quota_exceeded retried twice at once: the retries are flagged (retry-non-retryable,
    // an error, and no-backoff).
    const quota = JSON.stringify(casolaError("quota_exceeded"));
    for (let i = 0; i < 3; i++) {
      session.add(
        entry({
          url: `${CASOLA}/jobs`,
          method: "POST",
          status: 429,
          body: quota,
          startedDateTime: T0 + i * 100,
        }),
        "live",
      );
    }
    session.add(entry({ url: `${CASOLA}/models`, startedDateTime: T0 + 50 }), "live");
    const flagged = session.entries.filter((item) => item.findings.length > 0);
    expect(flagged.length).toBeGreaterThan(0);
    const shown = whole(session, NO_FILTER, { column: "findings", descending: true });
    const keys = shown.map((item) => sortKeyOf("findings", item) as number);
    expect(keys).toEqual([...keys].sort((a, b) => b - a));
    expect(shown.at(-1)?.findings).toEqual([]);
    expect(indices(shown)).toEqual(
      expected(session.entries, { column: "findings", descending: true }),
    );
  });

  it("a retry that DevTools reported before the request it retried comes after it", () => {
    const quota = JSON.stringify(casolaError("quota_exceeded"));
    const original = entry({
      url: `${CASOLA}/jobs`,
      method: "POST",
      status: 429,
      body: quota,
      startedDateTime: T0,
    });
    const retry = entry({
      url: `${CASOLA}/jobs`,
      method: "POST",
      status: 429,
      body: quota,
      startedDateTime: T0 + 200,
    });
    const session = new Session();
    // The file lists the retry first, as DevTools' log may.
    session.import({ entries: har([retry, original]).log.entries as never });
    expect(indices(session.entries)).toEqual([0, 1]);
    const retried = session.entry(0);
    expect(retried?.findings.length).toBeGreaterThan(0);
    expect(indices(whole(session, NO_FILTER))).toEqual([1, 0]);
  });

  it("keeps the order of a growing session as sorting it whole would, one entry or many at a time", () => {
    const session = new Session();
    const filtered = new FilteredEntries();
    const sort: RequestSort = { column: "status", descending: true };
    for (let i = 0; i < 200; i++) {
      // Mostly in start order, every seventh started a while before.
      const start = T0 + i * 10 - (i % 7 === 0 ? 500 : 0);
      session.add(
        entry({
          url: `${CASOLA}/models?n=${i}`,
          status: [200, 429, 500, 404][i % 4],
          startedDateTime: start,
        }),
        "live",
      );
      if (i % 50 === 0 || i > 150)
        filtered.update(session.entries, NO_FILTER, session.releases, sort);
    }
    const shown = filtered.update(session.entries, NO_FILTER, session.releases, sort);
    expect(indices(shown)).toEqual(expected(session.entries, sort));
    expect(indices(filtered.update(session.entries, NO_FILTER, session.releases))).toEqual(
      expected(session.entries, DEFAULT_SORT),
    );
  });

  it("filters and sorts together, and a new filter keeps the sort", () => {
    const session = fiveRequests();
    const filtered = new FilteredEntries();
    const sort: RequestSort = { column: "duration", descending: true };
    const errors: RequestFilter = { ...NO_FILTER, errorsOnly: true };
    expect(indices(filtered.update(session.entries, errors, session.releases, sort))).toEqual([
      1, 3, 2, 4,
    ]);
    const casola: RequestFilter = { ...NO_FILTER, host: "api.casola.ai" };
    expect(indices(filtered.update(session.entries, casola, session.releases, sort))).toEqual([
      1, 0, 3,
    ]);
    session.add(entry({ url: `${CASOLA}/models?n=5`, time: 100, startedDateTime: T0 }), "live");
    expect(indices(filtered.update(session.entries, casola, session.releases, sort))).toEqual([
      1, 5, 0, 3,
    ]);
    expect(indices(filtered.update(session.entries, casola, session.releases))).toEqual([
      5, 1, 3, 0,
    ]);
  });

  it("finds the row of a request in the sorted, filtered order, and none for one filtered out", () => {
    const session = fiveRequests();
    const filtered = new FilteredEntries();
    const shown = filtered.update(session.entries, NO_FILTER, session.releases, {
      column: "path",
      descending: false,
    });
    for (let row = 0; row < shown.length; row++) {
      expect(shown.positionOf(shown.at(row)?.index)).toBe(row);
    }
    const timeDown = filtered.update(session.entries, NO_FILTER, session.releases, {
      column: "time",
      descending: true,
    });
    expect(indices(timeDown)).toEqual([0, 4, 2, 3, 1]);
    expect(timeDown.positionOf(0)).toBe(0);
    expect(timeDown.positionOf(1)).toBe(4);
    const errors = filtered.update(
      session.entries,
      { ...NO_FILTER, errorsOnly: true },
      session.releases,
    );
    expect(errors.positionOf(0)).toBe(-1);
    expect(errors.positionOf(99)).toBe(-1);
    expect(errors.positionOf(undefined)).toBe(-1);
    expect(errors.at(-1)).toBeUndefined();
    expect(errors.at(errors.length)).toBeUndefined();
  });

  it("places anew a request whose findings came with a later one, under a findings sort and a flagged filter", () => {
    const session = new Session();
    const filtered = new FilteredEntries();
    const bySeverity: RequestSort = { column: "findings", descending: true };
    const flagged: RequestFilter = { ...NO_FILTER, flaggedOnly: true };
    const checks = () => {
      expect(
        indices(filtered.update(session.entries, NO_FILTER, session.releases, bySeverity)),
      ).toEqual(indices(whole(session, NO_FILTER, bySeverity)));
    };
    const flaggedOnly = new FilteredEntries();
    const quota = JSON.stringify(casolaError("quota_exceeded"));
    for (let i = 0; i < 12; i++) {
      session.add(
        entry({
          url: `${CASOLA}/jobs`,
          method: "POST",
          status: i % 4 === 3 ? 200 : 429,
          body: i % 4 === 3 ? "{}" : quota,
          startedDateTime: T0 + i * 150,
        }),
        "live",
      );
      checks();
      expect(indices(flaggedOnly.update(session.entries, flagged, session.releases))).toEqual(
        indices(whole(session, flagged)),
      );
    }
  });
});

/** One request of a generated session: few values per column, so that keys tie often. */
const request = fc.record({
  start: fc.integer({ min: 0, max: 40 }),
  method: fc.constantFrom("GET", "POST", "DELETE"),
  status: fc.constantFrom(0, 200, 404, 429, 500),
  host: fc.constantFrom(CASOLA, CUADRA),
  path: fc.constantFrom("/jobs", "/models", "/chat"),
  time: fc.integer({ min: 0, max: 5 }),
  code: fc.constantFrom(undefined, "quota_exceeded", "rate_limit"),
});

const sortArb = fc.record({
  column: fc.constantFrom(...COLUMNS),
  descending: fc.boolean(),
});

const filterArb = fc.record({
  host: fc.constantFrom("", "api.casola.ai"),
  errorsOnly: fc.boolean(),
  flaggedOnly: fc.boolean(),
  text: fc.constantFrom("", "jobs", "quota"),
});

describe("FilteredEntries: properties", () => {
  it("a list kept up to date batch by batch, under changing sorts and filters, is the list sorted whole", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            requests: fc.array(request, { maxLength: 12 }),
            sort: sortArb,
            filter: filterArb,
          }),
          { minLength: 1, maxLength: 8 },
        ),
        fc.integer({ min: 2, max: 40 }),
        (steps, bodiesKept) => {
          const session = new Session({ bodiesKept });
          const filtered = new FilteredEntries();
          for (const step of steps) {
            for (const r of step.requests) {
              const body = r.code === undefined ? "{}" : JSON.stringify(casolaError(r.code));
              session.add(
                entry({
                  url: `${r.host}${r.path}`,
                  method: r.method,
                  status: r.status,
                  time: r.time,
                  body,
                  startedDateTime: T0 + r.start * 100,
                }),
                "live",
              );
            }
            const shown = filtered.update(
              session.entries,
              step.filter,
              session.releases,
              step.sort,
            );
            const fresh = whole(session, step.filter, step.sort);
            expect(indices(shown)).toEqual(indices(fresh));
            expect(indices(shown)).toEqual(
              expected(
                fresh.length === 0 ? [] : session.entries.filter((e) => fresh.includes(e)),
                step.sort,
              ),
            );
            for (let row = 0; row < shown.length; row++) {
              expect(shown.positionOf(shown.at(row)?.index)).toBe(row);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
