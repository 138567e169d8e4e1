import { cpSync } from "node:fs";
import { defineConfig } from "vite";

/**
 * `npm run demo`: dev/run-demo.ts with the Chromium and Firefox launchers, the mock API and the
 * demo server as one Node module in dist/demo, with the page's static files beside it. Browser
 * drivers stay external.
 */
export default defineConfig({
  ssr: { target: "node", external: ["playwright-core", "puppeteer-core", "selfsigned"] },
  build: {
    ssr: "dev/run-demo.ts",
    outDir: "dist/demo",
    emptyOutDir: true,
    target: "node20",
    minify: false,
    rollupOptions: { output: { entryFileNames: "demo.js", format: "es" } },
  },
  plugins: [
    {
      name: "copy-demo-page",
      closeBundle() {
        cpSync("src/demo/page", "dist/demo/page", { recursive: true });
      },
    },
  ],
});
