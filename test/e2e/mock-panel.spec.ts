import { expect, test } from "./fixtures.js";
import { startMock } from "./ratelens-mock.js";

const rows = "[data-testid=request-row]";

/**
 * What docs/mock.md promises: an app pointed at `ratelens mock` shows its wrong retries in the real
 * DevTools panel once the mock's address is added as the provider's host.
 */
test("a client pointed at ratelens mock shows its wrong retries in the panel", async ({ demo }) => {
  const { page, panel, server } = demo;
  const mock = await startMock(["--scenario", "rate-limit"]);
  try {
    await page.goto(`${server.pageUrl}?api=${encodeURIComponent(mock.base)}`);
    await panel.click("[data-testid=tab-hosts]");
    await panel.getByLabel("Host to analyse").fill(mock.hostPort);
    await panel.getByLabel("Read its errors as").selectOption("casola");
    await panel.getByRole("button", { name: "Add host" }).click();
    await expect(
      panel.locator(`[data-testid=user-host][data-host='${mock.hostPort}']`),
    ).toBeVisible();
    await panel.click("[data-testid=tab-requests]");

    await page.click("#ignore-retry-after");
    await expect(page.locator("#status")).toHaveText("done: ignore-retry-after");
    const requests = await page.locator("#log li").count();
    // Every request the page sent the mock is listed, its 429s among them.
    await expect(panel.locator(rows)).toHaveCount(requests);
    await expect(panel.locator(`${rows}[data-status="429"]`).first()).toBeVisible();

    await panel.click("[data-testid=tab-findings]");
    const folded = panel.locator("[data-testid=chain-toggle][aria-expanded=false]");
    while ((await folded.count()) > 0) await folded.first().click();
    await expect(
      panel.locator("[data-testid=finding][data-rule=retry-after-ignored]").first(),
    ).toBeVisible();

    await panel.click("[data-testid=tab-hosts]");
    await panel.getByRole("button", { name: `Remove ${mock.hostPort}` }).click();
  } finally {
    mock.child.kill("SIGINT");
    expect(await mock.exited).toBe(0);
    // The browser is shared with other files' tests: the demo page calls the demo's hosts again,
    // and the panel starts empty, as Clear leaves it.
    await page.goto(server.pageUrl);
    await panel.getByRole("button", { name: /^clear$/i }).click();
  }
});
