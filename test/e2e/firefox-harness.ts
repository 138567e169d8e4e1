import {
  type FirefoxLaunchOptions,
  type FirefoxWithExtension,
  launchFirefox as launch,
  TOOLBOX,
} from "../../src/demo/firefox.js";

/** src/demo/firefox.ts's launch options, and what a browser test adds to them. */
export interface HarnessLaunchOptions extends Omit<FirefoxLaunchOptions, "beforeInstall"> {
  /** More Firefox preferences (e.g. a short background idle timeout). */
  prefs?: Record<string, unknown>;
  /**
   * Privileged code run as `chrome()` runs it, before the extension is installed: an observer
   * that must see everything the extension does from its first moment.
   */
  beforeInstall?: string;
}

/** Firefox with the extension as src/demo/firefox.ts launches it, with a test's prefs and observer. */
export function launchFirefox({
  prefs,
  beforeInstall,
  ...options
}: HarnessLaunchOptions): Promise<FirefoxWithExtension> {
  return launch(options, { prefs, beforeInstall });
}

/** Selects the tab whose URL starts with `tabUrl`, then opens its toolbox on `toolId`, as F12 would. */
export async function openToolbox(
  ff: FirefoxWithExtension,
  tabUrl: string,
  toolId = "netmonitor",
): Promise<void> {
  await ff.chrome(`(async () => {
    ${TOOLBOX}
    const tab = gBrowser.tabs.find((t) => t.linkedBrowser.currentURI.spec.startsWith(${JSON.stringify(tabUrl)}));
    if (!tab) throw new Error("no tab at " + ${JSON.stringify(tabUrl)});
    gBrowser.selectedTab = tab;
    await gDevTools.showToolboxForTab(tab, { toolId: ${JSON.stringify(toolId)} });
    return true;
  })()`);
}
