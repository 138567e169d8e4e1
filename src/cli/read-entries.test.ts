import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CASOLA, call, har } from "../../test/support/har.js";
import { parseHar } from "../core/har/parse-har.js";
import { readEntries, readEntriesByOffset } from "./read-entries.js";

async function* chunksOf(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text, "utf8");
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function read(text: string, size: number) {
  const seen: number[] = [];
  const result = await readEntries(chunksOf(text, size), {
    strict: false,
    entry: (_entry, index) => seen.push(index),
  });
  return { seen, result };
}

const tricky = har([
  call({ at: 2, url: `${CASOLA}/jobs/1`, status: 200, text: 'a "quoted" \\ back}slash ] é 😀' }),
  call({ at: 1, url: `${CASOLA}/jobs/2`, status: 429, json: { error: { code: "rate_limit" } } }),
  call({ at: 3, url: `${CASOLA}/jobs/3`, status: 500, text: "\\\\" }),
]);

describe("reading a HAR in chunks", () => {
  it("finds every entry whatever the chunk size, with escapes, brackets and UTF-8 in bodies", async () => {
    const text = `\uFEFF${JSON.stringify(tricky, null, 1)}`;
    for (const size of [1, 2, 3, 7, 64, 1 << 20]) {
      const { seen, result } = await read(text, size);
      // In order of start time, each under its index in log.entries.
      expect(seen, `chunks of ${size}`).toEqual([1, 0, 2]);
      expect(result).toEqual({ order: "sorted", skipped: [] });
    }
  });

  it("skips what parseHar skips, with the same index and reason", async () => {
    const text = JSON.stringify({ log: { entries: [{}, null, ...tricky.log.entries, 5] } });
    const parsed = parseHar(text);
    const { result } = await read(text, 5);
    expect(parsed.ok && result.order === "sorted").toBe(true);
    if (parsed.ok && result.order === "sorted") expect(result.skipped).toEqual(parsed.skipped);
  });

  it("says what is wrong with a file that is not a HAR, as parseHar does", async () => {
    for (const text of [
      "",
      "  \n",
      "<html>login</html>",
      '{"name":"package"}',
      '{"log":{"entries":{}}}',
      '{"log":{"entries":[{}]}}',
      '{"log":{"entries":[]}} x',
    ]) {
      const parsed = parseHar(text);
      const message = parsed.ok ? undefined : parsed.message;
      await expect(read(text, 4), text).rejects.toThrow(message);
    }
  });

  it("rejects a truncated file and bad separators between entries", async () => {
    const whole = JSON.stringify(tricky);
    await expect(read(whole.slice(0, whole.length - 40), 9)).rejects.toThrow(/truncated/);
    await expect(read('{"log":{"entries":[,{}]}}', 9)).rejects.toThrow(/not valid JSON/);
    await expect(read('{"log":{"entries":[{} {}]}}', 9)).rejects.toThrow(/not valid JSON/);
  });

  it("reads a file out of order beyond the window again, by offsets, in order of start time", async () => {
    const entries = Array.from({ length: 5000 }, (_, i) =>
      call({ at: i === 4999 ? 0 : i + 1, url: `${CASOLA}/jobs/${i}`, status: 200 }),
    );
    const text = JSON.stringify(har(entries));
    const { result } = await read(text, 1 << 16);
    expect(result.order).toBe("unsorted");
    const dir = mkdtempSync(join(tmpdir(), "ratelens-test-"));
    const path = join(dir, "unsorted.har");
    writeFileSync(path, text);
    const seen: number[] = [];
    try {
      await readEntriesByOffset(path, chunksOf(text, 1 << 16), {
        strict: false,
        entry: (_entry, index) => seen.push(index),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(seen.slice(0, 3)).toEqual([4999, 0, 1]);
    expect(seen).toHaveLength(5000);
  });
});
