import { describe, expect, it } from "vitest";
import { KeyedSpool, type Output, Spool } from "./spool.js";

/** An output that keeps what it is given, as text. */
function collect(): Output & { text(): string } {
  const parts: Buffer[] = [];
  return {
    write: async (part) => {
      parts.push(typeof part === "string" ? Buffer.from(part) : Buffer.from(part));
    },
    text: () => Buffer.concat(parts).toString("utf8"),
  };
}

// Beyond what a spool holds in memory (2 Mi characters), with characters of 1 to 4 UTF-8 bytes
// that the file's parts may cut in two.
const PARTS = Array.from({ length: 3000 }, (_, i) => `${i}: é€😀 ${"x".repeat(i % 2000)}\n`);

describe("Spool", () => {
  it("gives back what was written, held in memory or in a file", async () => {
    for (const parts of [PARTS.slice(0, 10), PARTS]) {
      const spool = new Spool();
      for (const part of parts) spool.write(part);
      const output = collect();
      await spool.writeTo(output);
      expect(output.text()).toBe(parts.join(""));
    }
  });

  it("appends to another spool, whole characters included", async () => {
    const inner = new Spool();
    for (const part of PARTS) inner.write(part);
    const outer = new Spool();
    outer.write("head\n");
    inner.appendTo(outer);
    inner.dispose();
    outer.write("tail\n");
    const output = collect();
    await outer.writeTo(output);
    expect(output.text()).toBe(`head\n${PARTS.join("")}tail\n`);
  });
});

describe("KeyedSpool", () => {
  it("gives back the elements in key order, ties in the order written, held or spilled", () => {
    for (const count of [10, PARTS.length]) {
      const spool = new KeyedSpool();
      const keys = PARTS.slice(0, count).map((_, i) => (i * 7919) % 101);
      PARTS.slice(0, count).forEach((part, i) => {
        spool.write(part, keys[i] as number);
      });
      expect(spool.length).toBe(count);
      const expected = PARTS.slice(0, count)
        .map((part, i) => ({ part, key: keys[i] as number, i }))
        .sort((a, b) => a.key - b.key || a.i - b.i)
        .map(({ part }) => part);
      const drained: string[] = [];
      spool.drain((text, position) => {
        expect(position).toBe(drained.length);
        drained.push(text);
      });
      expect(drained).toEqual(expected);
    }
  });
});
