import { test } from "@playwright/test";
import { firefoxClosedBurst, firefoxPanelBurst } from "../e2e/firefox-burst.js";

/**
 * The Firefox burst checks of test/e2e/firefox-burst.spec.ts (shared in
 * test/e2e/firefox-burst.ts) with issue 15's full figure, 10,000 requests. RATELENS_SOAK_BURST
 * sets another size.
 */
const SIZE = Number(process.env.RATELENS_SOAK_BURST) || 10_000;

test(`Firefox: a burst of ${SIZE} requests the panel opened during it: every one counted`, async () => {
  const timing = await firefoxPanelBurst(SIZE);
  console.log(
    `Firefox panel: burst of ${SIZE} ${timing.burstMs} ms, counted ${timing.catchUpMs} ms after`,
  );
});

test(`Firefox: a burst of ${SIZE} requests with no toolbox: the badge ends on the last figure`, async () => {
  const timing = await firefoxClosedBurst(SIZE);
  console.log(
    `Firefox closed: burst of ${SIZE} ${timing.burstMs} ms, badge ${timing.catchUpMs} ms after`,
  );
});
