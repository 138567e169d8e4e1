import { createClient } from "../messaging/rpc.js";
import type { OptionsPorts } from "../options/ports.js";
import { browser } from "./browser.js";
import { runtimeTransport } from "./runtime-messaging.js";
import { loadSettings, saveSettings } from "./settings-storage.js";

/** A match pattern names a hostname, never a port: one permission covers a host's every port. */
function originsOf(host: string): string[] {
  return [`*://${host.replace(/:\d+$/, "")}/*`];
}

/** The options page's ports: settings in storage, the background told, host permissions. */
export function optionsPorts(): OptionsPorts {
  const client = createClient(runtimeTransport());
  return {
    load: loadSettings,
    async save(settings) {
      await saveSettings(settings);
      // Storage holds them either way: a background that does not answer reads them as it starts.
      await client.call("settingsChanged", {}).catch((error: unknown) => {
        console.warn("Ratelens background not told of the new settings:", error);
      });
    },
    // Not async: the browser's prompt must be asked for within the caller's user gesture.
    requestHostPermission: (host) => browser.permissions.request({ origins: originsOf(host) }),
    async removeHostPermission(host) {
      await browser.permissions.remove({ origins: originsOf(host) });
    },
    async watchedPages() {
      const granted = await browser.permissions.getAll();
      const required = new Set(browser.runtime.getManifest().host_permissions ?? []);
      return (granted.origins ?? []).filter((origin) => !required.has(origin));
    },
    watchPages: (hostname) => browser.permissions.request({ origins: originsOf(hostname) }),
    async unwatchPages(hostname) {
      await browser.permissions.remove({ origins: originsOf(hostname) });
    },
  };
}
