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
 * Words in a header's name that say it carries a credential: `X-Custom-Auth`, `X-Session-Id`,
 * `X-CSRF-Token`, `X-Hub-Signature-256`, `X-Goog-Api-Key`.
 */
const CREDENTIAL_NAME_PART = /auth|token(?!s)|key|session|csrf|xsrf|signature|secret|passw|cookie/;

/**
 * Names that contain one of those words and carry no credential: HTTP/2's `:authority` (the
 * host), `Idempotency-Key` (one per operation, which a retry must keep), `Sec-WebSocket-Key`
 * (random per connection attempt).
 */
const NOT_CREDENTIAL_NAME = /authority|idempotency|websocket/;

/**
 * Whether a request header carries a credential: every header the HAR export redacts, and any
 * name that says so (see docs/decoding-and-retries.md, "What is a retry"). Case-insensitive.
 */
export function isCredentialHeader(name: string): boolean {
  if (isSecretHeader(name)) return true;
  const lower = name.trim().toLowerCase();
  return CREDENTIAL_NAME_PART.test(lower) && !NOT_CREDENTIAL_NAME.test(lower);
}

/**
 * A fingerprint of the credentials a request carried: the headers isCredentialHeader names
 * (`Cookie`, `Authorization`, API-key, token, session, CSRF and signature headers), and the HAR's
 * `request.cookies` when the recorder kept no Cookie header. Only the fingerprint is kept, never
 * the values, and it is never output.
 */
export function credentialsOf(requestHeaders: HeaderMap, cookies: unknown): string {
  const parts: string[] = [];
  for (const [name, value] of requestHeaders) {
    if (isCredentialHeader(name)) parts.push(`${name}=${value}`);
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
