import { crx, type ManifestV3Export } from "@crxjs/vite-plugin";
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";
import manifest from "./manifest.json" with { type: "json" };

/** `vite build --mode chrome` builds the MV3 extension from the one manifest.json into dist/chrome. */
export default defineConfig({
  define: { __RATELENS_VERSION__: JSON.stringify(manifest.version) },
  plugins: [preact(), crx({ manifest: manifest as ManifestV3Export, browser: "chrome" })],
  build: {
    outDir: "dist/chrome",
    emptyOutDir: true,
    // Pages reached only at run time (the panel, via devtools.panels.create) are not in the
    // manifest, so crxjs cannot find them by itself.
    rollupOptions: { input: { panel: "src/panel/index.html" } },
  },
});
