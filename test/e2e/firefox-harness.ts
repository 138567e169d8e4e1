import {
  type ExtensionView,
  extensionView,
  type FirefoxLaunchOptions,
  type FirefoxWithExtension,
  launchFirefox as launch,
  TOOLBOX,
} from "../../dev/firefox.js";

export { openPage } from "../../dev/firefox.js";

/** dev/firefox.ts's launch options, and what a browser test adds to them. */
export interface HarnessLaunchOptions extends FirefoxLaunchOptions {
  /** More Firefox preferences (e.g. a short background idle timeout). */
  prefs?: Record<string, unknown>;
  /**
   * Privileged code run as `chrome()` runs it, before the extension is installed: an observer
   * that must see everything the extension does from its first moment.
   */
  beforeInstall?: string;
}

/** Firefox with the extension as dev/firefox.ts launches it, with a test's prefs and observer. */
export function launchFirefox({
  prefs,
  beforeInstall,
  ...options
}: HarnessLaunchOptions): Promise<FirefoxWithExtension> {
  return launch(options, { prefs, beforeInstall });
}

/**
 * Selects the tab whose URL starts with `tabUrl`, then opens its toolbox on `toolId`, as F12 would,
 * and resolves once the extension's DevTools page hears `onRequestFinished`. Firefox loads that
 * page after the toolbox is ready and connects its listener later still (the toolbox's
 * `addRequestFinishedListener` awaits a network monitor of its own); a request that finishes
 * before then is never reported, and the recording starts after it (docs/firefox.md).
 */
export async function openToolbox(
  ff: FirefoxWithExtension,
  tabUrl: string,
  toolId = "netmonitor",
): Promise<void> {
  const listening = await ff.chrome<boolean>(`(async () => {
    ${TOOLBOX}
    const tab = gBrowser.tabs.find((t) => t.linkedBrowser.currentURI.spec.startsWith(${JSON.stringify(tabUrl)}));
    if (!tab) throw new Error("no tab at " + ${JSON.stringify(tabUrl)});
    gBrowser.selectedTab = tab;
    const toolbox = await gDevTools.showToolboxForTab(tab, { toolId: ${JSON.stringify(toolId)} });
    // The Network monitor's API when that tool is open, else the one the toolbox makes for extensions.
    const api = () => toolbox.getPanel("netmonitor")?.panelWin.Netmonitor.api ?? toolbox._netMonitorAPI;
    for (const end = Date.now() + 15000; Date.now() < end; ) {
      if (api()?.hasRequestFinishedListeners()) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  })()`);
  if (!listening)
    throw new Error("the extension's DevTools page never listened to onRequestFinished");
}

/** A page the extension runs, as Firefox lists the extension's views. */
export interface ExtensionPage {
  /** Firefox's view type: `background`, `devtools_page`, `devtools_panel`, `popup`, `tab`. */
  type: string;
  url: string;
  view: ExtensionView;
}

/**
 * Every page of the extension that Firefox runs now (its background, its devtools page, the
 * panel, the popup, its pages in tabs), each with the same probe as the panel's.
 */
export async function extensionPages(ff: FirefoxWithExtension): Promise<ExtensionPage[]> {
  const views = `
    const { ExtensionParent } = ChromeUtils.importESModule("resource://gre/modules/ExtensionParent.sys.mjs");
    const views = [...(ExtensionParent.GlobalManager.getExtension(${JSON.stringify(ff.id)})?.views ?? [])]
      .filter((v) => v.xulBrowser);`;
  const listed = await ff.chrome<{ childId: number; type: string; url: string }[]>(`(async () => {
    ${views}
    return views.map((v) => ({ childId: v.childId, type: v.viewType, url: v.uri?.spec ?? "" }));
  })()`);
  return listed.map(({ childId, type, url }) => ({
    type,
    url,
    view: extensionView(
      ff,
      (probe) => `(async () => {
        ${views}
        const browser = views.find((v) => v.childId === ${JSON.stringify(childId)})?.xulBrowser;
        ${probe}
      })()`,
    ),
  }));
}

/**
 * Firefox's preferences for a light or dark run: the toolbox's theme (which the panel follows,
 * through `devtools.panels.themeName`) and the scheme pages see (`prefers-color-scheme`, which
 * the popup and the options page follow), whatever the system's.
 */
export function themePrefs(theme: "light" | "dark"): Record<string, unknown> {
  const dark = theme === "dark";
  return {
    "devtools.theme": theme,
    // 0 dark, 1 light: the scheme content documents see.
    "layout.css.prefers-color-scheme.content-override": dark ? 0 : 1,
    "ui.systemUsesDarkTheme": dark ? 1 : 0,
  };
}

/**
 * Privileged code that finds the Ratelens panel's `<browser>` in the toolbox of the tab whose URL
 * starts with `tabUrl`, as `browser` (undefined when the panel is not showing).
 */
export function ratelensPanelBrowser(tabUrl: string): string {
  return `${TOOLBOX}
    const tab = gBrowser.tabs.find((t) => t.linkedBrowser.currentURI.spec.startsWith(${JSON.stringify(tabUrl)}));
    const toolbox = tab && gDevTools.getToolboxForTab(tab);
    const tool = toolbox?.getAdditionalTools().find((t) => t.label === "Ratelens");
    const frame = tool && toolbox.doc.getElementById("toolbox-panel-iframe-" + tool.id);
    const browser = frame?.contentDocument?.querySelector("browser");`;
}

/**
 * A test's own frame script in an extension page, and a way to ask it things: the page lives in
 * another process, and the harness's probe only reads and clicks. `find` is privileged code that
 * defines `browser`, the page's `<browser>`; `script` answers a `channel` message's `data` (with
 * its `id`) by sending `${channel}-result` with that id and a `result` or an `error`. The script
 * is loaded once per `<browser>`. With `focus`, the `<browser>` takes the focus first, as a
 * user's click into the page gives it, so that a key goes there.
 */
export function frameScriptChannel(
  ff: FirefoxWithExtension,
  options: { find: string; script: string; channel: string; where: string },
): (message: object, focus?: boolean) => Promise<unknown> {
  const { find, script, channel, where } = options;
  const slot = `ratelens_${channel.replace(/\W/g, "_")}`;
  return async (message, focus = false) => {
    const answer = await ff.chrome<{ result?: unknown; error?: string }>(`(async () => {
      ${find}
      if (!browser) return { error: "the page is not showing" };
      if (!browser.${slot}) {
        let next = 0;
        const waiting = new Map();
        browser.messageManager.addMessageListener(${JSON.stringify(`${channel}-result`)}, ({ data }) => {
          waiting.get(data.id)?.(data);
          waiting.delete(data.id);
        });
        browser.messageManager.loadFrameScript("data:," + encodeURIComponent(${JSON.stringify(script)}), false);
        browser.${slot} = (message) => new Promise((resolve) => {
          const id = ++next;
          waiting.set(id, resolve);
          browser.messageManager.sendAsyncMessage(${JSON.stringify(channel)}, { ...message, id });
        });
      }
      if (${focus}) {
        window.focus();
        browser.focus();
      }
      return browser.${slot}(${JSON.stringify(message)});
    })()`);
    if (answer.error !== undefined) throw new Error(`in ${where}: ${answer.error}`);
    return answer.result;
  };
}
