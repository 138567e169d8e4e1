import { crx, type ManifestV3Export } from "@crxjs/vite-plugin";
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";
import manifest from "./manifest.json" with { type: "json" };

/**
 * `vite build --mode chrome` builds the MV3 extension from the one manifest.json into dist/chrome.
 * `--mode chrome-demo` builds the same extension into dist/chrome-demo already holding what a
 * user of the demo would grant on the options page: the demo page's site (127.0.0.1) and the
 * staging host. `npm run demo` and the background's browser tests load it, since Chromium's
 * permission prompt is browser UI that no automation can answer.
 */
export default defineConfig(({ mode }) => {
  const demo = mode === "chrome-demo";
  const built = demo
    ? {
        ...manifest,
        host_permissions: [
          ...manifest.host_permissions,
          "*://staging.casola.test/*",
          // webRequest reports a page's request only with access to the page's origin too.
          "*://127.0.0.1/*",
        ],
      }
    : manifest;
  return {
    define: { __RATELENS_VERSION__: JSON.stringify(manifest.version) },
    plugins: [preact(), crx({ manifest: built as ManifestV3Export, browser: "chrome" })],
    build: {
      outDir: demo ? "dist/chrome-demo" : "dist/chrome",
      emptyOutDir: true,
      // Pages reached only at run time (the panel, via devtools.panels.create) are not in the
      // manifest, so crxjs cannot find them by itself.
      rollupOptions: { input: { panel: "src/panel/index.html" } },
    },
  };
});
