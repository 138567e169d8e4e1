import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const palette = readFileSync(new URL("./palette.css", import.meta.url), "utf8");

/** The colours the first rule whose selector is `selector` declares, by custom property. */
function colours(selector: string): Record<string, string> {
  const start = palette.indexOf(`${selector} {`);
  const body = palette.slice(start, palette.indexOf("}", start));
  return Object.fromEntries(
    [...body.matchAll(/(--[\w-]+):\s*(#[0-9a-f]{6});/gi)].map((m) => [m[1] ?? "", m[2] ?? ""]),
  );
}

/** WCAG 2's relative luminance and contrast ratio. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

describe("the budget chart's colours", () => {
  for (const [theme, selector] of [
    ["light", ".ratelens"],
    ["dark", ".ratelens.theme-dark"],
  ] as const) {
    it(`keep its lines, reset marker and tick labels readable on the card and in the Retry-After shading (${theme})`, () => {
      const p = colours(selector);
      const marks = ["--chart-line-1", "--chart-line-2", "--chart-line-3", "--chart-line-4"];
      // WCAG AA asks 3:1 of graphics and 4.5:1 of text; the reset's label and the ticks are text.
      for (const name of [...marks, "--chart-reset", "--muted"]) {
        for (const ground of ["--bg", "--chart-shade"]) {
          expect(
            contrast(p[name] ?? "", p[ground] ?? ""),
            `${name} on ${ground}`,
          ).toBeGreaterThanOrEqual(4.5);
        }
      }
      // Four meters, four colours.
      expect(new Set(marks.map((m) => p[m])).size).toBe(4);
    });
  }
});
