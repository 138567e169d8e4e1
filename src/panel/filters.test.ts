import { describe, expect, it } from "vitest";
import { entry, T0 } from "../../test/support/har.js";
import { Session, type SessionEntry } from "../core/session.js";
import { FilteredEntries, NO_FILTER, type RequestFilter } from "./filters.js";

/** The session filtered whole, by a fresh `FilteredEntries` (no earlier call to build on). */
function filteredWhole(session: Session, filter: RequestFilter) {
  return new FilteredEntries().update(session.entries, filter, session.releases);
}

/** The `n` query parameter of each entry, to say which entries a list holds. */
function ns(entries: readonly SessionEntry[]): number[] {
  return entries.map((item) => Number(new URL(item.entry.request.url).searchParams.get("n")));
}

function add(session: Session, i: number, status = 200, body = "{}") {
  session.add(
    entry({ url: `https://api.casola.ai/v1/models?n=${i}`, status, body, startedDateTime: T0 + i }),
    "live",
  );
}

describe("FilteredEntries", () => {
  it("keeps the filtered list of a growing session up to date, as filtering it whole would", () => {
    const session = new Session();
    const filtered = new FilteredEntries();
    const errors: RequestFilter = { ...NO_FILTER, errorsOnly: true };
    for (let i = 0; i < 50; i++) add(session, i, i % 3 === 0 ? 429 : 200);
    const first = filtered.update(session.entries, errors, session.releases);
    expect(first).toEqual(filteredWhole(session, errors));
    expect(ns(first)).toEqual([...Array(50).keys()].filter((i) => i % 3 === 0));
    for (let i = 50; i < 80; i++) add(session, i, i % 3 === 0 ? 429 : 200);
    const grown = filtered.update(session.entries, errors, session.releases);
    expect(grown).toEqual(filteredWhole(session, errors));
    expect(ns(grown)).toEqual([...Array(80).keys()].filter((i) => i % 3 === 0));
    // Another filter, a cleared session: filtered afresh.
    const text: RequestFilter = { ...NO_FILTER, text: "N=7" };
    const byText = filtered.update(session.entries, text, session.releases);
    expect(byText).toEqual(filteredWhole(session, text));
    expect(ns(byText)).toEqual([7, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79]);
    session.clear();
    add(session, 7);
    expect(filtered.update(session.entries, text, session.releases)).toHaveLength(1);
    expect(filtered.update(session.entries, NO_FILTER, session.releases)).toBe(session.entries);
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
