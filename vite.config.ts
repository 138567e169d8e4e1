import { crx, type ManifestV3Export } from "@crxjs/vite-plugin";
import { defineConfig } from "vite";
import manifest from "./manifest.json" with { type: "json" };

/** `vite build --mode chrome` builds the MV3 extension from the one manifest.json into dist/chrome. */
export default defineConfig({
  plugins: [crx({ manifest: manifest as ManifestV3Export, browser: "chrome" })],
  build: { outDir: "dist/chrome", emptyOutDir: true },
});
