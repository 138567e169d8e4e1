import { test as base, type Frame, type Page } from "@playwright/test";
import {
  type ChromiumWithExtension,
  type DevtoolsPanel,
  launchChromium,
  openPanelOn,
} from "../../dev/chromium.js";
import type { MockApiOptions } from "../../src/demo/mock-api.js";
import { type DemoServer, startDemo } from "../../src/demo/server.js";

export interface Demo {
  server: DemoServer;
  browser: ChromiumWithExtension;
  devtools: DevtoolsPanel;
  /** The demo page, with DevTools open on it. */
  page: Page;
  /** The Ratelens panel's frame in DevTools. */
  panel: Frame;
}

/** One mock API, one Chromium with the extension, one DevTools window, for the whole file. */
export const test = base.extend<
  object,
  { demo: Demo; extensionDir: string; api: MockApiOptions | undefined }
>({
  /** The build under test; `test.use({ extensionDir })` picks another for a file. */
  extensionDir: ["dist/chrome", { scope: "worker", option: true }],
  /** The mock's options (its keys' plans, say); `test.use({ api })` sets them for a file. */
  api: [undefined, { scope: "worker", option: true }],
  demo: [
    async ({ extensionDir, api }, use) => {
      const server = await startDemo({ api });
      const browser = await launchChromium({
        extensionDir,
        headless: true,
        // Lets a test click the toolbar button as a user does (CDP's Extensions.triggerAction).
        actionClicks: true,
        hostResolverRules: server.hostResolverRules,
        spkiFingerprint: server.spkiFingerprint,
      });
      const { page, devtools } = await openPanelOn(browser, server.pageUrl);
      await use({ server, browser, devtools, page, panel: devtools.panel });
      await devtools.close();
      await browser.close();
      await server.close();
    },
    { scope: "worker", timeout: 60_000 },
  ],
});

export { expect } from "@playwright/test";
