import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { analyzeEntries } from "../src/core/analyzer.js";
import { parseHar } from "../src/core/har/parse-har.js";
import { Session } from "../src/core/session.js";
import { exportFile } from "../src/panel/exports.js";
import { PanelStore } from "../src/panel/store.js";
import { CASOLA, call, har } from "./support/har.js";

// The CLI, the panel's import and its live capture are one engine: the same file gives the same
// entries, findings and budgets, and the panel's "Findings JSON" is the CLI's --format json.
const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin/ratelens.mjs");
const VERSION = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version as string;
const FIXTURES = [
  ...readdirSync(join(root, "test/fixtures"))
    .filter((f) => f.endsWith(".har"))
    .map((f) => `test/fixtures/${f}`),
  ...readdirSync(join(root, "test/fixtures/real-world"))
    .filter((f) => f.endsWith(".har"))
    .map((f) => `test/fixtures/real-world/${f}`),
];

function cliJson(path: string, input?: string): string {
  const result = spawnSync(
    process.execPath,
    [bin, "analyze", input === undefined ? path : "-", "--format", "json", "--fail-on", "never"],
    { cwd: root, input, encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`${path}: ${result.stderr}`);
  return result.stdout;
}

function panelJson(name: string, text: string): { store: PanelStore; json: string } {
  const store = new PanelStore();
  const imported = store.importHar(name, text);
  if (!imported.ok) throw new Error(`${name}: ${imported.message}`);
  const json = exportFile("json", {
    session: store.session,
    sourceName: name,
    now: store.session.latestTime,
    version: VERSION,
  }).text;
  return { store, json };
}

describe("one engine for the CLI and the panel", () => {
  it("has every fixture to compare", () => {
    expect(FIXTURES.length).toBeGreaterThanOrEqual(30);
  });

  for (const path of FIXTURES) {
    it(`${path}: the panel's import shows the CLI's entries, findings and budgets`, () => {
      const text = readFileSync(join(root, path), "utf8");
      const cli = cliJson(path);
      const { store, json } = panelJson(path, text);
      expect(json).toBe(cli);

      const parsed = parseHar(text);
      if (!parsed.ok) throw new Error(parsed.message);
      const core = analyzeEntries(parsed.entries, {
        indices: parsed.indices,
        skipped: parsed.skipped,
      });
      const panel = store.session.report();
      expect(panel).toEqual(core);
      // What the panel's views list is what the report lists.
      expect(store.session.entries.map((e) => e.index)).toEqual(core.entries.map((e) => e.index));
      expect(store.session.findings).toEqual(core.findings);
    });
  }

  it("live capture of a file's API requests, in order, finds what the file's analysis finds", () => {
    for (const path of FIXTURES.filter((p) => !p.includes("real-world"))) {
      const parsed = parseHar(readFileSync(join(root, path), "utf8"));
      if (!parsed.ok) throw new Error(parsed.message);
      const live = new Session();
      for (const entry of parsed.entries) live.add(entry, "live");
      const recorded = analyzeEntries(parsed.entries);
      expect(live.entries.length, path).toBe(recorded.entries.length);
      expect(live.report().findings, path).toEqual(recorded.findings);
      expect(live.report().budgets, path).toEqual(recorded.budgets);
    }
  });

  it("lists a CDN request but not a CORS preflight, in the CLI's JSON and the panel's export alike", () => {
    const text = JSON.stringify(
      har([
        call({ at: 0, url: `${CASOLA}/models`, status: 200, json: { data: [] } }),
        call({ at: 1, url: "https://cdn.example.com/app.js", status: 200, text: "x" }),
        call({
          at: 2,
          method: "OPTIONS",
          url: `${CASOLA}/jobs`,
          status: 204,
          requestHeaders: { "Access-Control-Request-Method": "POST" },
        }),
      ]),
    );
    const cli = JSON.parse(cliJson("-", text));
    const panel = JSON.parse(panelJson("three.har", text).json);
    expect(cli.entries.map((e: { index: number; url: string }) => [e.index, e.url])).toEqual([
      [0, `${CASOLA}/models`],
      [1, "https://cdn.example.com/app.js"],
    ]);
    expect(panel).toEqual(cli);
    const imported = new PanelStore().importHar("three.har", text);
    expect(imported).toEqual({ ok: true, added: 2, apiRequests: 1, skipped: 1, unreadable: [] });
  });
});
