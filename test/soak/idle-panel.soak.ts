import { expect, test } from "../e2e/fixtures.js";

const MINUTES = Number(process.env.RATELENS_SOAK_MINUTES) || 30;
const rows = "[data-testid=request-row]";

/** A request from the demo page, read to the end. */
function call(page: import("@playwright/test").Page, path: string) {
  return page.evaluate(async (url) => {
    const res = await fetch(url, { headers: { Authorization: "Bearer soak-key" } });
    await res.text();
  }, `https://api.casola.ai${path}`);
}

test(`after ${MINUTES} idle minutes the panel still lists the next request within a second`, async ({
  demo,
}) => {
  const { page, panel, devtools } = demo;
  await devtools.show();
  await call(page, "/v1/models");
  await expect(panel.locator(rows)).toHaveCount(1);

  // Idle: the page, DevTools and the panel open, no traffic; the browser may stop the worker.
  await page.waitForTimeout(MINUTES * 60_000);

  const before = Date.now();
  await call(page, "/v1/usage");
  await expect(panel.locator(rows)).toHaveCount(2, { timeout: 1000 });
  console.log(
    `listed ${Date.now() - before} ms after the request was sent, after ${MINUTES} min idle`,
  );
});
