import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(d.name) && !/\.test\.tsx?$/.test(d.name) ? [path] : [];
  });
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? "");
}

describe("src/core stays pure", () => {
  const files = sources(join(root, "src/core"));

  it("has source files to check", () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it("imports nothing from src/platform, preact, webextension-polyfill or node:", () => {
    const offending = files.flatMap((file) =>
      importsOf(file)
        .filter((spec) => /(^|\/)platform(\/|$)|^preact|^webextension-polyfill|^node:/.test(spec))
        .map((spec) => `${relative(root, file)} imports ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it("never reaches for chrome.*, browser.* or the DOM document", () => {
    const offending = files.filter((file) =>
      /\bchrome\.\w|\bbrowser\.(runtime|devtools|storage|tabs|action)|\bdocument\.|\bwindow\./.test(
        readFileSync(file, "utf8"),
      ),
    );
    expect(offending.map((f) => relative(root, f))).toEqual([]);
  });

  it("catches an import of the platform layer when one appears", () => {
    expect(importsOf.call(null, join(root, "test/architecture.test.ts")).length).toBeGreaterThan(0);
    const sample = 'import { x } from "../platform/browser.js";\nimport { h } from "preact";';
    expect([...sample.matchAll(IMPORT)].map((m) => m[1])).toEqual([
      "../platform/browser.js",
      "preact",
    ]);
  });
});

describe("browser APIs stay in src/platform", () => {
  const extension = [
    "src/panel",
    "src/popup",
    "src/options",
    "src/background",
    "src/messaging",
    "src/settings",
    "src/ui",
    "src/devtools",
  ].flatMap((dir) => sources(join(root, dir)));
  /** The entry points that wire the platform in; everything else gets it injected. */
  const entries = [
    "src/panel/main.tsx",
    "src/popup/main.tsx",
    "src/options/main.tsx",
    "src/background/index.ts",
    "src/devtools/devtools.ts",
  ].map((file) => join(root, file));

  it("covers every extension page and the background", () => {
    for (const entry of entries) expect(extension).toContain(entry);
  });

  it("is the only place that imports webextension-polyfill, and imports it once", () => {
    const importers = [...extension, ...sources(join(root, "src/platform"))]
      .filter((file) => importsOf(file).includes("webextension-polyfill"))
      .map((file) => relative(root, file));
    expect(importers).toEqual(["src/platform/browser.ts"]);
  });

  it("is the only place that reaches for chrome.* or browser.*", () => {
    const offending = extension.filter((file) =>
      /\bchrome\.\w|\bbrowser\.(runtime|devtools|storage|tabs|action)/.test(
        readFileSync(file, "utf8"),
      ),
    );
    expect(offending.map((f) => relative(root, f))).toEqual([]);
  });

  it("has everything but the entry points take the platform injected", () => {
    // src/platform/ports/ declares the interfaces the adapters implement: types only, no values.
    const offending = extension
      .filter((file) => !entries.includes(file))
      .flatMap((file) =>
        importsOf(file)
          .filter((spec) => /(^|\/)platform\/(?!ports\/)/.test(spec))
          .map((spec) => `${relative(root, file)} imports ${spec}`),
      );
    expect(offending).toEqual([]);
  });
});

describe("the Chrome build", () => {
  it("has the package's version", () => {
    const manifest = JSON.parse(readFileSync(join(root, "manifest.json"), "utf8"));
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    expect(manifest.version).toBe(pkg.version);
  });

  it("has the devtools page and the panel page it creates", () => {
    const manifest = JSON.parse(readFileSync(join(root, "dist/chrome/manifest.json"), "utf8"));
    expect(existsSync(join(root, "dist/chrome", manifest.devtools_page))).toBe(true);
    expect(existsSync(join(root, "dist/chrome/src/panel/index.html"))).toBe(true);
  });

  it("is an MV3 extension in dist/chrome", () => {
    const manifest = JSON.parse(readFileSync(join(root, "dist/chrome/manifest.json"), "utf8"));
    expect(manifest.manifest_version).toBe(3);
    expect(manifest.name).toBe("Ratelens");
    expect(manifest.host_permissions).toContain("https://api.casola.ai/*");
    for (const icon of Object.values(manifest.icons as Record<string, string>)) {
      expect(
        readFileSync(join(root, "dist/chrome", icon))
          .subarray(1, 4)
          .toString(),
      ).toBe("PNG");
    }
  });
});

describe("the README", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");

  it("has the registry's rule table: id, severity, when it fires, and a finding its fixture really produces", async () => {
    const { RULES } = await import("../src/core/rules/index.js");
    const { analyzeEntries } = await import("../src/core/analyzer.js");
    const { parseHar } = await import("../src/core/har/parse-har.js");
    const table = readme
      .slice(readme.indexOf("| rule | severity | fires when |"))
      .split("\n")
      .slice(2)
      .filter((_, i, lines) => lines.slice(0, i + 1).every((line) => line.startsWith("| `")));
    expect(table.map((line) => line.split("`")[1])).toEqual(RULES.map((rule) => rule.id));
    for (const [i, rule] of RULES.entries()) {
      const row = table[i] ?? "";
      const prefix = `| \`${rule.id}\` | ${rule.severity} | ${rule.firesWhen} | `;
      expect(row.startsWith(prefix), `${rule.id}: the README's row should start ${prefix}`).toBe(
        true,
      );
      const example = row
        .slice(prefix.length)
        .replace(/ \|$/, "")
        .replace(/; \.\.\.$/, "");
      const parsed = parseHar(readFileSync(join(root, "test/fixtures", `${rule.id}.har`), "utf8"));
      if (!parsed.ok) throw new Error(parsed.message);
      const first = analyzeEntries(parsed.entries).findings.find((f) => f.rule === rule.id);
      expect(first?.message.startsWith(example), `${rule.id}: "${example}"`).toBe(true);
      expect(example.length).toBeGreaterThan(20);
    }
  });

  it("shows the two quick-start commands and the test command CI runs", () => {
    expect(readme).toContain("\nnpm ci && npm run demo ");
    expect(readme).toContain("\nnpm test ");
    expect(readme).toContain("npm run demo -- --headless");
    expect(readme).toContain("npx ratelens analyze test/fixtures/sample-session.har");
    // The screenshots the README shows exist.
    for (const [, path] of readme.matchAll(/!\[[^\]]*\]\(([^)]+\.png)\)/g)) {
      expect(existsSync(join(root, path as string)), path).toBe(true);
    }
    expect(readFileSync(join(root, ".ci/run"), "utf8")).toContain("npm test");
  });
});
