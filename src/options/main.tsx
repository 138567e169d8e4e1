import { render } from "preact";
import { createClient } from "../messaging/rpc.js";
import { hostPermissions } from "../platform/permissions.js";
import { runtimeTransport } from "../platform/runtime-messaging.js";
import { loadSettings, saveSettings } from "../platform/settings-storage.js";
import "../ui/base.css";
import { OptionsApp } from "./app.js";
import { hostPattern } from "./host-permission.js";
import "./options.css";
import type { OptionsPorts } from "./ports.js";

/** Wiring only: the platform's adapters and the background's RPC client into the options' ports. */
function main(): void {
  const root = document.getElementById("app");
  if (root === null) throw new Error("the options page has no #app element");
  const background = createClient(runtimeTransport());

  const ports: OptionsPorts = {
    load: loadSettings,
    async save(settings) {
      await saveSettings(settings);
      // Storage holds them either way: a background that does not answer reads them as it starts.
      await background.call("settingsChanged", {}).catch((error: unknown) => {
        console.warn("Ratelens background not told of the new settings:", error);
      });
    },
    requestHostPermission: (host) => hostPermissions.request([hostPattern(host)]),
    removeHostPermission: (host) => hostPermissions.remove([hostPattern(host)]),
    requestOrigins: (origins) => hostPermissions.request(origins),
    removeOrigins: (origins) => hostPermissions.remove(origins),
    watchedPages: () => hostPermissions.optional(),
    watchPages: (hostname) => hostPermissions.request([hostPattern(hostname)]),
    unwatchPages: (hostname) => hostPermissions.remove([hostPattern(hostname)]),
  };
  render(<OptionsApp ports={ports} />, root);
}

main();
