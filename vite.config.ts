import { crx, type ManifestV3Export } from "@crxjs/vite-plugin";
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";
import source from "./manifest.json" with { type: "json" };
import { defaultHostPermissions } from "./src/core/hosts.js";

type Browser = "chrome" | "firefox";

/** Ratelens's add-on id in Firefox: fixed, so settings and storage survive updates. */
export const GECKO_ID = "ratelens@ratelens.dev";

/**
 * The hosts a user of the demo would grant on the options page: the demo page's site (127.0.0.1),
 * the staging host and the OpenAI-shaped one. `npm run demo` and the background's browser tests
 * load the demo builds, since a browser's permission prompt is browser UI that no automation can
 * answer.
 */
const DEMO_HOSTS = [
  "*://staging.casola.test/*",
  "*://api.openai.com/*",
  // webRequest reports a page's request only with access to the page's origin too.
  "*://127.0.0.1/*",
];

/**
 * Each browser's manifest from the one source: manifest.json is Chrome's shape. Firefox runs the
 * background as an event page (`background.scripts`), needs an add-on id, and is told that
 * Ratelens collects no data. Firefox 140 is the first with `data_collection_permissions`; every
 * other key used here is older (module background scripts 112, storage.session 115,
 * optional_host_permissions 128).
 */
export function manifestFor(browser: Browser, demo: boolean): ManifestV3Export {
  const { background, minimum_chrome_version, ...common } = source;
  // The documented API hosts have one home, src/core/hosts.ts; the manifest gets them from it.
  const host_permissions = [...defaultHostPermissions(), ...(demo ? DEMO_HOSTS : [])];
  if (browser === "chrome") {
    return { ...common, minimum_chrome_version, background, host_permissions };
  }
  return {
    ...common,
    host_permissions,
    background: { scripts: [background.service_worker], type: background.type },
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        strict_min_version: "140.0",
        data_collection_permissions: { required: ["none"] },
      },
      // Firefox for Android reads the key from 142 on; it has no DevTools, but AMO checks it.
      gecko_android: { strict_min_version: "142.0" },
    },
  } as ManifestV3Export;
}

/**
 * `vite build --mode chrome|firefox` builds the MV3 extension into dist/chrome or dist/firefox;
 * `--mode chrome-demo|firefox-demo` builds the same extension with the demo's sites granted into
 * dist/chrome-demo or dist/firefox-demo.
 */
export default defineConfig(({ mode }) => {
  const browser: Browser = mode.startsWith("firefox") ? "firefox" : "chrome";
  const demo = mode.endsWith("-demo");
  return {
    define: {
      __RATELENS_VERSION__: JSON.stringify(source.version),
      // Read only in src/platform, where browser differences live.
      __RATELENS_BROWSER__: JSON.stringify(browser),
    },
    plugins: [preact(), crx({ manifest: manifestFor(browser, demo), browser })],
    build: {
      outDir: `dist/${browser}${demo ? "-demo" : ""}`,
      emptyOutDir: true,
      // Pages reached only at run time (the panel, via devtools.panels.create) are not in the
      // manifest, so crxjs cannot find them by itself.
      rollupOptions: { input: { panel: "src/panel/index.html" } },
    },
  };
});
