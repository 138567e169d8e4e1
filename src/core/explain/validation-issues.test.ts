import { describe, expect, test } from "vitest";
import { validationIssues } from "./validation-issues.js";

describe("validationIssues", () => {
  test("reads a list of field and message objects, directly or under a known key", () => {
    const issues = [
      { field: "prompt", message: "is required" },
      { path: ["options", "steps"], msg: "must be at most 50" },
    ];
    const expected = [
      { field: "prompt", message: "is required" },
      { field: "options.steps", message: "must be at most 50" },
    ];
    expect(validationIssues(issues)).toEqual(expected);
    expect(validationIssues({ issues })).toEqual(expected);
  });

  test("reads an object of field to message or messages", () => {
    expect(validationIssues({ email: "is invalid", name: ["too short", "has digits"] })).toEqual([
      { field: "email", message: "is invalid" },
      { field: "name", message: "too short" },
      { field: "name", message: "has digits" },
    ]);
  });

  test("leaves any other shape to the JSON view", () => {
    expect(validationIssues({ limit: 100, window: "1m" })).toBeUndefined();
    expect(validationIssues([{ id: 1 }])).toBeUndefined();
    expect(validationIssues("text")).toBeUndefined();
    expect(validationIssues({})).toBeUndefined();
  });
});
