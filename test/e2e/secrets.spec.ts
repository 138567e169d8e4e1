import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "../../dev/chromium.js";
import { extensionWorker, STATE_KEY, storedObservations } from "./extension.js";
import { expect, test } from "./fixtures.js";

/** The extension APIs read inside the service worker. */
declare const chrome: {
  storage: {
    session: { get(keys: null): Promise<Record<string, unknown>> };
    local: { get(keys: null): Promise<Record<string, unknown>> };
  };
};

/**
 * Secrets a page sends never reach the extension's storage or its exports, in real Chromium: the
 * demo build (its page's site granted), so webRequest and the panel both see the traffic.
 */
// Spelled apart from background.spec.ts's "dist/chrome-demo" (the same folder), so this file
// gets a browser of its own: that file's tests leave its DevTools on a page this one cannot use.
test.use({ extensionDir: "./dist/chrome-demo" });

const rows = "[data-testid=request-row]";

test("after traffic with ?key=SECRET and Authorization: Bearer SECRET, SECRET is nowhere in storage or exports", async ({
  demo,
}) => {
  const { page, panel, devtools } = demo;
  await devtools.show();
  // The worker's browser may be shared with another file's tests: start from an empty session.
  await panel.getByRole("button", { name: /^clear$/i }).click();
  await expect(panel.locator(rows)).toHaveCount(0);
  await page.evaluate(async () => {
    const auth = { Authorization: "Bearer SECRET_BEARER_1" };
    const models = await fetch(
      "https://api.casola.ai/v1/models?key=SECRET_QUERY_KEY&access_token=SECRET_QUERY_TOKEN&limit=5",
      { headers: auth },
    );
    await models.text();
    const job = await fetch("https://api.casola.ai/v1/jobs?api_key=SECRET_QUERY_API_KEY", {
      method: "POST",
      headers: { ...auth, "Content-Type": "application/json" },
      body: JSON.stringify({ model: "m", prompt: "p", api_key: "SECRET_BODY_KEY" }),
    });
    await job.text();
  });
  await expect(panel.locator(rows)).toHaveCount(2);

  // Both the background (webRequest) and the panel's report have written the requests.
  const worker = await extensionWorker(demo);
  const planted = async () =>
    (await storedObservations(worker)).filter((o) => /\/v1\/(models|jobs)\?/.test(o.url));
  await expect.poll(async () => (await planted()).map((o) => o.via)).toEqual(["both", "both"]);
  const urls = (await planted()).map((o) => o.url).sort();
  expect(urls).toEqual([
    "https://api.casola.ai/v1/jobs?api_key=[redacted]",
    "https://api.casola.ai/v1/models?key=[redacted]&access_token=[redacted]&limit=5",
  ]);

  const storage = await worker.evaluate(async () => ({
    session: await chrome.storage.session.get(null),
    local: await chrome.storage.local.get(null),
  }));
  expect(Object.keys(storage.session)).toContain(STATE_KEY);
  expect(JSON.stringify(storage)).not.toContain("SECRET");

  // Every export the panel offers.
  const downloads = mkdtempSync(join(tmpdir(), "ratelens-secrets-"));
  const cdp = await devtools.devtools.context().browser()?.newBrowserCDPSession();
  await cdp?.send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: downloads });
  for (const [button, extension] of [
    ["HAR (redacted)", ".har"],
    ["Findings JSON", ".json"],
    ["Markdown", ".md"],
  ] as const) {
    await panel.getByRole("button", { name: button }).click();
    const saved = await waitFor(
      () => readdirSync(downloads).find((f) => f.endsWith(extension)),
      `the ${button} export`,
    );
    const text = readFileSync(join(downloads, saved), "utf8");
    expect(text).toContain("api.casola.ai");
    expect(text, button).not.toContain("SECRET");
  }
});
