import type { HeaderMap } from "../headers/header-map.js";

/**
 * Who made a request. `client`: the page's code (fetch, XHR, EventSource, a beacon). `navigation`:
 * a top-level page load. `asset`: something the browser fetched by itself for the page (image,
 * script, stylesheet, font, favicon, iframe, ...). `unknown`: the recorder did not say (Polly.JS,
 * mitmproxy without browser headers, hand-written HARs).
 */
export type RequestKind = "client" | "navigation" | "asset" | "unknown";

const CLIENT_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  "fetch",
  "xhr",
  "eventsource",
  "websocket",
  "ping",
]);

/**
 * `Sec-Fetch-Dest` is what the browser itself sent, so every recorder that keeps request headers
 * (Firefox, Safari, Fiddler, Charles, mitmproxy) has it; Chrome's `_resourceType` is the fallback.
 * Only `document` is a top-level page load: `iframe` is a frame inside the page.
 */
export function requestKindOf(resourceType: unknown, requestHeaders: HeaderMap): RequestKind {
  const dest = requestHeaders.get("sec-fetch-dest")?.trim().toLowerCase();
  if (dest !== undefined && dest !== "") {
    if (dest === "empty") return "client";
    if (dest === "document") return "navigation";
    return "asset";
  }
  if (typeof resourceType !== "string" || resourceType.trim() === "") return "unknown";
  const type = resourceType.trim().toLowerCase();
  if (CLIENT_RESOURCE_TYPES.has(type)) return "client";
  if (type === "document") return "navigation";
  return "asset";
}
