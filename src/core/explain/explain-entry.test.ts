import { describe, expect, test } from "vitest";
import { entry, T0 } from "../../../test/support/har.js";
import type { DecodedError, HarEntry } from "../types.js";
import { explainEntry } from "./explain-entry.js";

const error: DecodedError = {
  provider: "casola",
  status: 422,
  code: "validation_error",
  title: null,
  message: null,
  retryable: false,
  advice: "",
  details: { prompt: "is required" },
  contract: [],
};

describe("explainEntry", () => {
  test("gives a request's times, headers, caller and error details in one answer", () => {
    const har: HarEntry = {
      ...entry({ status: 422, time: 250, headers: { "Retry-After": "2" } }),
      _initiator: {
        type: "script",
        stack: {
          callFrames: [{ functionName: "go", url: "https://app.test/a.js", lineNumber: 0 }],
        },
      },
    };
    const explained = explainEntry(har, 3, error);
    expect(explained.start).toBe(T0);
    expect(explained.end).toBe(T0 + 250);
    expect(explained.headers.map((h) => h.kind)).toEqual(["retry-after"]);
    expect(explained.stack).toEqual([
      { function: "go", url: "https://app.test/a.js", line: 1, column: 1 },
    ]);
    expect(explained.callerRecorded).toBe(true);
    expect(explained.issues).toEqual([{ field: "prompt", message: "is required" }]);
    expect(explained.responseBody).toEqual({ kind: "none", reason: "empty" });
    expect(explained.requestBody).toBeUndefined();
  });

  test("tells a recording without an initiator, and an error without details", () => {
    const explained = explainEntry(entry(), 0, { ...error, details: undefined });
    expect(explained.stack).toEqual([]);
    expect(explained.callerRecorded).toBe(false);
    expect(explained.issues).toBeUndefined();
  });
});
