import { expect, test } from "vitest";
import { visibleRange } from "./hooks.js";

test("the visible range covers the viewport plus overscan on both sides", () => {
  expect(visibleRange(0, 100, 20, 1000, 5)).toEqual({ start: 0, end: 11 });
  expect(visibleRange(2000, 100, 20, 1000, 5)).toEqual({ start: 95, end: 111 });
});

test("the visible range stays inside the list when scrolled past its end or before its start", () => {
  expect(visibleRange(1_000_000, 100, 20, 1000, 5)).toEqual({ start: 990, end: 1000 });
  expect(visibleRange(-50, 100, 20, 3, 5)).toEqual({ start: 0, end: 3 });
  expect(visibleRange(500, 100, 20, 0, 5)).toEqual({ start: 0, end: 0 });
});
