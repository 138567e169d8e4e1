import { describe, expect, it } from "vitest";
import { entry } from "../../../test/support/har.js";
import { parseHar } from "./parse-har.js";

const good = entry();
const harOf = (entries: unknown[]) => JSON.stringify({ log: { version: "1.2", entries } });

describe("parseHar", () => {
  it("reads a file that starts with a UTF-8 byte-order mark, as Fiddler writes it", () => {
    const parsed = parseHar(`\uFEFF${harOf([good])}`);
    expect(parsed).toMatchObject({ ok: true, indices: [0], skipped: [] });
  });

  it("skips an entry it cannot analyse, says which and why, and keeps the others' indices", () => {
    const noMethod = { ...good, request: { ...good.request, method: "" } };
    const noTime = { ...good, startedDateTime: undefined };
    const parsed = parseHar(harOf([noMethod, good, {}, noTime, good]));
    expect(parsed).toEqual({
      ok: true,
      entries: [good, good],
      indices: [1, 4],
      skipped: [
        { index: 0, reason: "has no request.method" },
        { index: 2, reason: "has no valid startedDateTime" },
        { index: 3, reason: "has no valid startedDateTime" },
      ],
    });
  });

  it("rejects the file only when no entry could be read", () => {
    const parsed = parseHar(harOf([{}, { ...good, startedDateTime: "soon" }]));
    expect(parsed).toEqual({
      ok: false,
      message: "no entry could be read: log.entries[0] has no valid startedDateTime (and 1 more)",
    });
  });

  it("reads a file with no entries at all as an empty session", () => {
    expect(parseHar(harOf([]))).toEqual({ ok: true, entries: [], indices: [], skipped: [] });
  });

  it("rejects the file at the first bad entry when strict", () => {
    expect(parseHar(harOf([good, {}]), { strict: true })).toEqual({
      ok: false,
      message: "invalid HAR: log.entries[1] has no valid startedDateTime",
    });
  });

  it("accepts fractional seconds without zero padding", () => {
    const parsed = parseHar(harOf([{ ...good, startedDateTime: "2026-11-23T11:00:00.5+01:00" }]));
    expect(parsed).toMatchObject({ ok: true, skipped: [] });
  });
});
