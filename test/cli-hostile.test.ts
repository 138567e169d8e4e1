import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatText, PLAIN } from "../src/cli/format-text.js";
import { parseHar } from "../src/core/har/parse-har.js";
import { analyzeEntries } from "./support/analyze.js";
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

/** Anything a reader cannot see: controls, format characters (Cf), lone surrogates. */
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\p{Cf}\p{Cs}\u2060-\u206f\ufffe\uffff]/u;

describe("the message about a file that is not a HAR", () => {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const bin = join(root, "bin/ratelens.mjs");
  const scratch = mkdtempSync(join(tmpdir(), "ratelens-hostile-"));
  const HAR = '{"log":{"entries":[]}}';
  const utf8 = (text: string) => Buffer.from(text, "utf8");
  const utf16le = (text: string) => Buffer.from(text, "utf16le");

  function ratelens(input: Buffer, viaStdin: boolean) {
    const path = join(scratch, "input.har");
    if (!viaStdin) writeFileSync(path, input);
    const result = spawnSync(
      process.execPath,
      [bin, "analyze", viaStdin ? "-" : path],
      viaStdin
        ? { input, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } }
        : { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
    );
    const source = viaStdin ? "standard input" : path;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, source };
  }

  // Each input, and what the one line on stderr says after "ratelens: SOURCE: ".
  const cases: [string, Buffer, RegExp][] = [
    [
      "two UTF-8 byte-order marks",
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]), utf8(HAR)]),
      /^not valid JSON \(truncated or not a HAR file\): .*'<U\+FEFF>'/,
    ],
    [
      "a zero-width space before the JSON",
      utf8(`\u200B${HAR}`),
      /^not valid JSON \(truncated or not a HAR file\): .*'<U\+200B>'/,
    ],
    [
      "a right-to-left override (U+202E) before the JSON",
      utf8('\u202E{"log":1}'),
      /^not valid JSON \(truncated or not a HAR file\): .*'<U\+202E>'.*"<U\+202E>\{"log":1\}"/,
    ],
    [
      "a bidi isolate inside the JSON",
      utf8('{"log":{"version":\u2067"1.2","entries":[]}}'),
      /^not valid JSON \(truncated or not a HAR file\): .*<U\+2067>/,
    ],
    [
      "a word joiner and a soft hyphen",
      utf8("\u2060\u00AD{}"),
      /^not valid JSON \(truncated or not a HAR file\): .*<U\+2060><U\+00AD>/,
    ],
    [
      "UTF-16 little-endian with its byte-order mark",
      Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le(HAR)]),
      /^the file is UTF-16; save it as UTF-8$/,
    ],
    [
      "UTF-16 big-endian with its byte-order mark",
      Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le(HAR)]).swap16(),
      /^the file is UTF-16; save it as UTF-8$/,
    ],
    ["UTF-16 without a byte-order mark", utf16le(HAR), /^the file is UTF-16; save it as UTF-8$/],
    [
      "a UTF-16 byte-order mark alone",
      Buffer.from([0xff, 0xfe]),
      /^the file is UTF-16; save it as UTF-8$/,
    ],
  ];

  for (const [what, input, message] of cases) {
    for (const viaStdin of [false, true]) {
      it(`names ${what} instead of quoting it (${viaStdin ? "standard input" : "file"})`, () => {
        const { status, stdout, stderr, source } = ratelens(input, viaStdin);
        expect(status).toBe(2);
        expect(stdout).toBe("");
        expect(stderr.endsWith("\n")).toBe(true);
        const line = stderr.slice(0, -1);
        expect(line).not.toContain("\n");
        expect(line.startsWith(`ratelens: ${source}: `)).toBe(true);
        expect(line.slice(`ratelens: ${source}: `.length)).toMatch(message);
        expect(line).not.toMatch(INVISIBLE);
      });
    }

    it(`names ${what} in the panel's import too (parseHar)`, () => {
      // The panel decodes a dropped file as UTF-8, keeping its byte-order mark (app.tsx).
      const parsed = parseHar(new TextDecoder("utf-8", { ignoreBOM: true }).decode(input));
      expect(parsed.ok).toBe(false);
      if (parsed.ok) return;
      expect(parsed.message).toMatch(message);
      expect(parsed.message).not.toMatch(INVISIBLE);
    });
  }
});
