import { test as base, expect } from "@playwright/test";
import type { Page } from "puppeteer-core";
import {
  type FirefoxPanel,
  type FirefoxWithExtension,
  launchFirefox,
  openFirefoxPanel,
} from "../../dev/firefox.js";
import { STAGING_CASOLA_HOST } from "../../src/demo/mock-api.js";
import { SCENARIOS } from "../../src/demo/scenarios.js";
import { type DemoServer, startDemo } from "../../src/demo/server.js";
import { openPage, openToolbox } from "./firefox-harness.js";
import { fetchWithKey } from "./page-fetch.js";

/**
 * Ratelens in Debian's Firefox ESR, driven over WebDriver BiDi by puppeteer-core (Playwright is
 * only the test runner here): the panel in a real toolbox, the background's badge and the popup.
 * The demo build (dist/firefox-demo) holds the demo page's site, as a user who clicked Allow.
 */
interface FirefoxDemo {
  server: DemoServer;
  ff: FirefoxWithExtension;
  /** The demo page. */
  page: Page;
  panel: FirefoxPanel;
}

const test = base.extend<object, { firefox: FirefoxDemo }>({
  firefox: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixtures a function takes from its first parameter.
    async ({}, use) => {
      // The tests' own keys get a window longer than the file, so no reset passes between a call
      // and the check of its figures; the scenarios' keys keep their plans.
      const server = await startDemo({ api: { rateLimit: { limit: 1000, windowMs: 3_600_000 } } });
      const ff = await launchFirefox({
        extensionDir: "dist/firefox-demo",
        headless: true,
        httpsProxy: server.httpsProxy,
        // The request list is virtualised: a tall toolbox keeps every row of a test rendered.
        viewport: { width: 1280, height: 1000 },
        toolboxHeight: 700,
      });
      const page = await openPage(ff, server.pageUrl);
      // As a user would: F12 opens on the Console; the Network monitor is never opened.
      await openToolbox(ff, server.pageUrl, "webconsole");
      await runScenario(page, "careful");
      // Ratelens is selected only after that traffic: what it lists of it came from the DevTools
      // page, which records from the moment the toolbox opens.
      const panel = await openFirefoxPanel(ff, server.pageUrl);
      await use({ server, ff, page, panel });
      await ff.close();
      await server.close();
    },
    { scope: "worker", timeout: 90_000 },
  ],
});

test.describe.configure({ mode: "serial" });

const ROWS = "[data-testid=request-row]";

/** The number of requests the panel holds, as its Requests tab counts them. */
async function listed(panel: FirefoxPanel): Promise<number> {
  const [count] = await panel.texts("[data-testid=tab-requests] .tab-count");
  return Number(count ?? 0);
}

async function runScenario(page: Page, id: string): Promise<number> {
  await page.click(`#${id}`);
  await page.waitForFunction(
    (done) => document.querySelector("#status")?.textContent?.includes(done),
    { timeout: 30_000 },
    `done: ${id}`,
  );
  return page.$eval("#log", (log) => log.childElementCount);
}

/** A call from `page` with a key of its own; resolves to the rate-limit headers it got. */
function call(page: Page, url: string, key: string) {
  return page.evaluate(fetchWithKey, { url, key });
}

test("requests made before the panel was first shown are listed, without the Network monitor", async ({
  firefox,
}) => {
  const { page, panel } = firefox;
  const made = await page.$eval("#log", (log) => log.childElementCount);
  expect(made).toBeGreaterThan(0);
  await expect.poll(() => listed(panel), { timeout: 15_000 }).toBe(made);
  expect(await panel.count(ROWS)).toBe(made);
});

test("a retried quota_exceeded is decoded, tagged, and its budget shown", async ({ firefox }) => {
  const { page, panel } = firefox;
  const scenario = SCENARIOS.find((s) => s.id === "retry-quota");
  if (scenario === undefined) throw new Error("the demo has no retry-quota scenario");
  const before = await listed(panel);
  const made = await runScenario(page, scenario.id);
  // Every request the page made is listed, whether the page read its body or not.
  await expect.poll(() => listed(panel), { timeout: 15_000 }).toBe(before + made);

  // The finding's tag sits on the retry, in the requests list.
  const tags = await panel.texts("[data-testid=finding-tag]");
  expect(tags.some((t) => t.includes("retry-non-retryable"))).toBe(true);
  const rows = await panel.texts(ROWS);
  const offending = rows.findIndex((r) => r.includes("retry-non-retryable"));
  expect(offending).toBeGreaterThanOrEqual(0);

  // Its detail: the decoded code, not retryable, the advice, and why there is no calling line.
  await panel.click(ROWS, offending);
  await expect.poll(() => panel.texts("[data-testid=detail-code]")).toEqual(["quota_exceeded"]);
  expect(await panel.texts("[data-testid=retryable-badge]")).toEqual(["not retryable"]);
  expect((await panel.texts("[data-testid=detail-advice]"))[0]).toMatch(/upgrade/i);
  expect((await panel.texts("[data-testid=caller-unavailable]"))[0]).toContain("Chrome");

  await panel.click("[data-testid=tab-findings]");
  // The retries are one chain: its attempts' findings show once it is opened.
  const folded = "[data-testid=chain-toggle][aria-expanded=false]";
  while ((await panel.count(folded)) > 0) await panel.click(folded);
  expect(await panel.count("[data-testid=finding][data-rule=retry-non-retryable]")).toBeGreaterThan(
    0,
  );
  await panel.click("[data-testid=tab-budget]");
  for (const host of scenario.hosts) {
    expect(await panel.count(`[data-testid=budget-host][data-host='${host}']`)).toBe(1);
  }
  await panel.click("[data-testid=tab-requests]");
});

test("the background sets the badge and the popup shows the headers' budget", async ({
  firefox,
}) => {
  const { ff, page } = firefox;
  await call(page, "https://api.casola.ai/v1/models", "ff-badge");
  const reply = await call(page, "https://api.casola.ai/v1/models", "ff-badge");
  expect(reply.status).toBe(200);

  const popup = await ff.browser.newPage();
  try {
    await ff.goto(popup, `${ff.origin}/src/popup/index.html`);
    const card = "[data-testid=popup-host][data-host='api.casola.ai']";
    await popup.waitForSelector(`${card} [data-testid=popup-remaining]`, { timeout: 15_000 });
    await expect
      .poll(() => popup.$eval(`${card} [data-testid=popup-remaining]`, (e) => e.textContent))
      .toBe(reply.remaining);

    // The badge of the demo page's tab, read through the extension's own API.
    const pageUrl = firefox.server.pageUrl;
    const badge = () =>
      popup.evaluate(async (url) => {
        const api = (globalThis as unknown as { browser: FirefoxApi }).browser;
        const tabs = await api.tabs.query({});
        const tab = tabs.find((t) => t.url?.startsWith(url));
        if (tab?.id === undefined) return { text: "no tab", title: "" };
        return {
          text: await api.action.getBadgeText({ tabId: tab.id }),
          title: await api.action.getTitle({ tabId: tab.id }),
        };
      }, pageUrl);
    await expect.poll(async () => (await badge()).text).toBe(reply.remaining);
    expect((await badge()).title).toContain(`${reply.remaining}/${reply.limit}`);
  } finally {
    await popup.close();
  }
});

test("a host added on the options page is watched by the background", async ({ firefox }) => {
  const { ff, page } = firefox;
  const options = await ff.browser.newPage();
  try {
    await ff.goto(options, `${ff.origin}/src/options/index.html`);
    await options.waitForSelector("[data-testid=options-default-host]");
    await options.type("input[placeholder^='staging']", STAGING_CASOLA_HOST);
    await options.select("select", "casola");
    await options.click("form.inline-form button[type=submit]");
    await options.waitForSelector(`[data-testid=options-host][data-host='${STAGING_CASOLA_HOST}']`);
  } finally {
    await options.close();
  }
  const reply = await call(page, `https://${STAGING_CASOLA_HOST}/v1/models`, "ff-staging");
  expect(reply.status).toBe(200);
  const popup = await ff.browser.newPage();
  try {
    await ff.goto(popup, `${ff.origin}/src/popup/index.html`);
    const remaining = `[data-testid=popup-host][data-host='${STAGING_CASOLA_HOST}'] [data-testid=popup-remaining]`;
    await popup.waitForSelector(remaining, { timeout: 15_000 });
    expect(await popup.$eval(remaining, (e) => e.textContent)).toBe(reply.remaining);
  } finally {
    await popup.close();
  }
});

interface FirefoxApi {
  tabs: { query(filter: object): Promise<{ id?: number; url?: string }[]> };
  action: {
    getBadgeText(details: { tabId: number }): Promise<string>;
    getTitle(details: { tabId: number }): Promise<string>;
  };
}
