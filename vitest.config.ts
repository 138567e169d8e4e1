import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Explicit: browser specs under test/e2e run in real browsers, not in vitest.
    include: ["src/**/*.test.ts", "src/**/*.test.tsx", "test/*.test.ts", "test/fixtures/*.test.ts"],
    environment: "node",
    // Some tests start the built CLI dozens of times; on a loaded two-core machine that has taken
    // longer than vitest's 5 s default. A hung test still fails.
    testTimeout: 30_000,
  },
});
