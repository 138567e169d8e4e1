import { cpSync } from "node:fs";
import { defineConfig } from "vite";

/**
 * `npm run demo`: the mock API, the demo page and the Chromium and Firefox launchers as one Node module in
 * dist/demo, with the page's static files beside it. Browser drivers stay external.
 */
export default defineConfig({
  ssr: { target: "node", external: ["playwright-core", "puppeteer-core", "selfsigned"] },
  build: {
    ssr: "src/demo/run-demo.ts",
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
