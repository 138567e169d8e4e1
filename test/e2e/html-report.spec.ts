import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium, expect, type Page, test } from "@playwright/test";
import { CHROMIUM, QUIET_CHROMIUM_ARGS } from "../../dev/chromium.js";
import { toHtml } from "../../src/core/export/html.js";
import { parseHar } from "../../src/core/har/parse-har.js";
import { analyzeEntries } from "../support/analyze.js";
import { type AxeView, axeViolations, describeViolations, drawnIn, type Theme } from "./axe.js";

/**
 * The HTML report as a user opens it: a file on disk, in Chromium, with nothing leaving the page.
 * The report is the sample session's, its file name written with a tag that would load an image
 * were it not escaped.
 */
const BAIT = `<img src="http://127.0.0.1:9/bait.png" alt="">`;

let dir = "";
let reportUrl = "";
let browser: Browser;

test.beforeAll(async () => {
  const parsed = parseHar(readFileSync("test/fixtures/sample-session.har", "utf8"));
  if (!parsed.ok) throw new Error(parsed.message);
  const report = analyzeEntries(parsed.entries);
  dir = mkdtempSync(join(tmpdir(), "ratelens-html-"));
  const file = join(dir, "report.html");
  writeFileSync(
    file,
    toHtml([{ source: `sample-session.har ${BAIT}`, report }], {
      title: "Ratelens report",
      version: "0.1.0",
    }),
  );
  reportUrl = pathToFileURL(file).href;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...QUIET_CHROMIUM_ARGS],
  });
});

test.afterAll(async () => {
  await browser?.close();
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
});

/** The report opened in a fresh context in `theme`, with every request the context sees. */
async function open(theme: Theme): Promise<{ page: Page; requests: string[] }> {
  const context = await browser.newContext({ colorScheme: theme });
  const requests: string[] = [];
  context.on("request", (request) => requests.push(request.url()));
  // Anything but the file itself is refused as well as counted: nothing reaches a network.
  await context.route(
    (url) => url.href !== reportUrl,
    (route) => route.abort(),
  );
  const page = await context.newPage();
  await page.goto(reportUrl);
  return { page, requests };
}

function axeView(page: Page): AxeView {
  return {
    evaluate: (expression) => page.evaluate(expression),
    press: (key) => page.keyboard.press(key),
  };
}

test("the HTML report opens from disk with its summary, chains and budgets, and requests nothing", async () => {
  const { page, requests } = await open("light");
  await expect(page.getByRole("heading", { level: 1, name: "Ratelens report" })).toBeVisible();
  // One file: its section holds the figures, said once.
  await expect(page.getByRole("heading", { level: 2, name: "Summary" })).toHaveCount(0);
  await expect(
    page.getByRole("heading", { level: 2, name: /sample-session\.har <img/ }),
  ).toBeVisible();
  await expect(page.locator("section.file dd").first()).toHaveText("10");

  // The chain of two rules is drawn under each of them.
  const charts = page.getByRole("img", { name: /^4 requests on a time axis/ });
  await expect(charts).toHaveCount(2);
  const chart = charts.first();
  await expect(chart).toBeVisible();
  const marks = chart.locator("g.mark");
  await expect(marks).toHaveCount(4);
  for (const mark of await marks.all()) await expect(mark).toBeVisible();
  await expect(chart.locator("g.mark-wasted")).toHaveCount(2);
  await expect(chart.locator("text.wait")).toContainText(["wait 37.8 s"]);

  await expect(page.getByRole("heading", { name: "Budgets after the last entry" })).toBeVisible();
  const meter = page.getByRole("meter", { name: "requests: 98 of 100 left" });
  await expect(meter).toBeVisible();

  // The escaped tag is text, and nothing but the file was asked for.
  await expect(page.locator("img")).toHaveCount(0);
  await expect(page.locator("script")).toHaveCount(0);
  expect(requests).toEqual([reportUrl]);
  await page.context().close();
});

for (const theme of ["light", "dark"] as const satisfies readonly Theme[]) {
  test(`the HTML report has no serious or critical accessibility violation (${theme})`, async () => {
    const { page, requests } = await open(theme);
    const view = axeView(page);
    await expect.poll(() => drawnIn(view, theme), { message: `drawn ${theme}` }).toBe(true);
    const violations = await axeViolations(view);
    expect(violations, describeViolations(`HTML report, ${theme}`, violations)).toEqual([]);
    expect(requests).toEqual([reportUrl]);
    await page.context().close();
  });
}
