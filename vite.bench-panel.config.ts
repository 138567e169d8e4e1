import { defineConfig } from "vite";

/** `npm run bench:panel`: the live panel in Chromium, the page's tax, a long session's heap. */
export default defineConfig({
  ssr: { target: "node", external: ["playwright-core", "puppeteer-core", "selfsigned"] },
  logLevel: "warn",
  build: {
    ssr: "scripts/bench-panel.ts",
    outDir: "dist/bench-panel",
    emptyOutDir: true,
    target: "node20",
    minify: false,
    sourcemap: false,
    rollupOptions: { output: { entryFileNames: "bench-panel.js", format: "es" } },
  },
});
