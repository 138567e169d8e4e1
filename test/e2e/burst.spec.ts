import { test } from "@playwright/test";
import { BURST, chromiumClosedBurst, chromiumPanelBurst } from "./burst.js";

/**
 * Issue 15, "nothing lost", in Chromium: a burst of BURST calls (RATELENS_BURST, 1,000 by
 * default so that `npm test` stays short; `npm run soak` runs 10,000), each in a browser of its
 * own. The checks themselves are in ./burst.ts, shared with test/soak/burst.soak.ts.
 */
test.describe.configure({ mode: "serial" });

test(`a burst of ${BURST} requests with the panel open: every one counted`, async () => {
  test.setTimeout(60_000 + BURST * 60);
  const timing = await chromiumPanelBurst(BURST);
  console.log(`panel: burst ${timing.burstMs} ms, counted ${timing.catchUpMs} ms after`);
});

test(`the same with DevTools closed: the badge ends on the last figure`, async () => {
  test.setTimeout(60_000 + BURST * 60);
  const timing = await chromiumClosedBurst(BURST);
  console.log(`closed: burst ${timing.burstMs} ms, badge ${timing.catchUpMs} ms after`);
});
