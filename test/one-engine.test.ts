import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { TrafficState } from "../src/background/traffic-state.js";
import { toHostBudget } from "../src/core/budget/budget-tracker.js";
import { parseHarTime } from "../src/core/har/har-time.js";
import { parseHar } from "../src/core/har/parse-har.js";
import { HostTable, urlParts } from "../src/core/hosts.js";
import { type RequestRecord, recordFromEntry } from "../src/core/request-record.js";
import { Session } from "../src/core/session.js";
import type { HarEntry, HostBudget } from "../src/core/types.js";
import type { BackgroundState } from "../src/messaging/protocol.js";
import { exportFile } from "../src/panel/exports.js";
import { PanelStore } from "../src/panel/store.js";
import type {
  CompletedDetails,
  ErrorDetails,
  RequestDetails,
} from "../src/platform/ports/background.js";
import { DEFAULT_SETTINGS } from "../src/settings/settings.js";
import { analyzeEntries } from "./support/analyze.js";
import { CASOLA, call, har } from "./support/har.js";

// The CLI, the panel's import and its live capture are one engine: the same file gives the same
// entries, findings and budgets, and the panel's "Findings JSON" is the CLI's --format json.
const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin/ratelens.mjs");
const VERSION = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version as string;
/** One recording per rate-limit header family, each on its provider's own host. */
const FAMILIES = readdirSync(join(root, "test/fixtures/families"))
  .filter((f) => f.endsWith(".har"))
  .map((f) => `test/fixtures/families/${f}`);
const FIXTURES = [
  ...readdirSync(join(root, "test/fixtures"))
    .filter((f) => f.endsWith(".har"))
    .map((f) => `test/fixtures/${f}`),
  ...readdirSync(join(root, "test/fixtures/real-world"))
    .filter((f) => f.endsWith(".har"))
    .map((f) => `test/fixtures/real-world/${f}`),
  ...FAMILIES,
];

/** The CLI's JSON report of `path` (or of `input` on stdin), with more `args` (`--host`). */
function cliJson(path: string, input?: string, args: readonly string[] = []): string {
  const result = spawnSync(
    process.execPath,
    [
      bin,
      "analyze",
      input === undefined ? path : "-",
      "--format",
      "json",
      "--fail-on",
      "never",
      ...args,
    ],
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
    for (const path of FIXTURES.filter(
      (p) => !p.includes("real-world") && !p.includes("families"),
    )) {
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

  describe("the background's path: webRequest events and panel reports into TrafficState", () => {
    // Retention long enough to keep every fixture whole: what ages out is the background's
    // choice, not the engine's.
    const settings = { ...DEFAULT_SETTINGS, hosts: [], limits: [], retentionMinutes: 24 * 60 };
    const config = { settings, table: new HostTable(settings.hosts) };
    const TAB = 1;

    interface CliReport {
      entries: { url: string; status: number; error: { code: string | null } | null }[];
      budgets: HostBudget[];
    }

    /** The file's API requests (to `table`'s hosts), as the browser would report them, with their times. */
    function apiRequests(path: string, table = config.table) {
      const parsed = parseHar(readFileSync(join(root, path), "utf8"));
      if (!parsed.ok) throw new Error(parsed.message);
      return parsed.entries
        .filter((e) => table.isApiHost(e.request.url) && e.request.method !== "OPTIONS")
        .map((entry: HarEntry, i) => {
          const start = parseHarTime(entry.startedDateTime);
          return { entry, id: String(i), start, end: start + Math.max(0, entry.time) };
        });
    }

    /** What webRequest reports of them, in the order of its events: each start, each end. */
    function webRequestEvents(path: string, table = config.table) {
      const events: {
        at: number;
        start?: RequestDetails;
        end?: CompletedDetails | ErrorDetails;
      }[] = [];
      for (const { entry, id, start, end } of apiRequests(path, table)) {
        const base = {
          requestId: id,
          url: entry.request.url,
          method: entry.request.method,
          tabId: TAB,
        };
        events.push({ at: start, start: { ...base, timeStamp: start } });
        const status = entry.response.status;
        events.push({
          at: end,
          end:
            status > 0
              ? {
                  ...base,
                  timeStamp: end,
                  statusCode: status,
                  responseHeaders: entry.response.headers,
                }
              : { ...base, timeStamp: end, error: "net::ERR_FAILED" },
        });
      }
      // Stable: a request that ends as the next starts keeps the file's order.
      return events.sort((a, b) => a.at - b.at);
    }

    /** What the panel on the tab reports of them, codes decoded (the CLI's, the same engine). */
    function panelReports(path: string, cli: CliReport): RequestRecord[] {
      const codes = cli.entries.map((e) => e.error?.code ?? null);
      return apiRequests(path).map(({ entry }, i) => {
        const record = recordFromEntry(entry, { error: { code: codes[i] ?? null } });
        if (record === undefined) throw new Error(`${path}: entry ${i} has no start`);
        return record;
      });
    }

    function viaWebRequest(
      path: string,
      state = new TrafficState(config),
      table = config.table,
    ): TrafficState {
      for (const event of webRequestEvents(path, table)) {
        if (event.start !== undefined) state.recordStart(event.start);
        if (event.end !== undefined) state.recordResponse(event.end, event.end.timeStamp);
      }
      return state;
    }

    function viaPanel(
      path: string,
      cli: CliReport,
      state = new TrafficState(config),
    ): TrafficState {
      const reports = panelReports(path, cli);
      state.recordPanel(TAB, reports, Math.max(...reports.map((r) => r.end)));
      return state;
    }

    const byHost = (budgets: HostBudget[]) =>
      [...budgets].sort((a, b) => a.host.localeCompare(b.host));
    const budgetsOf = (state: BackgroundState) =>
      byHost(state.hosts.map((h) => toHostBudget(h.budget)));

    /** Errors per host and status (and code, where `withCode`), as counts. */
    function cliErrors(cli: CliReport, withCode: boolean): Record<string, number> {
      const counts: Record<string, number> = {};
      for (const e of cli.entries) {
        if (e.error === null) continue;
        const key = `${urlParts(e.url)?.host} ${e.status} ${withCode ? (e.error.code ?? "") : ""}`;
        counts[key] = (counts[key] ?? 0) + 1;
      }
      return counts;
    }
    function backgroundErrors(state: BackgroundState): Record<string, number> {
      const counts: Record<string, number> = {};
      for (const host of state.hosts)
        for (const e of host.errors)
          counts[`${host.budget.host} ${e.status} ${e.code ?? ""}`] = e.count;
      return counts;
    }

    for (const path of FIXTURES.filter(
      (p) => !p.includes("real-world") && !p.includes("families"),
    )) {
      it(`${path}: the background shows the CLI's budgets and errors`, () => {
        const cli = JSON.parse(cliJson(path)) as CliReport;
        const now = Math.max(...apiRequests(path).map((r) => r.end));
        // The CLI lists every API host it read (and others that stated a limit: none here).
        const expected = byHost(cli.budgets);
        expect(expected.length).toBeGreaterThan(0);

        // DevTools closed: webRequest alone, statuses without codes.
        const seen = viaWebRequest(path).stateFor(TAB, now);
        expect(budgetsOf(seen)).toEqual(expected);
        expect(backgroundErrors(seen)).toEqual(cliErrors(cli, false));

        // The panel alone (the page's site not granted): its decoded codes.
        const reported = viaPanel(path, cli).stateFor(TAB, now);
        expect(budgetsOf(reported)).toEqual(expected);
        expect(backgroundErrors(reported)).toEqual(cliErrors(cli, true));

        // Both: each request counted once, with the panel's codes.
        const both = viaPanel(path, cli, viaWebRequest(path));
        expect(both.observations().every((o) => o.via === "both")).toBe(true);
        expect(budgetsOf(both.stateFor(TAB, now))).toEqual(expected);
        expect(backgroundErrors(both.stateFor(TAB, now))).toEqual(cliErrors(cli, true));

        // And the same after a worker restart, through storage.
        const restarted = TrafficState.restore(JSON.parse(JSON.stringify(both.snapshot())), config);
        expect(restarted.stateFor(TAB, now)).toEqual(both.stateFor(TAB, now));
      });
    }

    // Other APIs' recordings, their hosts added by the user: the options page's hosts for the
    // background, --host for the CLI. Their own headers (Okta's X-Rate-Limit-*, GitLab's
    // RateLimit-ResetTime, DigitalOcean's Unix RateLimit-Reset, GitHub's x-ratelimit-resource)
    // give the same budgets on both paths.
    const USER_HOSTS: Record<string, readonly string[]> = {
      "test/fixtures/real-world/polly-okta.har": ["okta.example.test"],
      "test/fixtures/real-world/polly-gitlab.har": ["gitlab.example.test"],
      "test/fixtures/real-world/polly-github.har": ["api.github.com"],
      "test/fixtures/real-world/polly-digitalocean.har": ["do.example.test", "graph.example.test"],
    };
    for (const [path, hosts] of Object.entries(USER_HOSTS)) {
      it(`${path}: with its hosts added, the background shows the CLI's budgets and errors`, () => {
        const mapped = hosts.map((host) => ({ host, provider: "generic" as const }));
        const userSettings = { ...settings, hosts: mapped };
        const user = { settings: userSettings, table: new HostTable(userSettings.hosts) };
        const args = hosts.flatMap((host) => ["--host", `${host}=generic`]);
        const cli = JSON.parse(cliJson(path, undefined, args)) as CliReport;
        const requests = apiRequests(path, user.table);
        // Every request of the file is to one of its hosts: none is left out.
        expect(requests.length).toBe(cli.entries.length);
        const now = Math.max(...requests.map((r) => r.end));
        const expected = byHost(cli.budgets);
        // The budget its headers state, with a reset: what is compared is not empty.
        expect(expected.map((b) => b.host)).toContain(hosts[0]);
        for (const budget of expected) {
          expect(budget, budget.host).toMatchObject({
            limit: expect.any(Number),
            remaining: expect.any(Number),
            resetAt: expect.any(String),
          });
        }

        const seen = viaWebRequest(path, new TrafficState(user), user.table).stateFor(TAB, now);
        const listed = budgetsOf(seen);
        const reported = new Set(expected.map((b) => b.host));
        expect(listed.filter((b) => reported.has(b.host))).toEqual(expected);
        // A host that stated no budget (DigitalOcean's GraphQL host) the CLI leaves out of its
        // budgets; the background lists it for its errors, with no budget either.
        for (const budget of listed.filter((b) => !reported.has(b.host))) {
          expect(budget, budget.host).toMatchObject({
            limit: null,
            remaining: null,
            resetAt: null,
          });
        }
        expect(backgroundErrors(seen)).toEqual(cliErrors(cli, false));
      });
    }

    // Each header family through webRequest: the headers the background keeps of a response are
    // enough for every meter the CLI reads from the whole recording.
    for (const path of FAMILIES) {
      it(`${path}: its host added, the background shows the CLI's meters`, () => {
        const text = readFileSync(join(root, path), "utf8");
        const hosts = [
          ...new Set(
            (
              JSON.parse(text) as { log: { entries: { request: { url: string } }[] } }
            ).log.entries.map((e) => new URL(e.request.url).host),
          ),
        ];
        const mapped = hosts.map((host) => ({ host, provider: "generic" as const }));
        const userSettings = { ...settings, hosts: mapped };
        const user = { settings: userSettings, table: new HostTable(userSettings.hosts) };
        const args = hosts.flatMap((host) => ["--host", `${host}=generic`]);
        const cli = JSON.parse(cliJson(path, undefined, args)) as CliReport;
        const expected = byHost(cli.budgets);
        expect(expected.flatMap((b) => b.meters).length).toBeGreaterThan(0);
        const requests = apiRequests(path, user.table);
        const now = Math.max(...requests.map((r) => r.end));
        const seen = viaWebRequest(path, new TrafficState(user), user.table).stateFor(TAB, now);
        expect(budgetsOf(seen)).toEqual(expected);
      });
    }
  });
});
