import { test } from "@playwright/test";
import { chromiumClosedBurst, chromiumPanelBurst } from "../e2e/burst.js";

/**
 * Issue 15's full figure: the checks of test/e2e/burst.spec.ts (shared in test/e2e/burst.ts)
 * with a burst of 10,000 requests. RATELENS_SOAK_BURST sets another size.
 */
const SIZE = Number(process.env.RATELENS_SOAK_BURST) || 10_000;

test(`a burst of ${SIZE} requests with the panel open: every one counted`, async () => {
  const timing = await chromiumPanelBurst(SIZE);
  console.log(`panel: burst of ${SIZE} ${timing.burstMs} ms, counted ${timing.catchUpMs} ms after`);
});

test(`a burst of ${SIZE} requests with DevTools closed: the badge ends on the last figure`, async () => {
  const timing = await chromiumClosedBurst(SIZE);
  console.log(`closed: burst of ${SIZE} ${timing.burstMs} ms, badge ${timing.catchUpMs} ms after`);
});
