import type { HarEntry } from "../types.js";

/**
 * A CORS preflight (OPTIONS with Access-Control-Request-Method) is the browser's question before
 * a cross-origin call, not a call the client code made: it is neither analysed nor counted.
 */
export function isPreflight(entry: HarEntry): boolean {
  if (entry.request.method.toUpperCase() !== "OPTIONS") return false;
  const headers: unknown[] = Array.isArray(entry.request.headers) ? entry.request.headers : [];
  return headers.some(
    (h) =>
      typeof h === "object" &&
      h !== null &&
      "name" in h &&
      typeof h.name === "string" &&
      h.name.toLowerCase() === "access-control-request-method",
  );
}
