import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { BrowserContext } from "playwright-core";
import { SCENARIOS } from "../src/demo/scenarios.js";
import { startDemo } from "../src/demo/server.js";
import {
  addHostsOnOptionsPage,
  clickToolbarButton,
  launchChromium,
  openPanelOn,
  waitFor,
} from "./chromium.js";
import {
  addHostsOnOptionsPage as addFirefoxHosts,
  clickToolbarButton as clickFirefoxToolbarButton,
  closePopup,
  launchFirefox,
  openFirefoxPanel,
  openPage,
} from "./firefox.js";

const USAGE = `usage: npm run demo [-- --firefox] [--headless] [--out DIR]

  (default)   opens Chromium with Ratelens loaded and DevTools open on the demo page, Ratelens
              panel selected; click the page's buttons and watch the panel. Ctrl-C ends it.
  --firefox   the same in Firefox (Debian's firefox-esr): the toolbox open on the demo page,
              Ratelens selected.
  --headless  runs every demo scenario without a window and writes screenshots of the panel
              (requests, detail, findings, budget), the popup and the options page to DIR
              (default: demo-screenshots; Firefox's are named firefox-*.png), and the store
              listings' screenshots, 1280x800, to --store-out (default: docs/store).`;

interface Options {
  headless: boolean;
  firefox: boolean;
  out: string;
  storeOut: string;
}

function parse(argv: readonly string[]): Options | string {
  const options: Options = {
    headless: false,
    firefox: false,
    out: "demo-screenshots",
    storeOut: "docs/store",
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--headless") options.headless = true;
    else if (arg === "--firefox") options.firefox = true;
    else if (arg === "--out") {
      const dir = argv[++i];
      if (dir === undefined) return "--out needs a folder";
      options.out = dir;
    } else if (arg === "--store-out") {
      const dir = argv[++i];
      if (dir === undefined) return "--store-out needs a folder";
      options.storeOut = dir;
    } else if (arg === "--help" || arg === "-h") return "";
    else return `unknown option ${arg}`;
  }
  return options;
}

async function main(): Promise<number> {
  const options = parse(process.argv.slice(2));
  if (typeof options === "string") {
    console.error(options === "" ? USAGE : `ratelens demo: ${options}\n\n${USAGE}`);
    return options === "" ? 0 : 2;
  }
  if (!options.headless && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.error(
      "ratelens demo: no display to open a browser window on.\n" +
        "Run `npm run demo -- --headless` for screenshots, or `xvfb-run npm run demo`.",
    );
    return 2;
  }

  return options.firefox ? runFirefox(options) : runChromium(options);
}

/**
 * The hosts the scenarios call that are no documented API host (the OpenAI-shaped one): the demo
 * adds them on the options page, as its user would, so that Ratelens watches them from the start.
 */
const USER_HOSTS = [
  // Once each: two scenarios call the OpenAI-shaped host.
  ...new Map(SCENARIOS.flatMap((s) => s.userHosts ?? []).map((h) => [h.host, h])).values(),
];

/** Clicks each scenario's button in turn, waiting for the page to say it is done. */
async function runScenarios(
  click: (selector: string) => Promise<void>,
  status: () => Promise<string | null>,
): Promise<void> {
  for (const scenario of SCENARIOS) {
    console.log(`running ${scenario.id}: ${scenario.title}`);
    await click(scenario.button);
    await waitFor(
      async () => (await status())?.includes(`done: ${scenario.id}`),
      `the ${scenario.id} scenario to finish`,
      30_000,
    );
  }
}

function untilClosed(onClose: (done: () => void) => void): Promise<number> {
  return new Promise<number>((done) => {
    onClose(() => done(0));
    process.once("SIGINT", () => done(0));
    process.once("SIGTERM", () => done(0));
  });
}

/**
 * The store listings' screenshots: 1280x800, the size the Chrome Web Store asks for and
 * addons.mozilla.org recommends (docs/store-listing.md). Each is a view the demo shot, under a
 * caption band: a 1280x760 shot fills the rest exactly, a smaller one (the popup) sits centred
 * at its own size, a larger one is scaled to fit.
 */
const STORE = { width: 1280, height: 800, caption: 40 };

/** What each store screenshot shows, in listing order: its file name and its caption. */
const STORE_VIEWS = [
  { name: "1-requests", caption: "Every API request, its decoded error and the rule it breaks" },
  { name: "2-findings", caption: "Each retry loop once: what it wasted, the advice, the caller" },
  { name: "3-budget", caption: "The rate-limit budget of each host, a chart per meter" },
  { name: "4-timeline", caption: "Retry chains on a time axis, with their Retry-After windows" },
  { name: "5-popup", caption: "With DevTools closed: errors and budgets of the site's API hosts" },
] as const;

type StoreView = (typeof STORE_VIEWS)[number]["name"];

/** The page that frames a shot at the store's size; the browser that took it renders it. */
function storeFrame(png: Buffer, caption: string): string {
  const { width, height, caption: band } = STORE;
  return `<!doctype html><html><body style="margin:0;width:${width}px;height:${height}px;
    overflow:hidden;background:#eef1f5;font:600 18px/1 system-ui,sans-serif">
    <div style="height:${band}px;display:flex;align-items:center;padding:0 20px;
      background:#1f2a3a;color:#fff">${caption}</div>
    <div style="height:${height - band}px;display:flex;align-items:center;justify-content:center">
      <img style="display:block;max-width:${width}px;max-height:${height - band}px;
        object-fit:contain;box-shadow:0 2px 12px rgba(0,0,0,.25)"
        src="data:image/png;base64,${png.toString("base64")}"></div></body></html>`;
}

/**
 * Writes `<prefix>-1280x800-<view>.png` for every store view from the demo's own shots, through
 * `render` (a page of the browser at 1280x800 that shows the frame and saves it as a PNG).
 */
async function writeStoreShots(
  shots: Readonly<Record<StoreView, string>>,
  prefix: "chrome" | "firefox",
  dir: string,
  render: (html: string, path: string) => Promise<void>,
): Promise<string[]> {
  const out = resolve(dir);
  mkdirSync(out, { recursive: true });
  const written: string[] = [];
  for (const view of STORE_VIEWS) {
    const path = `${out}/${prefix}-${STORE.width}x${STORE.height}-${view.name}.png`;
    await render(storeFrame(readFileSync(shots[view.name]), view.caption), path);
    written.push(path);
  }
  return written;
}

/**
 * The CLI's HTML report of the sample session (`ratelens analyze --format html`), opened from
 * disk as a reader would: the picture the README shows.
 */
async function shootHtmlReport(context: BrowserContext, out: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "ratelens-report-"));
  try {
    const report = join(dir, "report.html");
    const run = spawnSync(
      process.execPath,
      ["bin/ratelens.mjs", "analyze", "test/fixtures/sample-session.har", "--format", "html"],
      { encoding: "utf8" },
    );
    if (run.status !== 1 && run.status !== 0) throw new Error(`ratelens: ${run.stderr}`);
    writeFileSync(report, run.stdout);
    const page = await context.newPage();
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.goto(pathToFileURL(report).href);
    const path = `${out}/9-html-report.png`;
    // Its top: the summary and the first chains drawn; the whole page is several screens long.
    await page.screenshot({
      path,
      fullPage: true,
      clip: { x: 0, y: 0, width: 1100, height: 1300 },
    });
    await page.close();
    return path;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runChromium(options: Options): Promise<number> {
  const server = await startDemo();
  const browser = await launchChromium({
    // The extension as a demo user has it after granting the demo's sites on the options page.
    extensionDir: resolve("dist/chrome-demo"),
    headless: options.headless,
    hostResolverRules: server.hostResolverRules,
    spkiFingerprint: server.spkiFingerprint,
    viewport: { width: 1100, height: 760 },
    // Headless, DevTools gets a window of its own, so the screenshots show the panel at full size.
    devtoolsDock: options.headless ? "undocked" : "bottom",
    pinned: true,
    // The popup's screenshot is taken as the toolbar button opens it.
    actionClicks: options.headless,
  });
  const stop = async () => {
    await browser.close();
    await server.close();
  };
  try {
    const { page, devtools } = await openPanelOn(browser, server.pageUrl);
    await addHostsOnOptionsPage(browser, devtools.extensionId, USER_HOSTS);
    await page.bringToFront();
    console.log(`demo page: ${server.pageUrl} (API hosts mapped to the local mock)`);

    if (!options.headless) {
      console.log("Chromium is open with DevTools on the demo page. Ctrl-C or close it to end.");
      return await untilClosed((done) => browser.context.on("close", done));
    }

    await runScenarios(
      (selector) => page.click(selector),
      () => page.textContent("#status"),
    );
    const panel = devtools.panel;
    // The panel may still be adding the last requests; the list settles within a poll or two.
    await waitFor(
      async () => (await panel.locator("[data-testid=request-row]").count()) > 0,
      "requests in the panel",
    );
    await new Promise((r) => setTimeout(r, 2500));

    // The undocked DevTools window opens small; give the panel room for the screenshots.
    await devtools.devtools.setViewportSize({ width: 1280, height: 760 });
    const out = resolve(options.out);
    mkdirSync(out, { recursive: true });
    const shots: string[] = [];
    const shoot = async (name: string) => {
      const path = `${out}/${name}.png`;
      await devtools.devtools.screenshot({ path });
      shots.push(path);
    };
    await panel.click("[data-testid=tab-requests]");
    await shoot("1-requests");
    const flagged = panel.locator("[data-testid=request-row]:has([data-testid=finding-tag])");
    await flagged.first().click();
    await panel.locator("[data-testid=detail]").waitFor();
    await shoot("2-detail");
    await panel.click("[data-testid=tab-findings]");
    await shoot("3-findings");
    await panel.click("[data-testid=tab-budget]");
    await shoot("4-budget");
    await panel.click("[data-testid=tab-timeline]");
    await panel.locator("[data-testid=timeline-lane]").first().waitFor();
    await shoot("8-timeline");
    // The popup and the options page, as the toolbar button and the extension's menu open them.
    const popup = await clickToolbarButton(browser, devtools.extensionId, page);
    await popup.page.locator("[data-testid=popup-host]").first().waitFor();
    await popup.page.screenshot({ path: `${out}/5-popup.png` });
    shots.push(`${out}/5-popup.png`);
    await popup.close();
    const optionsPage = await browser.context.newPage();
    await optionsPage.setViewportSize({ width: 900, height: 1000 });
    await optionsPage.goto(`chrome-extension://${devtools.extensionId}/src/options/index.html`);
    await optionsPage.getByRole("heading", { name: "Hosts" }).waitFor();
    await optionsPage.screenshot({ path: `${out}/6-options.png`, fullPage: true });
    shots.push(`${out}/6-options.png`);
    shots.push(await shootHtmlReport(browser.context, out));
    const frame = await browser.context.newPage();
    await frame.setViewportSize({ width: STORE.width, height: STORE.height });
    const store = await writeStoreShots(
      {
        "1-requests": `${out}/1-requests.png`,
        "2-findings": `${out}/3-findings.png`,
        "3-budget": `${out}/4-budget.png`,
        "4-timeline": `${out}/8-timeline.png`,
        "5-popup": `${out}/5-popup.png`,
      },
      "chrome",
      options.storeOut,
      async (html, path) => {
        await frame.setContent(html);
        await frame.screenshot({ path });
      },
    );
    shots.push(...store);
    await frame.close();
    await devtools.close();
    console.log(`screenshots:\n${shots.map((s) => `  ${s}`).join("\n")}`);
    return 0;
  } finally {
    await stop();
  }
}

async function runFirefox(options: Options): Promise<number> {
  const server = await startDemo();
  const ff = await launchFirefox({
    // The extension as a demo user has it after granting the demo's sites on the options page.
    extensionDir: resolve("dist/firefox-demo"),
    headless: options.headless,
    httpsProxy: server.httpsProxy,
    viewport: { width: 1280, height: 900 },
    toolboxHeight: 480,
  });
  try {
    const page = await openPage(ff, server.pageUrl);
    await addFirefoxHosts(ff, USER_HOSTS);
    const panel = await openFirefoxPanel(ff, server.pageUrl);
    console.log(`demo page: ${server.pageUrl} (API hosts tunnelled to the local mock)`);
    if (!options.headless) {
      console.log("Firefox is open with the toolbox on the demo page. Ctrl-C or close it to end.");
      return await untilClosed((done) => ff.browser.on("disconnected", done));
    }

    await runScenarios(
      (selector) => page.click(selector),
      () => page.$eval("#status", (e) => e.textContent),
    );
    await waitFor(async () => (await panel.count("[data-testid=request-row]")) > 0, "requests");
    await new Promise((r) => setTimeout(r, 2500));
    const out = resolve(options.out);
    mkdirSync(out, { recursive: true });
    const shots: string[] = [];
    const shoot = async (name: string, popup = false) => {
      const path = `${out}/firefox-${name}.png`;
      await ff.screenshotWindow(path, popup);
      shots.push(path);
    };
    await panel.click("[data-testid=tab-requests]");
    await shoot("1-requests");
    const rows = await panel.texts("[data-testid=request-row]");
    const flagged = rows.findIndex((row) => /retry-|no-backoff|rate-limit/.test(row));
    await panel.click("[data-testid=request-row]", Math.max(0, flagged));
    await waitFor(async () => (await panel.count("[data-testid=detail]")) > 0, "the detail");
    await shoot("2-detail");
    await panel.click("[data-testid=tab-findings]");
    await shoot("3-findings");
    await panel.click("[data-testid=tab-budget]");
    await shoot("4-budget");
    await panel.click("[data-testid=tab-timeline]");
    await waitFor(async () => (await panel.count("[data-testid=timeline-lane]")) > 0, "the lanes");
    await shoot("8-timeline");
    // The popup as the toolbar button opens it on the demo page (a popup opened as a tab would
    // be about itself), and the options page in a tab of its own.
    const popup = await clickFirefoxToolbarButton(ff, server.pageUrl);
    await waitFor(async () => (await popup.count("[data-testid=popup-host]")) > 0, "the popup");
    await shoot("5-popup", true);
    await closePopup(ff);
    const optionsTab = await ff.browser.newPage();
    await optionsTab.setViewport({ width: 900, height: 1000 });
    await ff.goto(optionsTab, `${ff.origin}/src/options/index.html`);
    await optionsTab.waitForSelector("h2");
    await optionsTab.screenshot({ path: `${out}/firefox-6-options.png`, fullPage: true });
    shots.push(`${out}/firefox-6-options.png`);
    await optionsTab.close();

    // The store's views again, in a window the size of the frame below its caption, so that
    // the shots fill it unscaled.
    await page.bringToFront();
    await ff.chrome(`window.resizeTo(${STORE.width}, ${STORE.height - STORE.caption})`);
    await waitFor(
      async () =>
        (await ff.chrome<number>("window.outerWidth")) === STORE.width &&
        (await ff.chrome<number>("window.outerHeight")) === STORE.height - STORE.caption,
      "the window at the store's size",
    );
    const storeShot = async (tab: string, name: string) => {
      await panel.click(`[data-testid=tab-${tab}]`);
      const path = `${out}/firefox-store-${name}.png`;
      await ff.screenshotWindow(path);
      return path;
    };
    const views = {
      "1-requests": await storeShot("requests", "1-requests"),
      "2-findings": await storeShot("findings", "2-findings"),
      "3-budget": await storeShot("budget", "3-budget"),
      "4-timeline": await storeShot("timeline", "4-timeline"),
      "5-popup": `${out}/firefox-5-popup.png`,
    };
    const frame = await ff.browser.newPage();
    await frame.setViewport({ width: STORE.width, height: STORE.height });
    shots.push(
      ...(await writeStoreShots(views, "firefox", options.storeOut, async (html, path) => {
        await frame.setContent(html);
        await frame.screenshot({ path });
      })),
    );
    await frame.close();
    console.log(`screenshots:\n${shots.map((s) => `  ${s}`).join("\n")}`);
    return 0;
  } finally {
    await ff.close();
    await server.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`ratelens demo: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
