import { browser } from "./browser.js";
import type { HostPermissions } from "./ports/pages.js";

declare const __RATELENS_BROWSER__: string;
const BROWSER = typeof __RATELENS_BROWSER__ === "string" ? __RATELENS_BROWSER__ : "chrome";

const FIREFOX_PANEL =
  "Firefox lets only the options page ask for host permissions: turn it on or off there";

export const hostPermissions: HostPermissions = {
  contains: (origins) => browser.permissions.contains({ origins }),
  // Not async: the browser's prompt must be asked for within the caller's user gesture.
  request: (origins) => browser.permissions.request({ origins }),
  async remove(origins) {
    await browser.permissions.remove({ origins });
  },
  async optional() {
    const granted = await browser.permissions.getAll();
    const required = new Set(browser.runtime.getManifest().host_permissions ?? []);
    return (granted.origins ?? []).filter((origin) => !required.has(origin));
  },
};

/**
 * Host permissions as a DevTools panel may ask for them. Chrome gives a panel the permissions
 * API; Firefox gives DevTools pages none (its bug 1796933), so there a panel says where to ask.
 */
export const panelHostPermissions: Pick<HostPermissions, "request" | "remove"> =
  BROWSER === "firefox"
    ? {
        request: () => Promise.reject(new Error(FIREFOX_PANEL)),
        remove: () => Promise.reject(new Error(FIREFOX_PANEL)),
      }
    : hostPermissions;
