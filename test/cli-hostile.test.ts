import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatText, PLAIN } from "../src/cli/format-text.js";
import { analyzeEntries } from "../src/core/analyzer.js";
import { FUZZ_RUNS, FUZZ_TIMEOUT } from "./support/fuzz.js";
import { entry, T0 } from "./support/har.js";

const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

/** A retried quota_exceeded 429 with `text` in its method, URL, code, message and host budget. */
function report(text: string) {
  const body = JSON.stringify({ error: { code: `quota_exceeded${text}`, message: text } });
  const request = (at: number) =>
    entry({
      method: `POST${text}`,
      url: `https://api.casola.ai/v1/jobs?q=${text}`,
      status: 429,
      startedDateTime: T0 + at,
      headers: { "X-RateLimit-Remaining": `0${text}`, "Retry-After": `1${text}` },
      body,
    });
  return analyzeEntries([request(0), request(500)]);
}

function text(planted: string): string {
  return formatText({ source: `file${planted}.har`, version: "t", report: report(planted) }, PLAIN);
}

describe("the CLI's text report of hostile traffic", () => {
  const HOSTILE =
    "\u001b[2J\u001b]0;owned\u0007\u009b31m\r\n\tspoofed line\u202Ereversed\u2066\u2069\u0000\u0008";

  it("passes no terminal escape, control, line break or bidi override through", () => {
    const out = text(HOSTILE);
    expect(out).toContain("\uFFFD[2J");
    expect(out).not.toMatch(UNSAFE);
    expect(out).not.toContain("\u001b");
    // The planted line break does not start a line of its own.
    expect(
      out.split("\n").some((line) => line.startsWith("\tspoofed") || line.startsWith("spoofed")),
    ).toBe(false);
    expect(out.split("\n")).toHaveLength(text("x").split("\n").length);
  });

  it(
    "holds for any text planted",
    () => {
      fc.assert(
        fc.property(fc.string({ unit: "binary", maxLength: 30 }), (planted) => {
          const out = text(planted);
          expect(out).not.toMatch(UNSAFE);
        }),
        { numRuns: FUZZ_RUNS },
      );
    },
    FUZZ_TIMEOUT,
  );
});
