import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Explicit: browser specs under test/e2e run in real browsers, not in vitest.
    include: ["src/**/*.test.ts", "src/**/*.test.tsx", "test/*.test.ts", "test/fixtures/*.test.ts"],
    environment: "node",
  },
});
