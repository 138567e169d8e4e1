import { describe, expect, test } from "vitest";
import { entry } from "../../../test/support/har.js";
import { fileNameOf } from "../labels.js";
import type { HarEntry } from "../types.js";
import { callerStack, recordsCaller } from "./initiator.js";

function withInitiator(initiator: unknown): HarEntry {
  return { ...entry(), _initiator: initiator as HarEntry["_initiator"] };
}

describe("callerStack", () => {
  test("numbers CDP's 0-based lines and columns from 1", () => {
    const frames = callerStack(
      withInitiator({
        type: "script",
        stack: {
          callFrames: [
            {
              functionName: "submitJob",
              url: "https://app.test/client.js",
              lineNumber: 11,
              columnNumber: 10,
            },
          ],
        },
      }),
    );
    expect(frames).toEqual([
      { function: "submitJob", url: "https://app.test/client.js", line: 12, column: 11 },
    ]);
  });

  test("follows async parents and marks where each async part starts", () => {
    const frames = callerStack(
      withInitiator({
        stack: {
          callFrames: [
            { functionName: "send", url: "https://app.test/a.js", lineNumber: 0, columnNumber: 0 },
          ],
          parent: {
            description: "Promise.then",
            callFrames: [
              { functionName: "", url: "https://app.test/b.js", lineNumber: 4, columnNumber: 2 },
            ],
            parent: { callFrames: [{ url: "https://app.test/c.js", lineNumber: 1 }] },
          },
        },
      }),
    );
    expect(frames.map((f) => [f.url, f.line, f.column, f.asyncBoundary])).toEqual([
      ["https://app.test/a.js", 1, 1, undefined],
      ["https://app.test/b.js", 5, 3, "Promise.then"],
      ["https://app.test/c.js", 2, 1, "async"],
    ]);
  });

  test("falls back to the initiating script position, and reads junk as no stack", () => {
    expect(
      callerStack(withInitiator({ type: "parser", url: "https://app.test/", lineNumber: 3 })),
    ).toEqual([{ function: "", url: "https://app.test/", line: 4, column: 1 }]);
    expect(callerStack(withInitiator("script"))).toEqual([]);
    expect(callerStack(withInitiator({ stack: { callFrames: [null, { url: "" }] } }))).toEqual([]);
    expect(callerStack(entry())).toEqual([]);
  });
});

test("fileNameOf keeps the last path segment of a script URL", () => {
  expect(fileNameOf("https://app.test/static/app.js?v=3")).toBe("app.js");
  expect(fileNameOf("https://app.test/")).toBe("app.test");
});

describe("recordsCaller", () => {
  test("tells a recording without _initiator (Firefox's) from one whose initiator had no stack", () => {
    expect(recordsCaller(entry())).toBe(false);
    expect(recordsCaller(withInitiator(null))).toBe(false);
    expect(recordsCaller(withInitiator({ type: "other" }))).toBe(true);
    expect(recordsCaller(withInitiator({ type: "script", stack: { callFrames: [] } }))).toBe(true);
  });
});
