import { defineConfig } from "@playwright/test";

/**
 * Browser tests: real Chromium (Debian's), the built extension, the real DevTools panel. One
 * worker: each file shares one browser across its tests, and the machines have two cores.
 */
export default defineConfig({
  testDir: ".",
  testMatch: "*.spec.ts",
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // No retry: a test that fails once fails the run (CONTRIBUTING.md).
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI
    ? [["list"], ["json", { outputFile: "../../test-results/e2e.json" }]]
    : "list",
  outputDir: "../../test-results/e2e",
});
