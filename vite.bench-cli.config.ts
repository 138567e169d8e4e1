import { defineConfig } from "vite";

/** `npm run bench:cli`: the CLI's benchmark, one Node module (the CLI itself is dist/cli). */
export default defineConfig({
  ssr: { noExternal: true, target: "node" },
  logLevel: "warn",
  build: {
    ssr: "scripts/bench-cli.ts",
    outDir: "dist/bench-cli",
    emptyOutDir: true,
    target: "node20",
    minify: false,
    sourcemap: false,
    rollupOptions: { output: { entryFileNames: "bench-cli.js", format: "es" } },
  },
});
