import type { Frame } from "@playwright/test";
import { test } from "./fixtures.js";
import { runTimeline, SCENARIO, type TimelinePanel } from "./timeline.js";

/** The Timeline in Chromium, through the real DevTools panel (test/e2e/timeline.ts has the steps). */

function timelinePanel(panel: Frame): TimelinePanel {
  return {
    texts: (selector) => panel.locator(selector).allTextContents(),
    attributes: (selector, name) =>
      panel.locator(selector).evaluateAll((all, n) => all.map((e) => e.getAttribute(n)), name),
    count: (selector) => panel.locator(selector).count(),
    click: (selector, index = 0) => panel.locator(selector).nth(index).click(),
    press: (selector, key) => panel.locator(selector).first().press(key),
  };
}

test("a chain that ignores Retry-After on the Timeline: its window shaded, a click selects the request, keys zoom and pan", async ({
  demo,
}) => {
  test.setTimeout(90_000);
  const { page, panel } = demo;
  // The panel is shared with the file's and other files' tests (one browser per worker): start
  // from an empty live session, as a user pressing Clear would (an imported file ignores live
  // traffic until Clear).
  await demo.devtools.show();
  await panel.getByRole("button", { name: /^clear$/i }).click();
  await runTimeline({
    clickScenario: () => page.click(SCENARIO.button),
    pageStatus: async () => (await page.textContent("#status")) ?? "",
    async timelineView() {
      await demo.devtools.show();
      await panel.click("[data-testid=tab-timeline]");
      return timelinePanel(panel);
    },
  });
});
