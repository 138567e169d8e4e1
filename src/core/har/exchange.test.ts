import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { entry, T0 } from "../../../test/support/har.js";
import type { HarEntry } from "../types.js";
import { isErrorStatus, toExchange } from "./exchange.js";
import { callerOf } from "./initiator.js";
import { parseHar } from "./parse-har.js";

/** An entry whose fields a foreign tool filled with whatever it liked. */
function withFields(fields: Record<string, unknown>): HarEntry {
  return { ...entry(), ...fields } as unknown as HarEntry;
}

describe("callerOf", () => {
  it("takes the top frame of the stack, 1-based", () => {
    const frame = { url: "https://app.example/main.js", lineNumber: 9, columnNumber: 4 };
    const caller = callerOf(
      withFields({ _initiator: { type: "script", stack: { callFrames: [frame] } } }),
    );
    expect(caller).toEqual({
      url: "https://app.example/main.js",
      line: 10,
      column: 5,
      function: "",
    });
  });

  it("follows async parents past empty stacks", () => {
    const frame = { url: "https://app.example/retry.js", lineNumber: 0, functionName: "again" };
    const initiator = {
      type: "script",
      stack: { callFrames: [], parent: { callFrames: [frame] } },
    };
    expect(callerOf(withFields({ _initiator: initiator }))?.function).toBe("again");
  });

  it.each([
    ["a null stack", { type: "script", stack: null }],
    ["a null frame", { type: "script", stack: { callFrames: [null] } }],
    ["a null parent", { type: "script", stack: { callFrames: [], parent: null } }],
    ["frames that are not a list", { type: "script", stack: { callFrames: "x" } }],
    ["a string", "script"],
    ["null", null],
  ])("reads %s as no caller", (_, initiator) => {
    expect(callerOf(withFields({ _initiator: initiator }))).toBeUndefined();
  });

  it("falls back to the initiator's own url when no frame has one", () => {
    const initiator = {
      type: "parser",
      url: "https://app.example/",
      lineNumber: null,
      stack: null,
    };
    expect(callerOf(withFields({ _initiator: initiator }))).toEqual({
      url: "https://app.example/",
      line: 1,
      column: 1,
      function: "",
    });
  });
});

describe("toExchange on fields other tools fill differently", () => {
  it("takes the duration from time, else from the timings, else 0", () => {
    expect(toExchange(withFields({ time: 250 }), 0).end).toBe(T0 + 250);
    const timings = { blocked: -1, dns: -1, connect: 5, send: 1, wait: 40, receive: 4 };
    expect(toExchange(withFields({ time: null, timings }), 0).end).toBe(T0 + 50);
    expect(toExchange(withFields({ time: null, timings: null }), 0).end).toBe(T0);
    expect(toExchange(withFields({ time: -1, timings: { wait: Infinity } }), 0).end).toBe(T0);
  });

  it("never throws whatever the optional fields hold", () => {
    const anything = fc.oneof(fc.jsonValue(), fc.constant(undefined));
    fc.assert(
      fc.property(
        fc.record({
          _initiator: anything,
          time: anything,
          timings: anything,
          postData: anything,
          content: anything,
        }),
        ({ postData, content, ...fields }) => {
          const base = entry();
          const har = {
            ...base,
            ...fields,
            request: { ...base.request, postData },
            response: { ...base.response, content },
          };
          // Only entries parseHar accepts reach toExchange.
          const parsed = parseHar(JSON.stringify({ log: { entries: [har] } }));
          if (!parsed.ok) return;
          const [only] = parsed.entries;
          if (only === undefined) return;
          const exchange = toExchange(only, 0);
          expect(Number.isFinite(exchange.end)).toBe(true);
          expect(exchange.end).toBeGreaterThanOrEqual(exchange.start);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("a request that got no response", () => {
  it("reads Playwright's -1, a 0 and a null status all as 0", () => {
    for (const status of [-1, 0, null]) {
      const e = withFields({});
      (e.response as { status: unknown }).status = status;
      expect(toExchange(e, 0).status, String(status)).toBe(0);
    }
  });

  it("is an error as much as a 4xx or 5xx, however the recorder wrote it", () => {
    expect([0, -1, Number.NaN, 400, 429, 500].every(isErrorStatus)).toBe(true);
    expect([200, 201, 304, 399].some(isErrorStatus)).toBe(false);
  });

  it("keeps the recorder's reason: Chrome's _error, Playwright's _failureText", () => {
    const chrome = withFields({});
    Object.assign(chrome.response, { status: 0, _error: "net::ERR_INTERNET_DISCONNECTED" });
    expect(toExchange(chrome, 0).networkError).toBe("net::ERR_INTERNET_DISCONNECTED");
    const playwright = withFields({});
    Object.assign(playwright.response, { status: -1, _failureText: "net::ERR_ABORTED" });
    expect(toExchange(playwright, 0).networkError).toBe("net::ERR_ABORTED");
    const answered = withFields({});
    Object.assign(answered.response, { status: 200, _error: null });
    expect(toExchange(answered, 0).networkError).toBeUndefined();
  });
});
