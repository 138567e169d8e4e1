import { describe, expect, it } from "vitest";
import { T0 } from "../../test/support/har.js";
import { HostErrors } from "./host-errors.js";

describe("HostErrors", () => {
  it("counts a host's errors by status and code, latest first, and forgets them past the retention", () => {
    const ledger = new HostErrors();
    ledger.seen("a.test", T0, { status: 429, code: null });
    ledger.seen("a.test", T0 + 10, undefined);
    ledger.seen("a.test", T0 + 20, { status: 429, code: null });
    ledger.seen("b.test", T0 + 5, { status: 0, code: null });
    ledger.recode("a.test", 429, null, "rate_limit", T0 + 20);
    expect(ledger.errorsOf("a.test")).toEqual([
      { status: 429, code: "rate_limit", count: 1, last: T0 + 20 },
      { status: 429, code: null, count: 1, last: T0 },
    ]);
    expect(ledger.byRecency()).toEqual([
      ["a.test", T0 + 20],
      ["b.test", T0 + 5],
    ]);

    expect(ledger.prune(T0 + 6)).toEqual({ forgotten: ["b.test"], changed: true });
    expect(ledger.errorsOf("a.test")).toEqual([
      { status: 429, code: "rate_limit", count: 1, last: T0 + 20 },
    ]);
    const restored = HostErrors.restore(JSON.parse(JSON.stringify(ledger.snapshot())));
    expect(restored.errorsOf("a.test")).toEqual(ledger.errorsOf("a.test"));
    expect(restored.byRecency()).toEqual([["a.test", T0 + 20]]);
  });

  it("keeps at most 1000 error times a host, the newest", () => {
    const ledger = new HostErrors();
    for (let i = 0; i < 1005; i++) ledger.seen("a.test", T0 + i, { status: 503, code: null });
    expect(ledger.errorsOf("a.test")).toEqual([
      { status: 503, code: null, count: 1000, last: T0 + 1004 },
    ]);
  });
});
