import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const css = (name: string) => readFileSync(new URL(name, import.meta.url), "utf8");

/** The custom properties a rule of `text` declares, the first rule whose selector is `selector`. */
function declared(text: string, selector: string): Record<string, string> {
  const start = text.indexOf(`${selector} {`);
  if (start < 0) return {};
  const body = text.slice(start, text.indexOf("}", start));
  return Object.fromEntries(
    [...body.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1] ?? "", m[2] ?? ""]),
  );
}

/** Every stylesheet but the palette. */
const STYLESHEETS = [
  "../panel/panel.css",
  "./surface.css",
  "./base.css",
  "../popup/popup.css",
  "../options/options.css",
];

describe("the palette", () => {
  const palette = css("./palette.css");

  it("says the same in the system's dark scheme and in DevTools' dark theme", () => {
    const system = declared(palette, ":root:not(.devtools-panel)");
    const devtools = declared(palette, ".ratelens.theme-dark");
    expect(Object.keys(system).length).toBeGreaterThan(15);
    expect(system).toEqual(devtools);
    // And dark is dark: not the light palette again.
    expect(declared(palette, ".ratelens")["--bg"]).not.toBe(devtools["--bg"]);
  });

  it("darkens every colour the light palette has", () => {
    const light = Object.keys(declared(palette, ".ratelens")).filter((k) => k !== "--mono");
    expect(Object.keys(declared(palette, ".ratelens.theme-dark")).sort()).toEqual(light.sort());
  });

  it("is declared nowhere else: panel, popup and options import it", () => {
    for (const file of STYLESHEETS) {
      expect(css(file).match(/^\s*--[\w-]+:/m), file).toBeNull();
    }
    // Through the surfaces' shared root rules.
    expect(css("./surface.css")).toContain('@import "./palette.css";');
    expect(css("../panel/panel.css")).toContain('@import "../ui/surface.css";');
    expect(css("./base.css")).toContain('@import "./surface.css";');
  });

  it("is the only place a colour is written: no literal, and no var() fallback beside it", () => {
    const colour =
      /#[0-9a-f]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch)\(|var\(--[\w-]+,\s*[^)]/i;
    for (const file of STYLESHEETS) {
      const lines = css(file)
        .split("\n")
        .filter((line) => colour.test(line));
      expect(lines, file).toEqual([]);
    }
  });
});
