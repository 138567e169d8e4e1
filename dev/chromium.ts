import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Frame,
  type Page,
} from "playwright-core";

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** The panel's title in DevTools, as the devtools page creates it. */
const PANEL_TITLE = "Ratelens";
const DEVTOOLS_PAGE = "/src/devtools/devtools.html";
const PANEL_PAGE = "/src/panel/index.html";
/** The DevTools front end; undocked, DevTools also has a device-mode frame page. */
const DEVTOOLS_APP = /^devtools:\/\/devtools\/bundled\/(devtools_app|inspector)\.html/;

export interface LaunchOptions {
  /** The built extension, e.g. dist/chrome. */
  extensionDir: string;
  headless: boolean;
  /** Chromium's --host-resolver-rules: the API hosts onto the local mock. */
  hostResolverRules?: string;
  /** Base64 SHA-256 of the mock's certificate key, trusted for this run only. */
  spkiFingerprint?: string;
  viewport?: { width: number; height: number };
  /** Where DevTools opens: docked at the bottom (the default here), right, or its own window. */
  devtoolsDock?: "bottom" | "right" | "undocked";
  /** Pins the extension's toolbar button, so its badge shows without opening the menu. */
  pinned?: boolean;
  /** Opens DevTools with every tab (the default); false leaves DevTools closed. */
  devtools?: boolean;
  /**
   * Lets CDP's `Extensions.triggerAction` click the toolbar button as a user does (which grants
   * `activeTab`); Playwright's pipe connection is the one CDP allows it on.
   */
  actionClicks?: boolean;
  /** A profile to start with again (a browser restart); by default a fresh one, removed on close. */
  userDataDir?: string;
  /**
   * DevTools' theme, light or dark (its `ui-theme` preference), which the panel follows; by
   * default DevTools follows the system. Pages follow `prefers-color-scheme` instead, which a
   * test sets per page (`page.emulateMedia`): headless Chromium has no switch for it.
   */
  devtoolsTheme?: "light" | "dark";
  /** More command-line switches (a test's `--log-net-log=FILE`, the panel benchmark's `--enable-precise-memory-info`). */
  extraArgs?: readonly string[];
}

/**
 * Chromium kept local and quiet: no sandbox (root), no GPU, no QUIC, no first-run UI, and none of
 * its own background traffic (which this machine's closed network would refuse).
 */
export const QUIET_CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Chromium's id for an unpacked extension: SHA-256 of its absolute path, as letters a to p. */
export function unpackedExtensionId(dir: string): string {
  const hex = createHash("sha256").update(resolve(dir)).digest("hex").slice(0, 32);
  return [...hex].map((digit) => String.fromCharCode(97 + Number.parseInt(digit, 16))).join("");
}

export interface ChromiumWithExtension {
  context: BrowserContext;
  /** Port of the second CDP endpoint, the one that sees the DevTools window. */
  cdpPort: number;
  userDataDir: string;
  close(): Promise<void>;
}

export interface DevtoolsPanel {
  /** The DevTools window of the inspected tab. */
  devtools: Page;
  /** The Ratelens panel's frame inside it. */
  panel: Frame;
  extensionId: string;
  /** Brings the Ratelens panel to the front again (after Sources was opened, say). */
  show(): Promise<void>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 20_000,
  intervalMs = 100,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await sleep(intervalMs);
  }
  const reason = last instanceof Error ? `: ${last.message}` : "";
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
}

/**
 * Chromium with the unpacked extension loaded and DevTools opening with every tab. The network
 * stays local: no background traffic, no component updates, no QUIC.
 */
export async function launchChromium(options: LaunchOptions): Promise<ChromiumWithExtension> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium)`);
  }
  const extensionDir = resolve(options.extensionDir);
  if (!existsSync(join(extensionDir, "manifest.json"))) {
    throw new Error(`${extensionDir}/manifest.json not found: run npm run build first`);
  }
  const fresh = options.userDataDir === undefined;
  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), "ratelens-chromium-"));
  // DevTools reads its dock state from the profile; the setting's value is itself JSON text.
  mkdirSync(join(userDataDir, "Default"), { recursive: true });
  const dock = JSON.stringify(options.devtoolsDock ?? "bottom");
  if (fresh)
    writeFileSync(
      join(userDataDir, "Default", "Preferences"),
      JSON.stringify({
        devtools: {
          preferences: {
            currentDockState: dock,
            ...(options.devtoolsTheme === undefined
              ? {}
              : {
                  "ui-theme": JSON.stringify(options.devtoolsTheme === "dark" ? "dark" : "default"),
                }),
          },
        },
        ...(options.pinned
          ? { extensions: { pinned_extensions: [unpackedExtensionId(extensionDir)] } }
          : {}),
      }),
    );
  // A profile used before still names the last run's port.
  rmSync(join(userDataDir, "DevToolsActivePort"), { force: true });
  const args = [
    ...QUIET_CHROMIUM_ARGS,
    `--disable-extensions-except=${extensionDir}`,
    `--load-extension=${extensionDir}`,
    // A second CDP endpoint: the DevTools window is a page only there.
    "--remote-debugging-port=0",
  ];
  if (options.devtools !== false) args.push("--auto-open-devtools-for-tabs");
  if (options.actionClicks) args.push("--enable-unsafe-extension-debugging");
  if (options.hostResolverRules) args.push(`--host-resolver-rules=${options.hostResolverRules}`);
  if (options.spkiFingerprint)
    args.push(`--ignore-certificate-errors-spki-list=${options.spkiFingerprint}`);
  args.push(...(options.extraArgs ?? []));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: options.headless,
    args,
    // Playwright disables extensions unless told otherwise.
    ignoreDefaultArgs: ["--disable-extensions"],
    viewport: options.viewport ?? { width: 1280, height: 800 },
  });
  const cdpPort = await waitFor(() => {
    const file = join(userDataDir, "DevToolsActivePort");
    return existsSync(file) && Number(readFileSync(file, "utf8").split("\n")[0]);
  }, "Chromium's DevToolsActivePort");
  return {
    context,
    cdpPort,
    userDataDir,
    async close() {
      await context.close().catch(() => {});
      if (fresh) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** DevTools' own API: the panel's id is the extension's origin and its title without spaces. */
async function showPanel(devtools: Page, panelId: string): Promise<void> {
  await devtools.evaluate(
    (id) =>
      (
        globalThis as unknown as { DevToolsAPI: { showPanel(id: string): void } }
      ).DevToolsAPI.showPanel(id),
    panelId,
  );
}

interface CdpTarget {
  targetId: string;
  type: string;
  url: string;
}

/**
 * The Ratelens panel in the DevTools window of the (only) inspected tab, selected. DevTools opens
 * on its own (--auto-open-devtools-for-tabs); its window is reachable over a second CDP
 * connection once its target has turned into a page.
 */
export async function openPanel(browser: ChromiumWithExtension): Promise<DevtoolsPanel> {
  const list = `http://127.0.0.1:${browser.cdpPort}/json/list`;
  await waitFor(async () => {
    const targets = (await (await fetch(list)).json()) as CdpTarget[];
    return targets.some((t) => t.type === "page" && DEVTOOLS_APP.test(t.url));
  }, "the DevTools window");
  const cdp: Browser = await chromium.connectOverCDP(`http://127.0.0.1:${browser.cdpPort}`);
  const devtools = await waitFor(
    () =>
      cdp
        .contexts()
        .flatMap((c) => c.pages())
        // Undocked, DevTools also has a device-mode frame page; the app is the one to drive.
        .find((p) => DEVTOOLS_APP.test(p.url())),
    "the DevTools page",
  );
  // The extension's devtools page runs in a frame of the DevTools window; it names the extension.
  const devtoolsFrame = await waitFor(
    () => devtools.frames().find((f) => f.url().includes(DEVTOOLS_PAGE)),
    "the extension's devtools page in DevTools",
  );
  const extensionId = new URL(devtoolsFrame.url()).host;
  const panelId = `chrome-extension://${extensionId}${PANEL_TITLE.replace(/\s/g, "")}`;
  const panelUrl = `chrome-extension://${extensionId}${PANEL_PAGE}`;
  const panel = await waitFor(
    async () => {
      const frame = devtools.frames().find((f) => f.url().startsWith(panelUrl));
      if (frame) return frame;
      // The panel registers asynchronously: ask DevTools to show it until its frame exists.
      await showPanel(devtools, panelId);
      return undefined;
    },
    "the Ratelens panel",
    20_000,
    250,
  );
  await panel.waitForSelector("[data-testid=tab-requests]");
  return {
    devtools,
    panel,
    extensionId,
    show: () => showPanel(devtools, panelId),
    async close() {
      await cdp.close().catch(() => {});
    },
  };
}

/** `url` in the browser's first tab, and the Ratelens panel of its DevTools, selected. */
export async function openPanelOn(
  browser: ChromiumWithExtension,
  url: string,
): Promise<{ page: Page; devtools: DevtoolsPanel }> {
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await page.goto(url);
  return { page, devtools: await openPanel(browser) };
}

/** A host the user adds, read as a provider: what the options page's form takes. */
export interface UserHost {
  host: string;
  provider: string;
}

/**
 * Adds `hosts` on the options page, as a user does: its form asks the browser for each host's
 * permission, which resolves at once only in a build that already holds it (the demo builds hold
 * the demo's hosts), since no automation can answer the browser's prompt.
 */
export async function addHostsOnOptionsPage(
  browser: ChromiumWithExtension,
  extensionId: string,
  hosts: readonly UserHost[],
): Promise<void> {
  const options = await browser.context.newPage();
  try {
    await options.goto(`chrome-extension://${extensionId}/src/options/index.html`);
    for (const { host, provider } of hosts) {
      await options.getByLabel("Host", { exact: true }).fill(host);
      await options.getByLabel("Provider").selectOption(provider);
      await options.getByRole("button", { name: "Add host" }).click();
      await options.locator(`[data-testid=options-host][data-host='${host}']`).waitFor();
    }
  } finally {
    await options.close();
  }
}

export interface ToolbarPopup {
  /** The extension's popup, as the toolbar button opened it. */
  page: Page;
  /** Closes the popup and the connection that reached it. */
  close(): Promise<void>;
}

/**
 * Clicks the extension's toolbar button on the tab showing `page`, as a user does (CDP's
 * `Extensions.triggerAction`; launch with `actionClicks`): the browser grants `activeTab` for the
 * tab and opens the real popup. The popup is a page only to a CDP connection made after it
 * opened, so one is made for it.
 */
export async function clickToolbarButton(
  browser: ChromiumWithExtension,
  extensionId: string,
  page: Page,
): Promise<ToolbarPopup> {
  const pipe = browser.context.browser();
  if (pipe === null) throw new Error("no browser behind the context");
  const session = await pipe.newBrowserCDPSession();
  // Not all of it is in Playwright's typed protocol yet.
  const send = (method: string, params: object = {}) =>
    (session as unknown as { send(m: string, p: object): Promise<unknown> }).send(method, params);
  const targets = async () =>
    ((await send("Target.getTargets", { filter: [{}] })) as { targetInfos: CdpTarget[] })
      .targetInfos;
  const tab = (await targets()).find((t) => t.type === "tab" && t.url === page.url());
  if (tab === undefined) throw new Error(`no tab shows ${page.url()}`);
  await send("Extensions.triggerAction", { id: extensionId, targetId: tab.targetId });
  const popupUrl = `chrome-extension://${extensionId}/src/popup/index.html`;
  await waitFor(
    async () => (await targets()).some((t) => t.type === "page" && t.url.startsWith(popupUrl)),
    "the toolbar popup's target",
  );
  await session.detach();
  // Once, under load, a connection made just as the popup opened never listed it as a page within
  // 20 s: a connection that does not find it soon is closed and another made.
  for (let attempt = 1; ; attempt++) {
    const cdp = await chromium.connectOverCDP(`http://127.0.0.1:${browser.cdpPort}`);
    try {
      const popup = await waitFor(
        () =>
          cdp
            .contexts()
            .flatMap((c) => c.pages())
            .find((p) => p.url().startsWith(popupUrl)),
        "the toolbar popup",
        7000,
      );
      return {
        page: popup,
        async close() {
          await popup.close().catch(() => {});
          await cdp.close().catch(() => {});
        },
      };
    } catch (error) {
      await cdp.close().catch(() => {});
      if (attempt === 3) throw error;
    }
  }
}
