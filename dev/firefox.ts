import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { waitFor } from "./chromium.js";

/** Debian's Firefox ESR; never a downloaded browser. */
export const FIREFOX = process.env.FIREFOX ?? "/usr/bin/firefox-esr";

/**
 * The toolbar popup's <browser>, as a script string. Firefox loads a popup in a hidden preload
 * browser first and moves it into the shown one: only that one is the popup a user sees.
 */
const POPUP_BROWSER = JSON.stringify(
  'browser[webextension-view-type="popup"]:not(.webextension-preload-browser)',
);

/** The panel's title in the toolbox, as the devtools page creates it. */
const PANEL_TITLE = "Ratelens";

export interface FirefoxLaunchOptions {
  /** The built extension, e.g. dist/firefox. */
  extensionDir: string;
  headless: boolean;
  /** `host:port` of an HTTPS proxy for every https:// request (the demo's tunnel to its mock). */
  httpsProxy?: string;
  viewport?: { width: number; height: number };
  /** Height of the docked toolbox in CSS pixels (Firefox's default is 250). */
  toolboxHeight?: number;
}

/**
 * What a launch adds to its options, for test/e2e/firefox-harness.ts (the demo adds nothing):
 * more Firefox preferences, and privileged code run as `chrome()` runs it once the browser is
 * up, before the extension is installed.
 */
export interface LaunchHook {
  prefs?: Record<string, unknown>;
  beforeInstall?: string;
}

export interface FirefoxWithExtension {
  browser: Browser;
  /** The extension's add-on id, from its manifest. */
  id: string;
  /** `moz-extension://<uuid>`: the extension's origin, pinned for this run. */
  origin: string;
  /** The id of the extension's toolbar button in Firefox's UI (derived from the add-on id). */
  actionWidgetId: string;
  /** Opens an extension page (or any URL) in `page`; puppeteer's goto hangs on moz-extension. */
  goto(page: Page, url: string): Promise<void>;
  /** Runs `expression` in the browser window's privileged scope; resolves to its JSON value. */
  chrome<T>(expression: string): Promise<T>;
  /**
   * A PNG of the whole browser window, toolbox included (BiDi screenshots show only the page), or
   * with `popup` of the open toolbar popup.
   */
  screenshotWindow(path: string, popup?: boolean): Promise<void>;
  close(): Promise<void>;
}

interface BidiConnection {
  send(method: string, params: object): Promise<{ result: Record<string, unknown> }>;
}

interface EvaluateResult {
  type: "success" | "exception";
  result?: { type: string; value?: unknown };
  exceptionDetails?: { text?: string };
}

/**
 * Firefox ESR over WebDriver BiDi with the extension installed (temporarily, as `web-ext run`
 * does). `--remote-allow-system-access` lets the test open the toolbox from the browser's own
 * scope; the extension's UUID is pinned so its pages have a known URL.
 */
export async function launchFirefox(
  options: FirefoxLaunchOptions,
  hook: LaunchHook = {},
): Promise<FirefoxWithExtension> {
  if (!existsSync(FIREFOX)) {
    throw new Error(
      `${FIREFOX} not found: install Debian's firefox-esr (apt-get install firefox-esr)`,
    );
  }
  const extensionDir = resolve(options.extensionDir);
  const manifestPath = join(extensionDir, "manifest.json");
  if (!existsSync(manifestPath)) {
    throw new Error(`${manifestPath} not found: run npm run build first`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
    browser_specific_settings?: { gecko?: { id?: string } };
  };
  const id = manifest.browser_specific_settings?.gecko?.id;
  if (id === undefined) throw new Error(`${manifestPath} has no gecko id: not a Firefox build`);
  const uuid = randomUUID();
  const prefs: Record<string, unknown> = {
    "extensions.webextensions.uuids": JSON.stringify({ [id]: uuid }),
    "devtools.toolbox.host": "bottom",
    "devtools.toolbox.footer.height": options.toolboxHeight ?? 250,
    ...hook.prefs,
  };
  if (options.httpsProxy) {
    const [host, port] = options.httpsProxy.split(/:(?=\d+$)/);
    Object.assign(prefs, {
      "network.proxy.type": 1,
      "network.proxy.ssl": host?.replace(/^\[|\]$/g, ""),
      "network.proxy.ssl_port": Number(port),
      "network.proxy.share_proxy_settings": false,
    });
  }
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX,
    headless: options.headless,
    protocol: "webDriverBiDi",
    args: ["--remote-allow-system-access"],
    // The demo's certificate is made per run; this automated session trusts it, nothing else does.
    acceptInsecureCerts: true,
    extraPrefsFirefox: prefs,
    defaultViewport: options.viewport ?? { width: 1280, height: 800 },
  });
  const connection = (browser as unknown as { connection: BidiConnection }).connection;

  async function chrome<T>(expression: string): Promise<T> {
    const tree = await connection.send("browsingContext.getTree", { "moz:scope": "chrome" });
    const contexts = tree.result.contexts as { context: string }[];
    const context = contexts[0]?.context;
    if (context === undefined) throw new Error("Firefox has no browser window");
    const { result } = await connection.send("script.evaluate", {
      target: { context },
      awaitPromise: true,
      expression: `(async () => JSON.stringify(await (${expression})))()`,
    });
    const evaluated = result as unknown as EvaluateResult;
    if (evaluated.type === "exception") {
      throw new Error(`in Firefox: ${evaluated.exceptionDetails?.text ?? "an exception"}`);
    }
    const text = evaluated.result?.value;
    return (typeof text === "string" ? JSON.parse(text) : undefined) as T;
  }

  try {
    if (hook.beforeInstall !== undefined) await chrome(hook.beforeInstall);
    await browser.installExtension(extensionDir);
  } catch (error) {
    await browser.close();
    throw error;
  }

  return {
    browser,
    id,
    origin: `moz-extension://${uuid}`,
    actionWidgetId: `${id.toLowerCase().replace(/[^a-z0-9_-]/g, "_")}-browser-action`,
    async goto(page, url) {
      const context = (page.mainFrame() as unknown as { _id: string })._id;
      await connection.send("browsingContext.navigate", { context, url, wait: "complete" });
    },
    chrome,
    async screenshotWindow(path, popup = false) {
      const png = await chrome<string>(`(async () => {
        const context = ${popup}
          ? document.querySelector(${POPUP_BROWSER})?.browsingContext
          : window.browsingContext;
        if (!context) throw new Error("no popup is open");
        const bitmap = await context.currentWindowGlobal.drawSnapshot(null, 1, "white");
        const canvas = document.createElementNS("http://www.w3.org/1999/xhtml", "canvas");
        canvas.width = bitmap.width;
        canvas.height = bitmap.height;
        canvas.getContext("2d").drawImage(bitmap, 0, 0);
        return canvas.toDataURL("image/png");
      })()`);
      writeFileSync(path, Buffer.from(png.slice(png.indexOf(",") + 1), "base64"));
    },
    async close() {
      await browser.close().catch(() => {});
    },
  };
}

/** What a test or the demo reads from and does in an extension page shown by the browser. */
export interface ExtensionView {
  /** How many elements match `selector`. */
  count(selector: string): Promise<number>;
  /** The text of every element matching `selector`. */
  texts(selector: string): Promise<string[]>;
  /** The value of attribute `name` of every element matching `selector`. */
  attributes(selector: string, name: string): Promise<(string | null)[]>;
  /** Clicks the `index`th element matching `selector`. */
  click(selector: string, index?: number): Promise<void>;
  /**
   * The page's own global `name` as its scripts see it (a test's marker, e.g. one a payload that
   * ran would set), as text; null when it is not set.
   */
  global(name: string): Promise<string | null>;
}

/** The Ratelens panel in the toolbox. */
export interface FirefoxPanel extends ExtensionView {
  /** Selects the Ratelens panel again (after another tool was shown). */
  show(): Promise<void>;
  /** Selects another tool of the toolbox (`netmonitor`, `webconsole`, ...). */
  selectTool(toolId: string): Promise<void>;
}

/** Privileged code that brings DevTools' `gDevTools` into scope. */
export const TOOLBOX = `
  const { require } = ChromeUtils.importESModule("resource://devtools/shared/loader/Loader.sys.mjs");
  const { gDevTools } = require("devtools/client/framework/devtools");
`;

/**
 * Extension pages (the panel, the popup) live in their own content process: the browser's scope
 * reaches their DOM through a small frame script loaded into the page's <browser>, which answers
 * count, texts, attributes and click for a CSS selector, and reads a global of the page's own
 * scripts (through the page's wrapper, which hides their expandos). It runs nothing else.
 */
const PROBE_SCRIPT = `addMessageListener("ratelens-probe", ({ data }) => {
  const reply = (answer) => sendAsyncMessage("ratelens-probe-result", { id: data.id, ...answer });
  try {
    if (data.op === "global") {
      const value = content.wrappedJSObject[data.name];
      return reply({ result: value === undefined ? null : String(value) });
    }
    const all = [...content.document.querySelectorAll(data.selector)];
    if (data.op === "count") return reply({ result: all.length });
    if (data.op === "texts") return reply({ result: all.map((e) => e.textContent) });
    if (data.op === "attributes") return reply({ result: all.map((e) => e.getAttribute(data.name)) });
    const target = all[data.index];
    if (target === undefined) throw new Error("no element " + data.index + " for " + data.selector);
    target.click();
    reply({ result: true });
  } catch (error) {
    reply({ error: String(error) });
  }
});`;

/**
 * Reads and drives the extension page shown in a `<browser>` element: `locate(probe)` is a
 * privileged script that finds that element as `browser` and then runs `probe`.
 */
export function extensionView(
  ff: FirefoxWithExtension,
  locate: (probe: string) => string,
): ExtensionView {
  // Once the element shows an extension page, the probe is loaded into it, once.
  const probe = `
    if (!browser || !browser.currentURI.spec.startsWith(${JSON.stringify(ff.origin)})) return { ready: false };
    if (!browser.ratelensProbe) {
      let next = 0;
      const waiting = new Map();
      browser.messageManager.addMessageListener("ratelens-probe-result", ({ data }) => {
        waiting.get(data.id)?.(data);
        waiting.delete(data.id);
      });
      browser.messageManager.loadFrameScript("data:," + encodeURIComponent(${JSON.stringify(PROBE_SCRIPT)}), false);
      browser.ratelensProbe = (message) => new Promise((resolve) => {
        const id = ++next;
        waiting.set(id, resolve);
        browser.messageManager.sendAsyncMessage("ratelens-probe", { ...message, id });
        // An element taken out of the document (its page moved to another <browser>) never
        // answers: the caller finds the page again.
        const started = Date.now();
        const check = setInterval(() => {
          if (!waiting.has(id)) return clearInterval(check);
          const gone = !browser.isConnected;
          if (!gone && Date.now() - started < 5000) return;
          clearInterval(check);
          waiting.delete(id);
          resolve(gone ? { ready: false } : { error: "the page did not answer" });
        }, 50);
      });
    }
    return browser.ratelensProbe(message);`;

  async function ask<T>(message: {
    op: string;
    selector: string;
    index?: number;
    name?: string;
  }): Promise<T> {
    // The page may be between two <browser> elements for a moment (a popup is preloaded in one
    // and shown in another): asked again until it shows, for a while.
    const end = Date.now() + 5000;
    for (;;) {
      const answer = await ff.chrome<{ ready?: false; result?: T; error?: string }>(
        locate(`const message = ${JSON.stringify(message)};\n${probe}`),
      );
      if (answer.ready === false) {
        if (Date.now() < end) {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        throw new Error("the extension page is not showing");
      }
      if (answer.error !== undefined) throw new Error(answer.error);
      return answer.result as T;
    }
  }

  return {
    count: (selector) => ask<number>({ op: "count", selector }),
    texts: (selector) => ask<string[]>({ op: "texts", selector }),
    attributes: (selector, name) => ask<(string | null)[]>({ op: "attributes", selector, name }),
    async click(selector, index = 0) {
      await ask<boolean>({ op: "click", selector, index });
    },
    global: (name) => ask<string | null>({ op: "global", selector: "", name }),
  };
}

/**
 * Clicks Ratelens's toolbar button, as a user does, with the tab whose URL starts with `tabUrl`
 * selected: Firefox opens the popup and grants the extension activeTab on that tab. The button is
 * pinned to the toolbar first (Firefox keeps it in the extensions menu until the user pins it).
 */
export async function clickToolbarButton(
  ff: FirefoxWithExtension,
  tabUrl: string,
): Promise<ExtensionView> {
  await ff.chrome(`(async () => {
    const tab = gBrowser.tabs.find((t) => t.linkedBrowser.currentURI.spec.startsWith(${JSON.stringify(tabUrl)}));
    if (!tab) throw new Error("no tab at " + ${JSON.stringify(tabUrl)});
    gBrowser.selectedTab = tab;
    const id = ${JSON.stringify(ff.actionWidgetId)};
    CustomizableUI.addWidgetToArea(id, CustomizableUI.AREA_NAVBAR);
    const node = CustomizableUI.getWidget(id).forWindow(window).node;
    (node.querySelector(".webextension-browser-action") ?? node).click();
    return true;
  })()`);
  const popup = extensionView(
    ff,
    (probe) => `(async () => {
      const browser = document.querySelector(${POPUP_BROWSER});
      ${probe}
    })()`,
  );
  await waitFor(async () => (await popup.count(".popup")) > 0, "the Ratelens popup to render");
  return popup;
}

/**
 * Adds `hosts` on the options page in a tab of its own, as a user does; as in Chromium, the
 * permission each asks for resolves at once only in a build that holds it (the demo builds).
 */
export async function addHostsOnOptionsPage(
  ff: FirefoxWithExtension,
  hosts: readonly { host: string; provider: string }[],
): Promise<void> {
  const options = await ff.browser.newPage();
  try {
    await ff.goto(options, `${ff.origin}/src/options/index.html`);
    await options.waitForSelector("[data-testid=options-default-host]");
    for (const { host, provider } of hosts) {
      await options.type("input[placeholder^='staging']", host);
      await options.select("select", provider);
      await options.click("form.inline-form button[type=submit]");
      await options.waitForSelector(`[data-testid=options-host][data-host='${host}']`);
    }
  } finally {
    await options.close();
  }
}

/** Closes the toolbar popup, as a click elsewhere does. */
export async function closePopup(ff: FirefoxWithExtension): Promise<void> {
  await ff.chrome(`(async () => {
    document.querySelector(${POPUP_BROWSER})?.closest("panel")?.hidePopup();
    return true;
  })()`);
}

/** The window's first tab, on `url`: where every Firefox test loads the demo page. */
export async function openPage(ff: FirefoxWithExtension, url: string) {
  const page = (await ff.browser.pages())[0] ?? (await ff.browser.newPage());
  await page.goto(url);
  return page;
}

/**
 * Selects the Ratelens panel in the toolbox of the tab whose URL starts with `tabUrl` (opening
 * the toolbox on the Network monitor first if it is closed) and waits for the panel to render.
 */
export async function openFirefoxPanel(
  ff: FirefoxWithExtension,
  tabUrl: string,
): Promise<FirefoxPanel> {
  const toolId = await ff.chrome<string | null>(`(async () => {
    ${TOOLBOX}
    const tab = gBrowser.tabs.find((t) => t.linkedBrowser.currentURI.spec.startsWith(${JSON.stringify(tabUrl)}));
    if (!tab) throw new Error("no tab at " + ${JSON.stringify(tabUrl)});
    gBrowser.selectedTab = tab;
    const toolbox = gDevTools.getToolboxForTab(tab) ?? (await gDevTools.showToolboxForTab(tab, { toolId: "netmonitor" }));
    for (let i = 0; i < 200; i++) {
      const tool = toolbox.getAdditionalTools().find((t) => t.label === ${JSON.stringify(PANEL_TITLE)});
      if (tool) {
        await toolbox.selectTool(tool.id);
        return tool.id;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return null;
  })()`);
  if (toolId === null) throw new Error("the Ratelens panel never registered in the toolbox");

  const withToolbox = (body: string) => `(async () => {
    ${TOOLBOX}
    const tab = gBrowser.tabs.find((t) => t.linkedBrowser.currentURI.spec.startsWith(${JSON.stringify(tabUrl)}));
    const toolbox = gDevTools.getToolboxForTab(tab);
    if (!toolbox) throw new Error("the toolbox is closed");
    ${body}
  })()`;

  const panelBrowser = `
    const frame = toolbox.doc.getElementById("toolbox-panel-iframe-" + ${JSON.stringify(toolId)});
    const browser = frame?.contentDocument?.querySelector("browser");`;
  const view = extensionView(ff, (probe) => withToolbox(`${panelBrowser}\n${probe}`));
  const panel: FirefoxPanel = {
    ...view,
    async show() {
      await ff.chrome(
        withToolbox(`await toolbox.selectTool(${JSON.stringify(toolId)}); return true;`),
      );
    },
    async selectTool(id) {
      await ff.chrome(withToolbox(`await toolbox.selectTool(${JSON.stringify(id)}); return true;`));
    },
  };
  await waitFor(
    async () => (await panel.count("[data-testid=tab-requests]")) > 0,
    "the Ratelens panel to render in the Firefox toolbox",
  );
  return panel;
}
