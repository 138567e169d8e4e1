import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium, openPanelOn } from "../../dev/chromium.js";
import { SCENARIOS } from "../../src/demo/scenarios.js";
import { startDemo } from "../../src/demo/server.js";
import { expect, test } from "./fixtures.js";

/** One request as Chromium's network stack logged it. */
interface LoggedRequest {
  url: string;
  initiator: string | undefined;
}

/**
 * Every URL request of the whole browser, from its NetLog (`--log-net-log`): the network
 * service's own record, so it covers the page, the service worker, the extension's pages and
 * DevTools alike, whatever API they used. Read after the browser has closed and finished it.
 */
function netLogRequests(file: string): LoggedRequest[] {
  let text = readFileSync(file, "utf8").trimEnd();
  // A log cut short (the browser killed) lacks its closing brackets.
  if (!text.endsWith("}")) text = `${text.replace(/,$/, "")}]}`;
  const log = JSON.parse(text) as {
    constants: { logEventTypes: Record<string, number> };
    events: { type: number; params?: { url?: string; initiator?: string } }[];
  };
  const start = log.constants.logEventTypes.URL_REQUEST_START_JOB;
  return log.events
    .filter((e) => e.type === start && typeof e.params?.url === "string")
    .map((e) => ({ url: e.params?.url as string, initiator: e.params?.initiator }));
}

test("the extension makes no network request of its own: panel, popup and options open, with traffic", async () => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), "ratelens-netlog-"));
  const netlog = join(dir, "netlog.json");
  const server = await startDemo();
  const browser = await launchChromium({
    extensionDir: "dist/chrome-demo",
    headless: true,
    hostResolverRules: server.hostResolverRules,
    spkiFingerprint: server.spkiFingerprint,
    extraArgs: [`--log-net-log=${netlog}`],
  });
  let extensionId = "";
  try {
    const { page, devtools } = await openPanelOn(browser, server.pageUrl);
    extensionId = devtools.extensionId;
    const popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/src/popup/index.html`);
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${extensionId}/src/options/index.html`);
    await expect(options.locator("body")).not.toBeEmpty();

    // A scenario's traffic, seen by the panel, the background and the popup.
    const scenario = SCENARIOS[0];
    if (scenario === undefined) throw new Error("no demo scenario");
    await page.bringToFront();
    await page.click(scenario.button);
    await expect(page.locator("#status")).toContainText(`done: ${scenario.id}`, {
      timeout: 30_000,
    });
    await expect(devtools.panel.locator("[data-testid=request-row]").first()).toBeVisible();
    await popup.reload();
    await expect(popup.locator("body")).toContainText("api.casola.ai");
    // Time for anything the extension might send on a timer (the panel polls twice a second).
    await popup.waitForTimeout(3000);
    await devtools.close();
  } finally {
    await browser.close();
    await server.close();
  }

  const requests = netLogRequests(netlog);
  rmSync(dir, { recursive: true, force: true });
  const pageOrigin = new URL(server.pageUrl).origin;
  const api = /^https:\/\/api\.(casola|cuadra)\.ai\//;
  // The log names who started each request: the page's calls carry the page's origin.
  const fromPage = requests.filter((r) => r.initiator === pageOrigin);
  expect(fromPage.some((r) => api.test(r.url))).toBe(true);

  const ours = requests.filter((r) => r.initiator?.startsWith("chrome-extension://"));
  expect(ours, "requests the extension's pages or worker started").toEqual([]);
  // Whatever a page or frame started is the demo page's own traffic. Left aside: requests with
  // no initiator, which are Chromium's own (its update and account checks, the page's navigation)
  // or DevTools' front end; an extension page or worker cannot start one without its origin.
  const byPages = requests.filter(
    (r) =>
      r.initiator !== undefined &&
      r.initiator !== "not an origin" &&
      !r.initiator.startsWith("devtools://"),
  );
  expect(byPages.length).toBeGreaterThan(0);
  const elsewhere = byPages.filter(
    (r) => r.initiator !== pageOrigin || !(r.url.startsWith(pageOrigin) || api.test(r.url)),
  );
  expect(elsewhere.map((r) => `${r.url} (from ${r.initiator})`)).toEqual([]);
  expect(extensionId).not.toBe("");
});
