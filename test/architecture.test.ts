import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
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

/** Every import and re-export of `text`, and whether it brings in types only (erased at build). */
const STATEMENT =
  /(?:^|\n)\s*(import|export)\s([^;]*?)from\s+["']([^"']+)["']|(?:^|\n)\s*import\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

interface ImportStatement {
  spec: string;
  typeOnly: boolean;
}

/** `type { A }`, or `{ type A, type B }` where every name is a type. */
function isTypeClause(clause: string): boolean {
  if (/^type\s/.test(clause)) return true;
  const names = /^\{([^}]*)\}$/
    .exec(clause)?.[1]
    ?.split(",")
    .map((n) => n.trim())
    .filter(Boolean);
  return names !== undefined && names.length > 0 && names.every((n) => /^type\s/.test(n));
}

function statementsIn(text: string): ImportStatement[] {
  return [...text.matchAll(STATEMENT)].map((m) => ({
    spec: m[3] ?? m[4] ?? m[5] ?? "",
    typeOnly: m[2] !== undefined && isTypeClause(m[2].trim()),
  }));
}

/** The source folder (`src/panel`, `src/platform`, ...) a relative import of `file` lands in. */
function folderOf(file: string, spec: string): string | undefined {
  if (!spec.startsWith(".")) return undefined;
  const target = relative(root, resolve(dirname(file), spec)).split("/");
  return target[0] === "src" && target.length > 2 ? `src/${target[1]}` : undefined;
}

/**
 * The groups of two or more files that import one another in a circle, however indirectly, each
 * group sorted (Tarjan's strongly connected components).
 */
function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (file: string) => {
    order.set(file, order.size);
    low.set(file, order.get(file) as number);
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (!order.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file) as number, low.get(next) as number));
      } else if (stack.includes(next)) {
        low.set(file, Math.min(low.get(file) as number, order.get(next) as number));
      }
    }
    if (low.get(file) !== order.get(file)) return;
    const group = stack.splice(stack.indexOf(file));
    if (group.length > 1) found.push(group.sort());
  };
  for (const file of graph.keys()) if (!order.has(file)) visit(file);
  return found;
}

describe("src/core reads bottom-up", () => {
  const graph = new Map(
    sources(join(root, "src/core")).map((file) => [
      relative(root, file),
      importsOf(file)
        .filter((spec) => spec.startsWith("."))
        .map((spec) => relative(root, resolve(dirname(file), spec)).replace(/\.js$/, ".ts")),
    ]),
  );

  it("has no circle of imports, inside a folder either", () => {
    expect(graph.size).toBeGreaterThan(40);
    expect(circles(graph)).toEqual([]);
  });

  it("catches a circle of three, and leaves out the file that only imports into it", () => {
    const graph = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts", "types.ts"]],
      ["d.ts", ["a.ts"]],
      ["types.ts", []],
    ]);
    expect(circles(graph)).toEqual([["a.ts", "b.ts", "c.ts"]]);
  });
});

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
        statementsIn(readFileSync(file, "utf8"))
          .filter(({ spec, typeOnly }) => /(^|\/)platform\//.test(spec) && !typeOnly)
          .map(({ spec }) => `${relative(root, file)} imports ${spec}`),
      );
    expect(offending).toEqual([]);
  });
});

describe("dependencies run one way: app folders -> src/platform, never back", () => {
  const APP_FOLDERS = ["src/panel", "src/popup", "src/options", "src/background", "src/devtools"];
  /** Each surface's entry: the only file of the surface that imports platform values. */
  const ENTRIES = [
    "src/panel/main.tsx",
    "src/popup/main.tsx",
    "src/options/main.tsx",
    "src/background/index.ts",
    "src/devtools/devtools.ts",
  ];
  const platform = sources(join(root, "src/platform"));

  function platformOffences(file: string, text: string): string[] {
    return statementsIn(text)
      .filter(({ spec }) => APP_FOLDERS.includes(folderOf(file, spec) ?? ""))
      .map(({ spec }) => `${relative(root, file)} imports ${spec}`);
  }

  function appOffences(file: string, text: string): string[] {
    if (ENTRIES.includes(relative(root, file))) return [];
    return statementsIn(text)
      .filter(({ spec, typeOnly }) => folderOf(file, spec) === "src/platform" && !typeOnly)
      .map(({ spec }) => `${relative(root, file)} imports values from ${spec}`);
  }

  it("has src/platform and its ports to check", () => {
    expect(platform.map((f) => relative(root, f))).toEqual(
      expect.arrayContaining(["src/platform/devtools.ts", "src/platform/ports/devtools.ts"]),
    );
  });

  it("src/platform never imports an app folder, not even a type", () => {
    const offending = platform.flatMap((file) =>
      platformOffences(file, readFileSync(file, "utf8")),
    );
    expect(offending).toEqual([]);
  });

  it("app folders take only types from src/platform, except each surface's entry", () => {
    const offending = APP_FOLDERS.flatMap((dir) => sources(join(root, dir))).flatMap((file) =>
      appOffences(file, readFileSync(file, "utf8")),
    );
    expect(offending).toEqual([]);
  });

  it("panel, popup and options wire adapters and one RPC client into their ports alike", () => {
    for (const [surface, ports] of [
      ["panel", "PanelPorts"],
      ["popup", "PopupPorts"],
      ["options", "OptionsPorts"],
    ] as const) {
      const main = readFileSync(join(root, `src/${surface}/main.tsx`), "utf8");
      expect(main, surface).toContain("const background = createClient(runtimeTransport());");
      expect(main, surface).toMatch(new RegExp(`const ports: ${ports} = \\{`));
      expect(main, surface).toContain(`import type { ${ports}`);
    }
    // RPC clients are built in the entries only.
    const building = platform.filter((file) => /\bcreateClient\(/.test(readFileSync(file, "utf8")));
    expect(building.map((f) => relative(root, f))).toEqual([]);
  });

  it("catches a platform file importing the panel, and a view importing platform values", () => {
    const adapter = join(root, "src/platform/devtools.ts");
    const view = join(root, "src/panel/components/detail-pane.tsx");
    expect(
      platformOffences(adapter, 'import type { NetworkSource } from "../panel/capture.js";'),
    ).toEqual(["src/platform/devtools.ts imports ../panel/capture.js"]);
    expect(
      platformOffences(adapter, 'import type { CapturedContent } from "./ports/devtools.js";'),
    ).toEqual([]);
    expect(appOffences(view, 'import { openResource } from "../../platform/devtools.js";')).toEqual(
      ["src/panel/components/detail-pane.tsx imports values from ../../platform/devtools.js"],
    );
    expect(appOffences(view, 'import "../../platform/browser.js";')).toHaveLength(1);
    expect(
      appOffences(
        view,
        'import { type ThemeName, openResource } from "../../platform/devtools.js";',
      ),
    ).toHaveLength(1);
    expect(
      appOffences(view, 'import { type A, type B } from "../../platform/ports/devtools.js";'),
    ).toEqual([]);
    expect(
      appOffences(view, 'import type { ThemeName } from "../../platform/ports/devtools.js";'),
    ).toEqual([]);
    const entry = join(root, "src/panel/main.tsx");
    expect(appOffences(entry, 'import { openResource } from "../platform/devtools.js";')).toEqual(
      [],
    );
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

describe("views format, the core explains", () => {
  const views = ["src/panel", "src/popup", "src/options", "src/ui"].flatMap((dir) =>
    sources(join(root, dir)),
  );
  /** Parsing a view might be tempted to redo: headers, error bodies, exchanges, JSON. */
  function parsing(file: string, text: string): string[] {
    const imports = statementsIn(text)
      .filter(({ spec, typeOnly }) => !typeOnly && /core\/(headers\/parse-|decode\/)/.test(spec))
      .map(({ spec }) => `${relative(root, file)} imports ${spec}`);
    const calls = [...text.matchAll(/\b(toExchange|JSON\.parse|parseMeters)\(/g)].map(
      (m) => `${relative(root, file)} calls ${m[1]}`,
    );
    return [...imports, ...calls];
  }

  it("has no view parse headers, decode bodies or rebuild an exchange", () => {
    expect(views.length).toBeGreaterThan(20);
    expect(views.flatMap((file) => parsing(file, readFileSync(file, "utf8")))).toEqual([]);
  });

  it("catches a view that parses", () => {
    const view = join(root, "src/panel/components/detail-pane.tsx");
    expect(
      parsing(
        view,
        'import { parseRetryAfter } from "../../core/headers/parse-retry-after.js";\n' +
          "const e = toExchange(entry, 1); JSON.parse(text);",
      ),
    ).toEqual([
      "src/panel/components/detail-pane.tsx imports ../../core/headers/parse-retry-after.js",
      "src/panel/components/detail-pane.tsx calls toExchange",
      "src/panel/components/detail-pane.tsx calls JSON.parse",
    ]);
  });
});

describe("the API host list has one home, src/core/hosts.ts", () => {
  async function uncovered(permissions: readonly string[]): Promise<string[]> {
    const { DEFAULT_HOSTS } = await import("../src/core/hosts.js");
    return DEFAULT_HOSTS.map(({ host }) => host).filter(
      (host) => !permissions.includes(`https://${host}/*`),
    );
  }

  it("is not repeated in the source manifest", () => {
    const manifest = JSON.parse(readFileSync(join(root, "manifest.json"), "utf8"));
    expect(manifest.host_permissions).toBeUndefined();
  });

  it("is granted in full by every built manifest", async () => {
    for (const build of ["chrome", "chrome-demo", "firefox", "firefox-demo"]) {
      const manifest = JSON.parse(readFileSync(join(root, "dist", build, "manifest.json"), "utf8"));
      expect(await uncovered(manifest.host_permissions ?? []), build).toEqual([]);
    }
  });

  it("names a documented host the manifest leaves out", async () => {
    const manifest = JSON.parse(readFileSync(join(root, "dist/chrome/manifest.json"), "utf8"));
    const fewer = (manifest.host_permissions as string[]).filter(
      (p) => p !== "https://auth.cuadra.ai/*",
    );
    expect(await uncovered(fewer)).toEqual(["auth.cuadra.ai"]);
  });

  it("is the list the demo's mock answers for", async () => {
    const { DEFAULT_HOSTS } = await import("../src/core/hosts.js");
    const { API_HOSTS } = await import("../src/demo/mock-api.js");
    expect(API_HOSTS).toEqual(expect.arrayContaining(DEFAULT_HOSTS.map(({ host }) => host)));
  });
});

/**
 * Every function of `file` with one parameter whose body is one expression (`return x;` or an
 * arrow's expression), that expression with the parameter renamed `value` and no white space: two
 * helpers that compute the same thing under different names compare equal.
 */
function oneExpressionBodies(
  file: string,
  text = readFileSync(file, "utf8"),
): { where: string; body: string }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: { where: string; body: string }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body !== undefined) {
      const [parameter, ...rest] = node.parameters;
      const body = node.body as ts.Node;
      let expression: ts.Node | undefined;
      if (ts.isBlock(body)) {
        const [only, ...more] = body.statements;
        if (only !== undefined && more.length === 0 && ts.isReturnStatement(only))
          expression = only.expression;
      } else {
        expression = body;
      }
      while (expression !== undefined && ts.isParenthesizedExpression(expression))
        expression = expression.expression;
      if (parameter !== undefined && rest.length === 0 && expression !== undefined) {
        const name = parameter.name.getText(source);
        const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
        found.push({
          where: `${relative(root, file)}:${line}`,
          body: expression
            .getText(source)
            .replace(new RegExp(`\\b${name}\\b`, "g"), "value")
            .replace(/\s+/g, ""),
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("small helpers are written once", () => {
  it("defines isRecord only in src/core/is-record.ts", () => {
    const defining = sources(join(root, "src"))
      .filter((file) => /function isRecord\b|const isRecord\b/.test(readFileSync(file, "utf8")))
      .map((file) => relative(root, file));
    expect(defining).toEqual(["src/core/is-record.ts"]);
  });

  it("has no clone of isRecord under another name: the same body is a clone", () => {
    const [original] = oneExpressionBodies(join(root, "src/core/is-record.ts"));
    expect(original?.body).toBe('typeofvalue==="object"&&value!==null&&!Array.isArray(value)');
    const clones = sources(join(root, "src"))
      .flatMap((file) => oneExpressionBodies(file))
      .filter(({ body }) => body === original?.body)
      .map(({ where }) => where);
    expect(clones).toEqual([original?.where]);
  });

  it("would catch one: renamed, with another parameter, as a function or an arrow", () => {
    const clone = `
      function isObject(input: unknown): input is Record<string, unknown> {
        return (
          typeof input === "object" && input !== null && !Array.isArray(input)
        );
      }
      const isPlain = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
      const object = typeof x === "object" && x !== null && !Array.isArray(x);`;
    const [original] = oneExpressionBodies(join(root, "src/core/is-record.ts"));
    const found = oneExpressionBodies(join(root, "src/clone.ts"), clone);
    expect(found.map((f) => [f.where, f.body === original?.body])).toEqual([
      ["src/clone.ts:2", true],
      ["src/clone.ts:7", true],
    ]);
  });
});

describe("the README", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");

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

/** Every source file under `dir`, tests included (`sources` leaves them out). */
function allSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return d.name === "node_modules" ? [] : allSources(path);
    return /\.(ts|tsx|js|mjs)$/.test(d.name) ? [path] : [];
  });
}

describe("test helpers live in test/support, once", () => {
  const everything = ["src", "dev", "test", "scripts"].flatMap((dir) =>
    allSources(join(root, dir)),
  );

  /**
   * Files that define their own T0 instead of importing test/support/har.ts's: under that name, or
   * a test under another (the instant parsed again; scripts/make-har.mjs, plain Node, may).
   */
  function definingT0(files: readonly { file: string; text: string }[]): string[] {
    const again = /\bDate\.parse\(\s*["'`]2026-11-23T10:00:00(?:\.000)?Z["'`]\s*\)/;
    const isTest = (file: string) => file.startsWith("test/") || /\.test\.tsx?$/.test(file);
    return files
      .filter(
        ({ file, text }) =>
          !file.startsWith("test/support/") &&
          (/\bconst T0\s*=/.test(text) || (isTest(file) && again.test(text))),
      )
      .map(({ file }) => file);
  }

  /** Tests, and a rule's scenarios (test data beside the rule: they build HAR fixtures). */
  const isTestCode = (file: string) =>
    /\.test\.tsx?$/.test(file) || /^src\/core\/rules\/[^/]+\/scenarios\.ts$/.test(file);

  /** Product files (not tests) under src/ that import anything under test/ or dev/, or a rule's scenarios. */
  function importingTests(files: readonly { file: string; text: string }[]): string[] {
    return files
      .filter(({ file }) => file.startsWith("src/") && !isTestCode(file))
      .flatMap(({ file, text }) =>
        statementsIn(text)
          .filter(({ spec }) => {
            if (!spec.startsWith(".")) return false;
            const target = relative(root, resolve(dirname(join(root, file)), spec));
            return (
              target.startsWith("test/") ||
              target.startsWith("dev/") ||
              isTestCode(target.replace(/\.js$/, ".ts"))
            );
          })
          .map(({ spec }) => `${file} imports ${spec}`),
      );
  }

  const read = (files: string[]) =>
    files.map((path) => ({ file: relative(root, path), text: readFileSync(path, "utf8") }));

  it("has one T0, test/support/har.ts's", () => {
    expect(everything.length).toBeGreaterThan(100);
    expect(definingT0(read(everything))).toEqual([]);
  });

  it("never has product code import from test/, dev/ or a rule's scenarios", () => {
    expect(importingTests(read(everything))).toEqual([]);
  });

  it("catches a second T0, and a product file importing a test helper, a launcher or a rule's scenarios", () => {
    const t0 = ["const", "T0 = Date.parse(x);"].join(" ");
    const instant = ["Date", 'parse("2026-11-23T10:00:00Z")'].join(".");
    expect(
      definingT0([
        { file: "src/core/analyzer.test.ts", text: t0 },
        { file: "src/ui/card.test.tsx", text: `const NOW = ${instant};` },
        { file: "test/support/har.ts", text: `export ${t0}` },
      ]),
    ).toEqual(["src/core/analyzer.test.ts", "src/ui/card.test.tsx"]);
    const helper = 'import { entry } from "../../../test/support/har.js";';
    expect(
      importingTests([
        { file: "src/core/rules/describe.ts", text: helper },
        { file: "src/core/rules/rules.test.ts", text: helper },
        { file: "src/core/rules/index.ts", text: 'import { x } from "./describe.js";' },
        {
          file: "src/core/rules/no-backoff/scenarios.ts",
          text: `${helper.replace("../", "../../")}`,
        },
        {
          file: "src/core/rules/no-backoff/rule.ts",
          text: 'import { firing } from "./scenarios.js";',
        },
      ]),
    ).toEqual([
      "src/core/rules/describe.ts imports ../../../test/support/har.js",
      "src/core/rules/no-backoff/rule.ts imports ./scenarios.js",
    ]);
    expect(
      importingTests([
        {
          file: "src/demo/server.ts",
          text: 'import { launchChromium } from "../../dev/chromium.js";',
        },
        { file: "dev/run-demo.ts", text: 'import { startDemo } from "../src/demo/server.js";' },
      ]),
    ).toEqual(["src/demo/server.ts imports ../../dev/chromium.js"]);
  });
});

describe("comments cite the README or docs/, not a numbered spec the repository does not hold", () => {
  /** A numbered section (an RFC's excepted), a section sign, or the analysis document by name. */
  const CITATION =
    /(?<!RFC\s\d+,?\s)\bsection\s+\d|\u00a7|\bspec\s+section|analysis\.md|analysis\s+contract/i;

  /**
   * A page of ours cited by path (`docs/decisions.md`, `CONTRIBUTING.md`, `README.md` or the
   * README), optionally followed by the quoted heading or decision it means on the same line:
   * `(docs/decisions.md, "The estimate.")`, `docs/decoding-and-retries.md's "What is decoded"`.
   */
  const DOC = /\b((?:docs\/[\w-]+|CONTRIBUTING|README)\.md|README)\b(?:'s)?,?\s*(?:"([^"\n]+)")?/g;

  const allFiles = () =>
    ["src", "test", "scripts"]
      .flatMap((dir) => allSources(join(root, dir)))
      .map((path) => ({ file: relative(root, path), text: readFileSync(path, "utf8") }));

  function citing(files: readonly { file: string; text: string }[]): string[] {
    return files.flatMap(({ file, text }) =>
      text
        .split("\n")
        .flatMap((line, i) => (CITATION.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
  }

  /** A comment's line: `//`, `/*`, or a block comment's `*`. Code that names a page is no citation. */
  const isCommentLine = (line: string) => /^\s*(\/\/|\/\*|\*)/.test(line);

  /** Citations of a page that does not exist, or of a heading or decision the page does not have. */
  function brokenCitations(
    files: readonly { file: string; text: string }[],
    read: (doc: string) => string | undefined,
  ): string[] {
    return files.flatMap(({ file, text }) =>
      text.split("\n").flatMap((line, i) =>
        [...(isCommentLine(line) ? line.matchAll(DOC) : [])].flatMap(([, name, quoted]) => {
          const doc = name?.endsWith(".md") ? name : `${name}.md`;
          const page = read(doc);
          if (page !== undefined && (quoted === undefined || page.includes(quoted))) return [];
          return [`${file}:${i + 1}: ${doc}${quoted === undefined ? "" : ` "${quoted}"`}`];
        }),
      ),
    );
  }

  const readDoc = (doc: string) =>
    existsSync(join(root, doc)) ? readFileSync(join(root, doc), "utf8") : undefined;

  it("has no such citation in src/, test/ or scripts/", () => {
    expect(citing(allFiles())).toEqual([]);
  });

  it("cites only pages that exist, and headings or decisions they hold", () => {
    const files = allFiles();
    const citingDecisions = files.filter(({ text }) => text.includes("docs/decisions.md"));
    expect(citingDecisions.length).toBeGreaterThan(5);
    expect(brokenCitations(files, readDoc)).toEqual([]);
  });

  it("catches one, and lets an RFC's section through", () => {
    const file = "src/core/retryable.ts";
    const lines = [
      `/** ${"Section"} 4: the budget per host. */`,
      `// see ${"\u00a7"}3.2`,
      `/** As the ${"analysis"}.md says. */`,
      "/** RFC 9110 section 10.2.3: Retry-After. */",
      '/** As docs/decisions.md\'s "**The estimate.**" says. */',
    ];
    expect(citing([{ file, text: lines.join("\n") }])).toEqual([
      `${file}:1: ${lines[0]}`,
      `${file}:2: ${lines[1]}`,
      `${file}:3: ${lines[2]}`,
    ]);
  });

  it("catches a missing page and a heading its page does not have", () => {
    const pages: Record<string, string> = {
      "docs/decisions.md": "- **The estimate.** Without headers",
      "README.md": "## The rules",
    };
    const file = "src/core/budget/budget-tracker.ts";
    const text = [
      '/** As docs/decisions.md\'s "**The estimate.**" says (README, "The rules"). */',
      `/** See ${"docs/"}gone.md. */`,
      `/** The ${"READ"}ME's "Decisions the contract leaves open". */`,
      `/** (${"docs/"}decisions.md, "Not a decision") */`,
    ].join("\n");
    expect(brokenCitations([{ file, text }], (doc) => pages[doc])).toEqual([
      `${file}:2: ${"docs/"}gone.md`,
      `${file}:3: ${"READ"}ME.md "Decisions the contract leaves open"`,
      `${file}:4: ${"docs/"}decisions.md "Not a decision"`,
    ]);
  });
});

describe("each src/ folder imports only the folders the architecture page's table allows", () => {
  /** Folder -> the src/ folders it may import (types count), as docs/architecture.md draws it. */
  const ALLOWED: Readonly<Record<string, readonly string[]>> = {
    panel: ["ui", "settings", "messaging", "core", "platform"],
    options: ["ui", "settings", "messaging", "core", "platform"],
    popup: ["ui", "messaging", "core", "platform"],
    background: ["settings", "messaging", "core", "platform"],
    devtools: ["platform"],
    platform: ["settings", "messaging", "core"],
    ui: ["settings", "core"],
    settings: ["core"],
    messaging: ["core"],
    cli: ["core", "demo"],
    demo: ["core"],
    core: [],
  };

  function offences(file: string, text: string): string[] {
    const from = relative(root, file).split("/")[1] ?? "";
    return statementsIn(text).flatMap(({ spec }) => {
      const to = folderOf(file, spec)?.slice("src/".length);
      if (to === undefined || to === from || ALLOWED[from]?.includes(to)) return [];
      return [`${relative(root, file)} imports ${spec} (${from} -> ${to})`];
    });
  }

  it("has a row for every folder under src/", () => {
    const folders = readdirSync(join(root, "src"), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(folders.sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  it("holds for every file under src/, tests included", () => {
    const files = allSources(join(root, "src"));
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((file) => offences(file, readFileSync(file, "utf8")))).toEqual([]);
  });

  it("lets the CLI take from src/demo the mock API alone, never the demo's servers", () => {
    const taken = allSources(join(root, "src/cli")).flatMap((file) =>
      statementsIn(readFileSync(file, "utf8"))
        .map(({ spec }) => spec)
        .filter((spec) => folderOf(file, spec) === "src/demo"),
    );
    expect(taken.length).toBeGreaterThan(0);
    for (const spec of taken) expect(spec).toMatch(/^\.\.\/demo\/mock-(?:api|scenarios)\.js$/);
  });

  it("is the table the Dependencies section of docs/architecture.md shows", () => {
    const page = readFileSync(join(root, "docs/architecture.md"), "utf8");
    const start = page.indexOf("\n## Dependencies\n");
    expect(start).toBeGreaterThan(0);
    const layout = page.slice(start);
    const rows = Object.fromEntries(
      [...layout.matchAll(/^(\w+)\/\s+-> (.*)$/gm)].map(([, from, to]) => [
        from,
        [...(to ?? "").matchAll(/\b(\w+)\//g)].map((m) => m[1]),
      ]),
    );
    expect(rows).toEqual(ALLOWED);
  });

  it("catches core importing settings or ui, ui importing messaging, settings importing ui", () => {
    const at = (path: string) => join(root, path);
    expect(
      offences(at("src/core/analyzer.ts"), 'import { x } from "../settings/settings.js";'),
    ).toEqual(["src/core/analyzer.ts imports ../settings/settings.js (core -> settings)"]);
    expect(
      offences(at("src/core/rules/rule.ts"), 'import type { X } from "../../ui/format.js";'),
    ).toEqual(["src/core/rules/rule.ts imports ../../ui/format.js (core -> ui)"]);
    expect(
      offences(
        at("src/ui/budget-text.ts"),
        'import type { ErrorCount } from "../messaging/protocol.js";',
      ),
    ).toHaveLength(1);
    expect(
      offences(at("src/settings/settings.ts"), 'import { h } from "../ui/format.js";'),
    ).toHaveLength(1);
    expect(
      offences(at("src/ui/host-form.tsx"), 'import { parseHost } from "../settings/settings.js";'),
    ).toEqual([]);
    expect(offences(at("src/core/analyzer.ts"), 'import { x } from "./report.js";')).toEqual([]);
  });
});

describe("every entry builds one *Ports object from src/platform and passes it in", () => {
  const ENTRIES = [
    ["src/panel/main.tsx", "PanelPorts", "startPanel(root, ports, "],
    ["src/popup/main.tsx", "PopupPorts", "render(<PopupApp ports={ports} />, root)"],
    ["src/options/main.tsx", "OptionsPorts", "render(<OptionsApp ports={ports} />, root)"],
    ["src/background/index.ts", "BackgroundPorts", "startBackground(ports)"],
  ] as const;

  it("declares the ports type beside the surface, builds it once in the entry and hands it over", () => {
    for (const [entry, type, handOver] of ENTRIES) {
      const text = readFileSync(join(root, entry), "utf8");
      const declared = readFileSync(join(root, dirname(entry), "ports.ts"), "utf8");
      expect(declared, entry).toContain(`export interface ${type} {`);
      expect(text.split(`const ports: ${type} = {`), entry).toHaveLength(2);
      expect(text, entry).toContain(handOver);
      // Wiring only: the product's objects are made past the hand-over, not in the entry.
      expect(text.match(/\bnew (?!Error\b|AbortController\b)[A-Z]\w*\(/g) ?? [], entry).toEqual([]);
    }
  });

  it("stops the panel's capture when the panel page goes away", () => {
    const text = readFileSync(join(root, "src/panel/main.tsx"), "utf8");
    expect(text).toMatch(/addEventListener\("pagehide"/);
  });
});
