import { readFileSync } from "node:fs";
import { defineConfig } from "vite";

const { version } = JSON.parse(
  readFileSync(new URL("./package.json", import.meta.url), "utf8"),
) as {
  version: string;
};

/** The Node CLI: one self-contained ES module in dist/cli, run by bin/ratelens.mjs. */
export default defineConfig({
  define: { __RATELENS_VERSION__: JSON.stringify(version) },
  ssr: { noExternal: true, target: "node" },
  // public/ holds the extension's icons; the CLI's folder is what the package ships.
  publicDir: false,
  build: {
    ssr: "src/cli/main.ts",
    outDir: "dist/cli",
    emptyOutDir: true,
    target: "node20",
    minify: false,
    sourcemap: false,
    rollupOptions: { output: { entryFileNames: "ratelens.js", format: "es" } },
  },
});
