import { defineConfig } from "vite";

/** `npm run bench:background`: the background's per-event micro-benchmark, one Node module. */
export default defineConfig({
  ssr: { noExternal: true, target: "node" },
  logLevel: "warn",
  build: {
    ssr: "scripts/bench-background.ts",
    outDir: "dist/bench",
    emptyOutDir: true,
    target: "node20",
    minify: false,
    sourcemap: false,
    rollupOptions: { output: { entryFileNames: "bench-background.js", format: "es" } },
  },
});
