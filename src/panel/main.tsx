import { render } from "preact";
import { createClient } from "../messaging/rpc.js";
import {
  inspectedTabId,
  onThemeChanged,
  openResource,
  panelNetwork,
  themeName,
} from "../platform/devtools.js";
import { runtimeTransport } from "../platform/runtime-messaging.js";
import { loadSettings, onSettingsChanged, saveSettings } from "../platform/settings-storage.js";
import { App } from "./app.js";
import { Capture } from "./capture.js";
import "./panel.css";
import type { PanelPorts, ThemeName } from "./ports.js";
import { reportToBackground } from "./report-to-background.js";
import { saveFile } from "./save-file.js";
import { PanelStore } from "./store.js";

/**
 * Wiring only: the platform's adapters and the background's RPC client into the panel's ports,
 * DevTools' network and storage into the store, the store into the view.
 */
async function main(): Promise<void> {
  const root = document.getElementById("app");
  if (root === null) throw new Error("the panel page has no #app element");
  const background = createClient(runtimeTransport());
  const store = new PanelStore(await loadSettings());

  const ports: PanelPorts = {
    openResource,
    save: saveFile,
    saveSettings: (settings) => {
      saveSettings(settings).catch((error: unknown) => console.error("Ratelens settings:", error));
    },
  };
  const draw = (theme: ThemeName) =>
    render(<App store={store} ports={ports} theme={theme} />, root);
  draw(themeName());
  onThemeChanged(draw);

  // What only the panel knows (codes from bodies, findings) goes to the popup and badge.
  const tabId = inspectedTabId();
  reportToBackground(store, (report) => background.call("reportPanel", { tabId, ...report }));

  const capture = new Capture(await panelNetwork(), {
    isApiHost: (url) => store.session.isApiHost(url),
    add: (entry, origin) => store.add(entry, origin),
    navigated: () => store.navigated(),
  });
  onSettingsChanged((settings) => {
    store.configure(settings);
    // A host added since may have requests in DevTools' log already.
    capture.hostsChanged();
  });
  await capture.start();
}

void main();
