import { expect } from "@playwright/test";
import { OPENAI_HOST } from "../../src/demo/openai-mock.js";
import { type DemoScenario, SCENARIOS } from "../../src/demo/scenarios.js";
import type { SelectorReader } from "./meters.js";

/**
 * The "openai-sdk" demo scenario in a browser, the same steps in Chromium (chains.spec.ts) and
 * Firefox (firefox-chains.spec.ts): OpenAI's SDK retries a 429 twice inside its Retry-After. The
 * Findings view tells that loop once, with what it cost; the panel's header the session's cost;
 * the popup the cost per host. Each browser's spec supplies a `ChainsBrowser`.
 */

export const SCENARIO: DemoScenario = (() => {
  const found = SCENARIOS.find((s) => s.id === "openai-sdk");
  if (found === undefined) throw new Error("the demo has no openai-sdk scenario");
  return found;
})();

/** Seconds as the views write them: "1.5 s", "850 ms". */
const SPAN = String.raw`(\d+(\.\d)? s|\d+ ms)`;

export interface ChainsBrowser {
  /** Clicks the scenario's button on the demo page. */
  clickScenario(): Promise<void>;
  /** The demo page's `#status` line. */
  pageStatus(): Promise<string>;
  /** The panel with its Findings view shown. */
  findingsView(): Promise<SelectorReader & { count(selector: string): Promise<number> }>;
  /** The toolbar popup, opened on the demo page's tab. */
  openPopup(): Promise<SelectorReader & { close(): Promise<void> }>;
  /**
   * The chain's caller as the panel shows it: Chrome's DevTools records the calling line, Firefox
   * gives extensions none.
   */
  caller: RegExp | undefined;
}

export async function runOpenAiSdk(browser: ChainsBrowser): Promise<void> {
  await browser.clickScenario();
  await expect.poll(browser.pageStatus, { timeout: 30_000 }).toBe(`done: ${SCENARIO.id}`);

  const view = await browser.findingsView();
  await expect
    .poll(() => view.count("[data-testid=chain]"), { message: "the SDK's loop, once" })
    .toBe(1);
  expect(await view.attributes("[data-testid=chain]", "data-host")).toEqual([OPENAI_HOST]);
  expect(await view.attributes("[data-testid=chain]", "data-rules")).toEqual([
    "retry-after-ignored",
  ]);
  expect(await view.texts("[data-testid=chain-cost]")).toEqual([
    expect.stringMatching(new RegExp(`^3 attempts: 2 requests wasted, ${SPAN} lost$`)),
  ]);
  expect(await view.texts("[data-testid=session-cost]")).toEqual([
    expect.stringMatching(new RegExp(`^Bad retries cost: 2 requests wasted, ${SPAN} lost$`)),
  ]);
  // The loop is the SDK's: the x-stainless headers name it, and the advice its own option.
  expect(await view.texts("[data-testid=chain-library]")).toEqual([
    expect.stringMatching(/^OpenAI SDK \(maxRetries\): \S/),
  ]);
  // The attempts are under the chain, not beside it.
  expect(await view.count("[data-testid=finding]")).toBe(0);
  if (browser.caller === undefined) {
    expect(await view.count("[data-testid=chain-caller]")).toBe(0);
    expect(await view.texts("[data-testid=caller-unavailable]")).toEqual([
      expect.stringContaining("Open this page in Chrome"),
    ]);
  } else {
    expect(await view.count("[data-testid=caller-unavailable]")).toBe(0);
    expect(await view.texts("[data-testid=chain-caller]")).toEqual([
      expect.stringMatching(browser.caller),
    ]);
  }

  const popup = await browser.openPopup();
  try {
    await expect
      .poll(() => popup.texts(`[data-testid=host-cost][data-host='${OPENAI_HOST}']`), {
        message: "the popup's cost for the host, from the panel's report",
      })
      .toEqual([
        expect.stringMatching(new RegExp(`^${OPENAI_HOST}: 2 requests wasted, ${SPAN} lost$`)),
      ]);
  } finally {
    await popup.close();
  }
}
