import type { HeaderMap } from "../headers/header-map.js";
import { isSecretHeader } from "../redact/secret-names.js";

/** FNV-1a: a cheap fingerprint, so neither a 50 MB body nor a token is kept as it was sent. */
export function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return `${text.length}:${(hash >>> 0).toString(36)}`;
}

/**
 * A fingerprint of the credentials a request carried: `Cookie`, `Authorization`, API-key and token
 * headers (the names the HAR export redacts), or the HAR's `request.cookies` when the recorder
 * kept no Cookie header. Only the fingerprint is kept, never the values, and it is never output.
 */
export function credentialsOf(requestHeaders: HeaderMap, cookies: unknown): string {
  const parts: string[] = [];
  for (const [name, value] of requestHeaders) {
    if (isSecretHeader(name)) parts.push(`${name}=${value}`);
  }
  if (!requestHeaders.has("cookie") && Array.isArray(cookies)) {
    for (const cookie of cookies) {
      if (typeof cookie !== "object" || cookie === null) continue;
      const { name, value } = cookie as { name?: unknown; value?: unknown };
      if (typeof name === "string") parts.push(`cookie ${name}=${String(value ?? "")}`);
    }
  }
  return parts.length === 0 ? "" : fingerprint(parts.sort().join("\n"));
}
