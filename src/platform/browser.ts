/**
 * The one import of webextension-polyfill. Chromium 148+ and Firefox have a native promise-based
 * `browser` namespace, which the polyfill passes through; older Chrome gets the wrapped `chrome`.
 */
import browser from "webextension-polyfill";

export { browser };
