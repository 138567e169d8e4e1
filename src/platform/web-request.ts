import { browser } from "./browser.js";
import type {
  CompletedDetails,
  ErrorDetails,
  RequestDetails,
  WebRequestEvents,
} from "./ports/background.js";

/**
 * `webRequest` as the background needs it. Chromium reports a request only when the extension
 * has host permission for its URL and for the page that made it (the options page's "Pages to
 * watch"); the background drops whatever is not an API host. Nothing here blocks or
 * changes a request (MV3 allows neither to a normal extension).
 */
const ALL = { urls: ["<all_urls>"] };

export const webRequestEvents: WebRequestEvents = {
  onBeforeRequest(listener) {
    const handler = (details: RequestDetails) => {
      listener(details);
    };
    browser.webRequest.onBeforeRequest.addListener(handler, ALL);
    return () => browser.webRequest.onBeforeRequest.removeListener(handler);
  },
  onCompleted(listener) {
    const handler = (details: CompletedDetails) => listener(details);
    browser.webRequest.onCompleted.addListener(handler, ALL, ["responseHeaders"]);
    return () => browser.webRequest.onCompleted.removeListener(handler);
  },
  onErrorOccurred(listener) {
    const handler = (details: ErrorDetails) => listener(details);
    browser.webRequest.onErrorOccurred.addListener(handler, ALL);
    return () => browser.webRequest.onErrorOccurred.removeListener(handler);
  },
};
