import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

interface Named {
  /** From the repository's root, without a trailing slash. */
  path: string;
  line: number;
  /** Where the entry's own text reads from: the folder it names, or the folder of a file. */
  context: string;
  description: string;
}

/** A leading token that names a path: has a slash or a file extension (`.ci/run`, `manifest.json`). */
const PATH_TOKEN = /^(?:\.?[\w.-]+\/[\w./-]*|[\w-]+(?:\.[\w-]+)*\.(?:ts|tsx|mjs|json|md))$/;

/**
 * What the Layout block of docs/architecture.md names. A line at the margin names paths from the root (one or
 * more, then its description); a line indented two spaces names paths inside the last folder
 * named at the margin; deeper lines continue the description.
 */
function layoutEntries(page: string): Named[] {
  const section = page.slice(page.indexOf("\n## Layout\n"));
  const block = /```\n([\s\S]*?)\n```/.exec(section)?.[1] ?? "";
  const named: Named[] = [];
  let parent = "";
  for (const [i, line] of block.split("\n").entries()) {
    const indent = /^ */.exec(line)?.[0].length ?? 0;
    if (indent > 2) {
      const last = named.at(-1);
      if (last !== undefined) last.description += ` ${line.trim()}`;
      continue;
    }
    const tokens = line.trim().split(/\s+/);
    const paths: string[] = [];
    while (tokens.length > 0 && PATH_TOKEN.test(tokens[0] ?? "")) paths.push(tokens.shift() ?? "");
    for (const token of paths) {
      const path = (indent === 2 ? `${parent}/${token}` : token).replace(/\/$/, "");
      const folder = token.endsWith("/") || (indent === 0 && !/\.\w+$/.test(token));
      named.push({
        path,
        line: i + 1,
        context: folder ? path : dirname(path),
        description: tokens.join(" "),
      });
      if (indent === 0 && token.endsWith("/")) parent = path;
    }
  }
  return named;
}

/** File names the descriptions mention (`capture.ts`, `rules/index.ts`), outside dist/. */
function mentionedFiles(entry: Named): string[] {
  return [...entry.description.matchAll(/(?<![\w/.*-])([\w./-]+\.(?:ts|tsx|mjs|json|md))\b/g)]
    .map((m) => m[1] ?? "")
    .filter((file) => !file.startsWith("dist/"));
}

/** A mentioned file resolves from the entry's folder, one of its parents, or the root. */
function resolves(entry: Named, file: string): boolean {
  let folder = entry.context;
  for (;;) {
    if (existsSync(join(root, folder, file))) return true;
    if (folder === "." || folder === "") return false;
    folder = dirname(folder);
  }
}

function folders(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => `${dir}/${d.name}`);
}

describe("the Layout section of docs/architecture.md", () => {
  const page = readFileSync(join(root, "docs/architecture.md"), "utf8");
  const entries = layoutEntries(page);
  const paths = entries.map((e) => e.path);

  it("names only paths that exist", () => {
    expect(entries.length).toBeGreaterThan(30);
    expect(paths.filter((path) => !existsSync(join(root, path)))).toEqual([]);
  });

  it("names each path once", () => {
    expect(paths.filter((path, i) => paths.indexOf(path) !== i)).toEqual([]);
  });

  it("mentions only files that exist", () => {
    const missing = entries.flatMap((entry) =>
      mentionedFiles(entry)
        .filter((file) => !resolves(entry, file))
        .map((file) => `${entry.path}: ${file}`),
    );
    expect(missing).toEqual([]);
  });

  it("names every folder directly under src/, src/core/ and test/", () => {
    const tree = [...folders("src"), ...folders("src/core"), ...folders("test")];
    expect(tree.length).toBeGreaterThan(20);
    expect(tree.filter((folder) => !paths.includes(folder))).toEqual([]);
  });

  it("reads margin paths from the root and indented ones inside the folder above", () => {
    const sample = [
      "## Layout",
      "",
      "```",
      "src/core/        pure TypeScript",
      "  har/           reading an entry: parse-har.ts",
      "                 and exchange.ts",
      "src/popup/  src/options/  the popup",
      ".ci/run          CI",
      "bin/ratelens.mjs the bin",
      "```",
    ].join("\n");
    const named = layoutEntries(`intro\n${sample}\n`);
    expect(named.map((e) => e.path)).toEqual([
      "src/core",
      "src/core/har",
      "src/popup",
      "src/options",
      ".ci/run",
      "bin/ratelens.mjs",
    ]);
    expect(mentionedFiles(named[1] as Named)).toEqual(["parse-har.ts", "exchange.ts"]);
  });
});
