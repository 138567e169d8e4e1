import { describe, expect, it } from "vitest";
import { COLOUR, PLAIN, styleFor } from "./format-text.js";

describe("styleFor", () => {
  it("colours a terminal", () => {
    expect(styleFor({ isTTY: true }, {})).toBe(COLOUR);
    expect(COLOUR.severity("error", "x")).toBe("\u001b[31mx\u001b[39m");
  });

  it("never colours with NO_COLOR set, or when the output is a pipe or a file", () => {
    expect(styleFor({ isTTY: true }, { NO_COLOR: "1" })).toBe(PLAIN);
    expect(styleFor({ isTTY: false }, {})).toBe(PLAIN);
    expect(styleFor({}, {})).toBe(PLAIN);
  });

  it("treats an empty NO_COLOR as unset, as no-color.org says", () => {
    expect(styleFor({ isTTY: true }, { NO_COLOR: "" })).toBe(COLOUR);
  });
});
