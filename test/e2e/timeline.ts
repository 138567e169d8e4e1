import { expect } from "@playwright/test";
import { type DemoScenario, SCENARIOS } from "../../src/demo/scenarios.js";
import type { SelectorReader } from "./meters.js";

/**
 * The "ignore-retry-after" demo scenario on the panel's Timeline, the same steps in Chromium
 * (timeline.spec.ts) and Firefox (firefox-timeline.spec.ts): three jobs rate limited, retried
 * after half a second while their 429's Retry-After said 2 to 3 s. Each chain is a lane tagged
 * retry-after-ignored, with the host's Retry-After window shaded; a click on a mark selects its
 * request in Requests; the keys zoom and pan. Each browser's spec supplies a `TimelineBrowser`.
 */

export const SCENARIO: DemoScenario = (() => {
  const found = SCENARIOS.find((s) => s.id === "ignore-retry-after");
  if (found === undefined) throw new Error("the demo has no ignore-retry-after scenario");
  return found;
})();

/** Seconds as the views write them: "1.5 s", "850 ms". */
const SPAN = String.raw`(\d+(\.\d)? s|\d+ ms)`;

/** A lane of a chain the rule flagged. */
const FLAGGED = "[data-testid=timeline-lane][data-kind=chain][data-rules~=retry-after-ignored]";

export interface TimelinePanel extends SelectorReader {
  count(selector: string): Promise<number>;
  /** Clicks the `index`th element matching `selector`, as a mouse does. */
  click(selector: string, index?: number): Promise<void>;
  /** Focuses the first element matching `selector` and presses `key` there. */
  press(selector: string, key: string): Promise<void>;
}

export interface TimelineBrowser {
  /** Clicks the scenario's button on the demo page. */
  clickScenario(): Promise<void>;
  /** The demo page's `#status` line. */
  pageStatus(): Promise<string>;
  /** The panel, its Timeline view shown. */
  timelineView(): Promise<TimelinePanel>;
}

/** The visible time range the timeline states. */
async function rangeOf(panel: TimelinePanel): Promise<{ from: number; until: number }> {
  const [from] = await panel.attributes("[data-testid=timeline]", "data-from");
  const [until] = await panel.attributes("[data-testid=timeline]", "data-until");
  return { from: Number(from), until: Number(until) };
}

export async function runTimeline(browser: TimelineBrowser): Promise<void> {
  await browser.clickScenario();
  await expect.poll(browser.pageStatus, { timeout: 30_000 }).toBe(`done: ${SCENARIO.id}`);

  const panel = await browser.timelineView();
  await expect
    .poll(() => panel.count(FLAGGED), { message: "the flagged chains, each a lane" })
    .toBeGreaterThan(0);
  expect(await panel.attributes(FLAGGED, "data-host")).toContain(SCENARIO.hosts[0]);
  expect(await panel.texts(`${FLAGGED} [data-testid=timeline-rule]`)).toContain(
    "retry-after-ignored",
  );
  // The 429's Retry-After, shaded where the chain's retry went in.
  expect(
    await panel.count(`${FLAGGED} [data-testid=timeline-window][data-kind=retry-after]`),
  ).toBeGreaterThan(0);
  const statuses = await panel.attributes(`${FLAGGED} [data-testid=timeline-mark]`, "data-status");
  expect(statuses.length).toBeGreaterThanOrEqual(2);
  expect(statuses[0]).toBe("429");
  // A wasted retry (a chain's first request may be wasted too, sent into another's Retry-After).
  const wasted = await panel.attributes(
    `${FLAGGED} [data-testid=timeline-mark][data-wasted=true][data-retry-of]`,
    "data-index",
  );
  expect(wasted.length).toBeGreaterThan(0);
  const label = await panel.attributes(
    `${FLAGGED} [data-testid=timeline-mark][data-index='${wasted[0]}']`,
    "aria-label",
  );
  expect(label[0]).toMatch(
    new RegExp(String.raw`^429 at \d\d:\d\d:\d\d\.\d{3}, waited ${SPAN}, server asked ${SPAN}, `),
  );

  // A click on the wasted attempt selects it in Requests.
  await panel.click(`[data-testid=timeline-mark][data-index='${wasted[0]}']`);
  await expect
    .poll(() => panel.attributes("[data-testid=tab-requests]", "aria-selected"))
    .toEqual(["true"]);
  await expect
    .poll(() => panel.attributes("[data-testid=request-row][aria-selected=true]", "data-index"))
    .toEqual([wasted[0]]);

  // Keyboard zoom and pan on the plot.
  await panel.click("[data-testid=tab-timeline]");
  await expect.poll(() => panel.count("[data-testid=timeline-plot]")).toBe(1);
  const whole = await rangeOf(panel);
  await panel.press("[data-testid=timeline-plot]", "+");
  await expect
    .poll(async () => {
      const { from, until } = await rangeOf(panel);
      return until - from;
    })
    .toBeLessThan(whole.until - whole.from);
  const zoomed = await rangeOf(panel);
  await panel.press("[data-testid=timeline-plot]", "ArrowRight");
  await expect.poll(async () => (await rangeOf(panel)).from).toBeGreaterThan(zoomed.from);
  await panel.press("[data-testid=timeline-plot]", "0");
  await expect.poll(() => rangeOf(panel)).toEqual(whole);
}
