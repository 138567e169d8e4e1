import { createClient } from "../messaging/rpc.js";
import {
  inspectedTabId,
  onThemeChanged,
  openResource,
  panelNetwork,
  themeName,
} from "../platform/devtools.js";
import { panelHostPermissions } from "../platform/permissions.js";
import { runtimeTransport } from "../platform/runtime-messaging.js";
import { loadSettings, onSettingsChanged, saveSettings } from "../platform/settings-storage.js";
import "./panel.css";
import type { PanelPorts } from "./ports.js";
import { saveFile } from "./save-file.js";
import { startPanel } from "./start-panel.js";

/** Wiring only: the platform's adapters and the background's RPC client into the panel's ports. */
async function main(): Promise<void> {
  const root = document.getElementById("app");
  if (root === null) throw new Error("the panel page has no #app element");
  const background = createClient(runtimeTransport());
  const tabId = inspectedTabId();

  const ports: PanelPorts = {
    openResource,
    save: saveFile,
    saveSettings: (settings) => {
      saveSettings(settings).catch((error: unknown) => console.error("Ratelens settings:", error));
    },
    loadSettings,
    onSettingsChanged,
    requestOrigins: (origins) => panelHostPermissions.request(origins),
    removeOrigins: (origins) => panelHostPermissions.remove(origins),
    // In Firefox, the DevTools page's recording, handed over as the panel is shown.
    network: await panelNetwork(),
    reportPanel: (report) => background.call("reportPanel", { tabId, ...report }),
    themeName,
    onThemeChanged,
  };
  // The page is going away (DevTools closed, the panel reloaded): stop listening to DevTools.
  const stopped = new AbortController();
  addEventListener("pagehide", (event) => {
    if (!event.persisted) stopped.abort();
  });
  void startPanel(root, ports, stopped.signal);
}

void main();
