import { browser } from "./browser.js";
import type { HostPermissions } from "./ports/pages.js";

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
