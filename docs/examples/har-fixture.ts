// In your app's Playwright tests (say tests/har.ts): each test records its API traffic as
// hars/<test id>.har for `ratelens analyze hars`. Import `test` and `expect` from here instead of
// from @playwright/test. Ratelens's docs/ci.md explains each option.
import { test as base, expect } from "@playwright/test";

export { expect };

export const test = base.extend({
  contextOptions: async ({ contextOptions }, use, testInfo) => {
    await use({
      ...contextOptions,
      recordHar: {
        // One file per test and attempt; Playwright writes it when the test's context closes.
        path: `hars/${testInfo.testId}-${testInfo.retry}.har`,
        // Bodies inline: Ratelens decodes an error's code (quota_exceeded, rate_limit) from them.
        content: "embed",
        mode: "full",
        // Only the API calls Ratelens reads, not the app's pages and assets.
        urlFilter: /^https:\/\/api\.(casola|cuadra)\.ai\//,
      },
    });
  },
});
