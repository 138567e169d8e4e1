import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, expect, test } from "@playwright/test";
import { CHROMIUM, QUIET_CHROMIUM_ARGS } from "../../dev/chromium.js";
import { CUADRA_HOSTS } from "../../src/demo/mock-api.js";
import { MOCK_SCENARIOS } from "../../src/demo/mock-scenarios.js";
import { SCENARIOS, type ScenarioId } from "../../src/demo/scenarios.js";
import { type DemoServer, startDemo } from "../../src/demo/server.js";
import { RATELENS, startMock } from "./ratelens-mock.js";

/**
 * The end-to-end check of `ratelens mock`: a mock scenario drives one of the demo page's
 * clients in Chromium, the browser records the traffic as a HAR (as an app's own Playwright tests
 * would), and `ratelens analyze` on that HAR finds what the scenario is there to show.
 */

interface Case {
  scenario: string;
  provider: "casola" | "cuadra";
  /** The demo page's client the scenario catches out. */
  client: ScenarioId;
  /** The error and warning rules `ratelens analyze` reports, and no others: the demo's own. */
  rules: readonly string[];
}

/** Every mock scenario that names a demo client, on the provider that client calls. */
const CASES: readonly Case[] = MOCK_SCENARIOS.flatMap((scenario) => {
  const demo = SCENARIOS.find((s) => s.id === scenario.demo);
  if (demo === undefined) return [];
  const provider = demo.hosts.every((host) => CUADRA_HOSTS.includes(host)) ? "cuadra" : "casola";
  return [{ scenario: scenario.name, provider, client: demo.id, rules: demo.expectedRules }];
});

let server: DemoServer;
let browser: Browser;
let scratch: string;

test.beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "ratelens-mock-e2e-"));
  server = await startDemo();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...QUIET_CHROMIUM_ARGS],
  });
});

test.afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

for (const { scenario, provider, client, rules } of CASES) {
  test(`ratelens mock --scenario ${scenario} drives the demo's ${client} client; analyze finds ${rules.join(", ")}`, async () => {
    const mock = await startMock(["--provider", provider, "--scenario", scenario]);
    try {
      const har = join(scratch, `${scenario}.har`);
      const context = await browser.newContext({ recordHar: { path: har } });
      const page = await context.newPage();
      await page.goto(`${server.pageUrl}?api=${encodeURIComponent(mock.base)}`);
      await page.click(`#${client}`);
      await expect(page.locator("#status")).toHaveText(`done: ${client}`);
      // The page logged every answer it got from the mock, and the mock printed a line for each.
      const statuses = await page
        .locator("#log li")
        .evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.status));
      expect(statuses.length).toBeGreaterThan(1);
      await context.close();

      const analyze = spawnSync(
        process.execPath,
        [RATELENS, "analyze", har, "--format", "json", "--host", `${mock.hostPort}=${provider}`],
        { encoding: "utf8" },
      );
      expect(analyze.stderr).toBe("");
      const report = JSON.parse(analyze.stdout) as {
        entries: { url: string; status: number }[];
        findings: { rule: string; severity: string }[];
      };
      const apiEntries = report.entries.filter((e) => e.url.startsWith(mock.base));
      expect(apiEntries.map((e) => String(e.status))).toEqual(
        expect.arrayContaining(statuses as string[]),
      );
      const serious = report.findings.filter((f) => f.severity !== "info").map((f) => f.rule);
      expect([...new Set(serious)].sort()).toEqual([...rules].sort());
      // --fail-on error, the default: exit 1 exactly when an error-level finding is among them.
      expect(analyze.status).toBe(report.findings.some((f) => f.severity === "error") ? 1 : 0);

      const answered = mock.lines.slice(2).filter((line) => !/ OPTIONS /.test(line));
      expect(answered.length).toBeGreaterThanOrEqual(statuses.length);
    } finally {
      mock.child.kill("SIGINT");
      expect(await mock.exited).toBe(0);
    }
  });
}
