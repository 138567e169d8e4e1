import { describe, expect, it } from "vitest";
import { entry, T0 } from "../../test/support/har.js";
import { Session } from "../core/session.js";
import { FilteredEntries, filterEntries, NO_FILTER, type RequestFilter } from "./filters.js";

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
    expect(filtered.update(session.entries, errors, session.releases)).toEqual(
      filterEntries(session.entries, errors),
    );
    for (let i = 50; i < 80; i++) add(session, i, i % 3 === 0 ? 429 : 200);
    expect(filtered.update(session.entries, errors, session.releases)).toEqual(
      filterEntries(session.entries, errors),
    );
    // Another filter, a cleared session: filtered afresh.
    const text: RequestFilter = { ...NO_FILTER, text: "N=7" };
    expect(filtered.update(session.entries, text, session.releases)).toEqual(
      filterEntries(session.entries, text),
    );
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
