import { describe, expect, it } from "vitest";
import { looksLikeUtf16, oneLine, showInvisible, startsAsUtf16 } from "./visible-text.js";

describe("oneLine", () => {
  it("names invisible and format characters as U+XXXX", () => {
    expect(oneLine("\uFEFF\u200B\u200E\u202E\u2066\u2069\u2060\u00AD")).toBe(
      "<U+FEFF><U+200B><U+200E><U+202E><U+2066><U+2069><U+2060><U+00AD>",
    );
    // Category Cf outside the BMP, a lone surrogate, a byte-swapped byte-order mark.
    expect(showInvisible("a\u{E0001}b\uD800c\uFFFE")).toBe("a<U+E0001>b<U+D800>c<U+FFFE>");
  });

  it("names controls, and turns line breaks and tabs into one space", () => {
    expect(oneLine("a\r\n\tb\u2028c\u0085d")).toBe("a b c d");
    expect(oneLine("a\u0000b\u001bc\u009bd\u007f")).toBe("a<U+0000>b<U+001B>c<U+009B>d<U+007F>");
  });

  it("leaves visible text alone, accents and emoji included", () => {
    expect(oneLine("Unexpected token 'o', \"not json\" is not valid JSON")).toBe(
      "Unexpected token 'o', \"not json\" is not valid JSON",
    );
    expect(oneLine("café 😀 ﻿".slice(0, 7))).toBe("café 😀");
  });

  it("quotes at most maxChars characters, never half a surrogate pair", () => {
    expect(oneLine("x".repeat(500))).toBe(`${"x".repeat(159)}…`);
    const cut = oneLine(`${"x".repeat(8)}😀😀`, 10);
    expect(cut).toBe(`${"x".repeat(8)}…`);
    expect(oneLine(`${"\u200B".repeat(5)}x`, 4)).toBe("<U+200B><U+200B><U+200B>…");
  });
});

describe("UTF-16", () => {
  const bytes = (...values: number[]) => Uint8Array.from(values);

  it("is told by its byte-order mark, or a NUL beside the first character", () => {
    expect(startsAsUtf16(bytes(0xff, 0xfe, 0x7b, 0x00))).toBe(true);
    expect(startsAsUtf16(bytes(0xfe, 0xff, 0x00, 0x7b))).toBe(true);
    expect(startsAsUtf16(bytes(0x7b, 0x00, 0x22, 0x00))).toBe(true);
    expect(startsAsUtf16(bytes(0x00, 0x7b, 0x00, 0x22))).toBe(true);
    expect(startsAsUtf16(bytes(0xef, 0xbb, 0xbf, 0x7b))).toBe(false);
    expect(startsAsUtf16(bytes(0x7b, 0x22))).toBe(false);
    expect(startsAsUtf16(bytes(0xff))).toBe(false);
  });

  it("is told in text decoded as UTF-8 or Latin-1", () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"log":1}', "utf16le")]);
    expect(looksLikeUtf16(le.toString("utf8"))).toBe(true);
    expect(looksLikeUtf16(le.toString("latin1"))).toBe(true);
    const be = Buffer.from(le).swap16();
    expect(looksLikeUtf16(be.toString("utf8"))).toBe(true);
    expect(looksLikeUtf16(Buffer.from('{"log":1}', "utf16le").toString("utf8"))).toBe(true);
    expect(looksLikeUtf16("\uFFFD\uFFFD")).toBe(true);
    // Not a UTF-16 file: invalid UTF-8 elsewhere, a UTF-8 byte-order mark, plain JSON.
    expect(looksLikeUtf16("\uFFFD\uFFFD{}")).toBe(false);
    expect(looksLikeUtf16('\uFEFF{"log":1}')).toBe(false);
    expect(looksLikeUtf16('{"log":1}')).toBe(false);
    expect(looksLikeUtf16("")).toBe(false);
  });
});
