/** What every secret value becomes in an exported HAR. */
export const REDACTED = "[redacted]";

/** Request and response header fields that carry credentials, whatever their value looks like. */
const SECRET_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
  "api-key",
  "x-auth-token",
]);

/**
 * `token` but not `tokens`: `x-ratelimit-remaining-tokens` is a budget the analysis reads, not a
 * credential.
 */
const SECRET_HEADER_PART = /token(?!s)|secret|api[-_]?key|passw/;

/** A header whose whole value is replaced. Names are case-insensitive. */
export function isSecretHeader(name: string): boolean {
  const lower = name.trim().toLowerCase();
  return SECRET_HEADERS.has(lower) || SECRET_HEADER_PART.test(lower);
}

/** Words that make a parameter or JSON field secret wherever they stand in its name. */
const SECRET_ANYWHERE: ReadonlySet<string> = new Set([
  "password",
  "passwd",
  "passphrase",
  "secret",
  "apikey",
]);

/** Words that make a name secret when they end it: `access_token`, not `token_type`. */
const SECRET_LAST: ReadonlySet<string> = new Set([
  "token",
  "pwd",
  "sig",
  "signature",
  "credential",
  "credentials",
  "authorization",
]);

/** `key` is secret alone or after one of these (`api_key`, `accessKey`), not `idempotency_key`. */
const KEY_QUALIFIERS: ReadonlySet<string> = new Set([
  "api",
  "access",
  "private",
  "secret",
  "client",
  "auth",
  "session",
  "signing",
  "master",
]);

/** The words of a name: `x-api-key`, `apiKey`, `API_KEY` and `api key` all give `api`, `key`. */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== "");
}

/**
 * A query-string parameter, form field or JSON field whose value is a credential: `key`,
 * `api_key`, `apiKey`, `token`, `access_token`, `client_secret`, `password`, `signature`, `sig`,
 * `X-Amz-Signature`... but not `max_tokens`, `token_type`, `idempotency_key` or `public_key`.
 */
export function isSecretName(name: string): boolean {
  const words = wordsOf(name);
  const last = words[words.length - 1];
  if (last === undefined) return false;
  if (words.length === 1 && (last === "auth" || last === "key")) return true;
  if (words.some((word) => SECRET_ANYWHERE.has(word))) return true;
  if (SECRET_LAST.has(last)) return true;
  const before = words[words.length - 2];
  return last === "key" && before !== undefined && KEY_QUALIFIERS.has(before);
}
