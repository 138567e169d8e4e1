import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RecordedOrder } from "./recorded-order.js";

function drain<T>(order: RecordedOrder<T>): T[] {
  const out: T[] = [];
  for (let item = order.next(); item !== undefined; item = order.next()) out.push(item);
  return out;
}

describe("RecordedOrder", () => {
  it("gives any array back by start time, ties in file order, as a stable sort does", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (starts) => {
        const order = new RecordedOrder<number>();
        for (const [position, start] of starts.entries()) order.add(start, position);
        const sorted = [...starts.entries()]
          .sort(([a, startA], [b, startB]) => startA - startB || a - b)
          .map(([position]) => position);
        expect(drain(order)).toEqual(sorted);
      }),
    );
  });

  it("lets an entry out once more than the window are held after it", () => {
    const order = new RecordedOrder<string>(2);
    expect(order.add(30, "c")).toBe(true);
    expect(order.due()).toBeUndefined();
    order.add(10, "a");
    expect(order.due()).toBeUndefined();
    order.add(20, "b");
    expect(order.due()).toBe("a");
    order.add(40, "d");
    expect(order.due()).toBe("b");
    expect(drain(order)).toEqual(["c", "d"]);
  });

  it("refuses an entry that starts before one already let out", () => {
    const order = new RecordedOrder<string>(1);
    order.add(10, "a");
    order.add(20, "b");
    expect(order.due()).toBe("a");
    expect(order.add(5, "early")).toBe(false);
    expect(order.add(10, "tie")).toBe(true);
    expect(order.size).toBe(2);
  });
});
