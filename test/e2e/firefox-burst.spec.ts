import { test } from "@playwright/test";
import { firefoxClosedBurst, firefoxPanelBurst } from "./firefox-burst.js";

/**
 * Issue 15, "nothing lost", in Firefox ESR: the Chromium burst checks (./burst.spec.ts) with a
 * smaller burst (RATELENS_FF_BURST, 300 by default), as Firefox is slower here and npm test must
 * stay under 10 minutes. `npm run soak` runs 10,000 (test/soak/firefox-burst.soak.ts).
 */
const SIZE = Number(process.env.RATELENS_FF_BURST) || 300;

test.describe.configure({ mode: "serial" });

test(`Firefox: a burst of ${SIZE} requests the panel opened during it: every one counted`, async () => {
  test.setTimeout(60_000 + SIZE * 100);
  const timing = await firefoxPanelBurst(SIZE);
  console.log(`Firefox panel: burst ${timing.burstMs} ms, counted ${timing.catchUpMs} ms after`);
});

test(`Firefox: the same with no toolbox: the badge ends on the last figure`, async () => {
  test.setTimeout(60_000 + SIZE * 100);
  const timing = await firefoxClosedBurst(SIZE);
  console.log(`Firefox closed: burst ${timing.burstMs} ms, badge ${timing.catchUpMs} ms after`);
});
