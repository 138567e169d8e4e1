import { expect, test } from "vitest";
import { isRecord } from "./is-record.js";

test("isRecord takes objects and nothing else: no null, array or primitive", () => {
  expect(isRecord({})).toBe(true);
  expect(isRecord({ a: 1 })).toBe(true);
  expect(isRecord(null)).toBe(false);
  expect(isRecord([])).toBe(false);
  expect(isRecord("x")).toBe(false);
  expect(isRecord(1)).toBe(false);
  expect(isRecord(undefined)).toBe(false);
});
