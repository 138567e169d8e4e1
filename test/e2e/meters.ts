import { expect } from "@playwright/test";
import type { MockApiOptions } from "../../src/demo/mock-api.js";
import { DEMO_OPENAI_KEYS, OPENAI_HOST } from "../../src/demo/openai-mock.js";
import { type DemoScenario, SCENARIOS } from "../../src/demo/scenarios.js";

/**
 * The "openai-tokens" demo scenario in a browser, the same steps in Chromium (meters.spec.ts) and
 * Firefox (firefox-meters.spec.ts): the tokens of the OpenAI-shaped host run out while requests
 * remain, a 429 follows, then a 2xx. Each browser's spec supplies a `MetersBrowser`.
 */

export const SCENARIO: DemoScenario = (() => {
  const found = SCENARIOS.find((s) => s.id === "openai-tokens");
  if (found === undefined) throw new Error("the demo has no openai-tokens scenario");
  return found;
})();

/** The scenario's key (page/client.js); the tests' own call uses it too. */
export const KEY = "demo-openai-tokens";
/** A call that draws no tokens: the test's 2xx from the host while the scenario waits. */
export const MODELS_URL = `https://${OPENAI_HOST}/v1/models`;
/**
 * The token window in these tests: long enough that the 429's Retry-After (the rest of it) is
 * still in force after the test has read the badge, sent its own call and read the badge again,
 * and the tokens still at 0 while it reads the panel and the popup, on a loaded machine.
 */
const TOKENS_WINDOW_MS = 20_000;

/** The mock's options for these tests: the scenario's key with the longer token window. */
export const METERS_API: MockApiOptions = {
  openaiKeys: { [KEY]: { ...DEMO_OPENAI_KEYS[KEY], tokensWindowMs: TOKENS_WINDOW_MS } },
};

/** What a test reads of an extension page (the panel, the popup), by CSS selector. */
export interface SelectorReader {
  texts(selector: string): Promise<string[]>;
  attributes(selector: string, name: string): Promise<(string | null)[]>;
}

export interface MetersBrowser {
  /** Clicks the scenario's button on the demo page. */
  clickScenario(): Promise<void>;
  /** The statuses the demo page has logged for its requests, in order. */
  loggedStatuses(): Promise<string[]>;
  /** The demo page's `#status` line. */
  pageStatus(): Promise<string>;
  /** The toolbar badge of the demo page's tab. */
  badge(): Promise<string>;
  /** `GET /v1/models` on the OpenAI-shaped host from the demo page with the scenario's key. */
  listModels(): Promise<number>;
  /** The panel with its Budget view shown. */
  budgetView(): Promise<SelectorReader>;
  /** The toolbar popup, opened on the demo page's tab. */
  openPopup(): Promise<SelectorReader & { close(): Promise<void> }>;
}

export interface MeterRow {
  name: string | null;
  remaining: number;
  limit: number;
  reset: string;
}

/** A figure as a view writes it ("30,000", "495"); NaN for anything else. */
function figure(text: string | undefined): number {
  const digits = (text ?? "").replace(/[,\s\u202f]/g, "");
  return /^\d+$/.test(digits) ? Number(digits) : Number.NaN;
}

/** The meter rows of `host`'s card (`card` is its selector) in order, as the view draws them. */
export async function meterRows(view: SelectorReader, card: string): Promise<MeterRow[]> {
  const row = `${card} [data-testid=meter]`;
  const [names, remaining, limits, resets] = await Promise.all([
    view.attributes(row, "data-meter"),
    view.texts(`${row} [data-testid=meter-remaining]`),
    view.texts(`${row} [data-testid=meter-limit]`),
    view.texts(`${row} [data-testid=meter-reset]`),
  ]);
  if (![remaining, limits, resets].every((list) => list.length === names.length)) {
    throw new Error(
      `${names.length} meter rows, ${remaining.length} remaining, ${limits.length} limits, ${resets.length} resets`,
    );
  }
  return names.map((name, i) => ({
    name,
    remaining: figure(remaining[i]),
    limit: figure(limits[i]),
    reset: (resets[i] ?? "").trim(),
  }));
}

/** Both meters, the binding one (tokens, at 0) first, each with its own reset. */
async function expectSpentTokens(view: SelectorReader, card: string, surface: string) {
  await expect
    .poll(
      async () =>
        (await meterRows(view, card)).map((m) => ({
          name: m.name,
          limit: m.limit,
          remaining: m.name === "requests" ? m.remaining > 0 && m.remaining < m.limit : m.remaining,
          reset: m.reset !== "",
        })),
      { message: `the ${surface}'s meters of ${OPENAI_HOST}` },
    )
    .toEqual([
      { name: "tokens", limit: 30_000, remaining: 0, reset: true },
      { name: "requests", limit: 500, remaining: true, reset: true },
    ]);
}

/** A time of day as the chart's time axis writes it. */
const CLOCK = /^\d\d:\d\d(:\d\d)?$/;

/**
 * The Budget view's chart of the host: a line per meter (tokens and requests, as shares of their
 * own limits, which differ), each in the legend, a time axis and a value axis with tick labels,
 * the 429's Retry-After window shaded (the test's 2xx ends it) and the tokens' reset marked, well
 * within the minute the axis reaches ahead.
 */
async function expectChart(view: SelectorReader, card: string) {
  const chart = `${card} [data-testid=budget-chart]`;
  await expect
    .poll(
      async () => {
        const [lines, legend, times, values, shades, resets] = await Promise.all([
          view.attributes(`${chart} [data-testid=chart-line]`, "data-meter"),
          view.attributes(`${chart} [data-testid=chart-legend-item]`, "data-meter"),
          view.texts(`${chart} [data-testid=chart-time-tick]`),
          view.texts(`${chart} [data-testid=chart-value-tick]`),
          view.attributes(`${chart} [data-testid=chart-retry-after]`, "width"),
          view.attributes(`${chart} [data-testid=chart-reset]`, "data-meters"),
        ]);
        return {
          lines,
          legend,
          timeTicks: times.length >= 2 && times.every((t) => CLOCK.test(t.trim())),
          valueTicks: values.length >= 2 && values.every((v) => /^\d+%$/.test(v.trim())),
          retryAfterShaded: shades.some((w) => Number(w) > 0),
          tokensReset: resets.some((m) => (m ?? "").split(" ").includes("tokens")),
        };
      },
      { message: `the panel's chart of ${OPENAI_HOST}` },
    )
    .toEqual({
      lines: ["tokens", "requests"],
      legend: ["tokens", "requests"],
      timeTicks: true,
      valueTicks: true,
      retryAfterShaded: true,
      tokensReset: true,
    });
}

/**
 * Runs the scenario and checks, in order: the 429 comes after three 2xx; the badge shows `!` for
 * its Retry-After; a 2xx from the host (the test's own call, well inside that Retry-After) ends
 * the `!`, and the badge then shows the binding meter's 0, not the requests left; the panel and
 * the popup show both meters, and the panel's chart both meters' lines, its axes and the
 * Retry-After; after the scenario's own wait and 2xx the badge shows the tokens
 * left again.
 */
export async function runOpenAiTokens(browser: MetersBrowser): Promise<void> {
  const started = Date.now();
  await browser.clickScenario();
  await expect
    .poll(browser.loggedStatuses, { message: "the scenario's 429 after three 2xx" })
    .toEqual(["200", "200", "200", "429"]);

  await expect.poll(browser.badge, { message: "the badge during the Retry-After" }).toBe("!");
  expect(await browser.listModels()).toBe(200);
  await expect
    .poll(browser.badge, { message: "the badge after a 2xx: the tokens' 0, not the requests'" })
    .toBe("0");
  // The token window began after `started` and the Retry-After lasts at least until its end: had
  // the `!` merely run out, the badge could not have changed this early.
  expect(Date.now() - started).toBeLessThan(TOKENS_WINDOW_MS - 1000);

  const card = `[data-host='${OPENAI_HOST}']`;
  const budgetView = await browser.budgetView();
  await expectSpentTokens(budgetView, `[data-testid=budget-host]${card}`, "panel");
  await expectChart(budgetView, `[data-testid=budget-host]${card}`);
  const popup = await browser.openPopup();
  try {
    await expectSpentTokens(popup, `[data-testid=popup-host]${card}`, "popup");
  } finally {
    await popup.close();
  }

  await expect
    .poll(browser.pageStatus, { timeout: TOKENS_WINDOW_MS + 10_000 })
    .toBe(`done: ${SCENARIO.id}`);
  expect((await browser.loggedStatuses()).at(-1)).toBe("200");
  // 20,000 of 30,000 tokens left bind before 494 of 500 requests.
  await expect.poll(browser.badge, { message: "the badge after the scenario's 2xx" }).toBe("20k");
}
