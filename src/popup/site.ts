/**
 * What the popup can offer for the active tab's page: the site to ask the browser for, so that
 * webRequest reports the page's API calls, or why there is none to ask for.
 */
export type PageSite =
  /** The extension may not read the tab's address (the popup was not opened on it). */
  | { kind: "unknown" }
  /** A page no extension may watch: the browser's own pages, files, other extensions, stores. */
  | { kind: "closed"; scheme: string }
  /** A web page: `pattern` is the host permission that covers it, on every port. */
  | { kind: "site"; host: string; port: string; pattern: string };

/** Web pages the browsers keep from every extension, whatever it holds: their add-on stores. */
function isStorePage({ hostname, pathname }: URL): boolean {
  if (hostname === "chromewebstore.google.com" || hostname === "addons.mozilla.org") return true;
  // The old Chrome Web Store, on Google's host for Chrome pages.
  return hostname.endsWith(".google.com") && pathname.startsWith("/webstore");
}

export function siteOf(url: string | null): PageSite {
  if (url === null || url === "") return { kind: "unknown" };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: "unknown" };
  }
  const scheme = parsed.protocol.replace(/:$/, "");
  if ((scheme !== "http" && scheme !== "https") || parsed.hostname === "" || isStorePage(parsed))
    return { kind: "closed", scheme };
  // A match pattern names a hostname, never a port: one grant covers the site on every port.
  return {
    kind: "site",
    host: parsed.hostname,
    port: parsed.port,
    pattern: `*://${parsed.hostname}/*`,
  };
}
