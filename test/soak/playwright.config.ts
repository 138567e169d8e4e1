import { defineConfig } from "@playwright/test";

/**
 * `npm run soak`: long-running checks, never part of `npm test`. RATELENS_SOAK_MINUTES sets the
 * idle time (30 by default), RATELENS_SOAK_BURST the burst of the burst checks (10,000).
 */
export default defineConfig({
  testDir: ".",
  testMatch: "*.soak.ts",
  workers: 1,
  timeout: 0,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: "list",
  outputDir: "../../test-results/soak",
});
