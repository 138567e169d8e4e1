/**
 * A CORS preflight (OPTIONS with Access-Control-Request-Method) is the browser's question before
 * a cross-origin call, not a call the client code made: it is neither analysed nor counted.
 * `requestHeaders` is undefined where the caller cannot see them (webRequest, which Firefox tells
 * of preflights and Chrome does not): there an OPTIONS request is taken for one.
 */
export function isPreflight(method: string, requestHeaders: unknown): boolean {
  if (method.toUpperCase() !== "OPTIONS") return false;
  if (requestHeaders === undefined) return true;
  const headers: unknown[] = Array.isArray(requestHeaders) ? requestHeaders : [];
  return headers.some(
    (h) =>
      typeof h === "object" &&
      h !== null &&
      "name" in h &&
      typeof h.name === "string" &&
      h.name.toLowerCase() === "access-control-request-method",
  );
}
