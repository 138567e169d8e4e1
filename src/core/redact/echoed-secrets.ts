import { isSecretHeader, isSecretName, REDACTED } from "./secret-names.js";

/**
 * A value this short is never searched for elsewhere: a cookie `lang=en` or a `sig=1` would
 * otherwise turn every `en` and `1` of a body into `[redacted]`. Real credentials (API keys,
 * bearer tokens, session ids) are far longer. The field that carried a short value is still
 * redacted by name; only its echoes elsewhere are not looked for.
 */
export const MIN_ECHO_CHARS = 8;

/**
 * A value searched for elsewhere: long enough, with a letter in it. A value without one (a
 * timestamp cookie, a numeric id) would match the numbers and dates the analysis reads (reset
 * times, counts), and a redacted value is not a secret.
 */
function echoable(value: string): boolean {
  return value.length >= MIN_ECHO_CHARS && /\p{L}/u.test(value) && !value.includes(REDACTED);
}

/** Decodes percent-encoding (and `+` as a space in a form); the raw text when it is not valid. */
function decodeComponent(raw: string, form: boolean): string {
  const text = form ? raw.replace(/\+/g, " ") : raw;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The values of the secret parameters of `a=1&api_key=xyz`, as written and decoded. */
function paramSecrets(text: string, out: Set<string>): void {
  for (const part of text.split("&")) {
    const eq = part.indexOf("=");
    if (eq === -1 || !isSecretName(decodeComponent(part.slice(0, eq), true))) continue;
    const raw = part.slice(eq + 1);
    out.add(raw);
    out.add(decodeComponent(raw, true));
  }
}

const USERINFO_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/?#@:]*:([^/?#@]*)@/i;

/** The secrets a URL carries: its password, its secret query and fragment parameters. */
function urlSecrets(url: string, out: Set<string>): void {
  const password = url.includes("@") ? USERINFO_PASSWORD.exec(url)?.[1] : undefined;
  if (password !== undefined) {
    out.add(password);
    out.add(decodeComponent(password, false));
  }
  const hash = url.indexOf("#");
  const beforeHash = hash === -1 ? url : url.slice(0, hash);
  const query = beforeHash.indexOf("?");
  if (query !== -1) paramSecrets(beforeHash.slice(query + 1), out);
  if (hash !== -1) paramSecrets(url.slice(hash + 1), out);
}

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s<>"]+/gi;
const BEARER = /\b(bearer)(\s+)([^\s,;"]+)/gi;
/** `Bearer abc`, `Basic dXNlcjpwYXNz`, `Token abc`: the credentials after an auth scheme. */
const SCHEME_CREDENTIALS = /^\s*[A-Za-z][\w!#$%&'*+.^`|~-]*\s+(\S.*?)\s*$/s;

/** `user:pass` of a Basic credential, when it is base64 of text. */
function basicSecrets(credentials: string, out: Set<string>): void {
  try {
    const decoded = atob(credentials);
    const colon = decoded.indexOf(":");
    if (colon === -1) return;
    out.add(decoded);
    out.add(decoded.slice(colon + 1));
  } catch {
    // Not base64: the credentials themselves were added already.
  }
}

/** The cookie values of a `Cookie` header (`a=1; b=2`) or of `Set-Cookie` lines (`a=1; Path=/`). */
function cookieSecrets(value: string, setCookie: boolean, out: Set<string>): void {
  const pairs = setCookie
    ? value.split("\n").map((line) => line.split(";")[0] ?? "")
    : value.split(";");
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq === -1) continue;
    const cookie = pair.slice(eq + 1).trim();
    out.add(cookie);
    if (cookie.length > 1 && cookie.startsWith('"') && cookie.endsWith('"')) {
      out.add(cookie.slice(1, -1));
    }
  }
}

/**
 * The secrets of header fields, as the HAR export redacts them: a credential header's value (and
 * the cookies or the credentials after the scheme in it), a bearer token or a URL's secret
 * parameters in any other header.
 */
function headerSecrets(headers: unknown, out: Set<string>): void {
  if (!Array.isArray(headers)) return;
  for (const header of headers) {
    if (typeof header !== "object" || header === null) continue;
    const { name, value } = header as { name?: unknown; value?: unknown };
    if (typeof name !== "string" || typeof value !== "string") continue;
    if (isSecretHeader(name)) {
      out.add(value.trim());
      const lower = name.trim().toLowerCase();
      if (lower === "cookie" || lower === "set-cookie") {
        cookieSecrets(value, lower === "set-cookie", out);
        continue;
      }
      const credentials = SCHEME_CREDENTIALS.exec(value)?.[1];
      if (credentials !== undefined) {
        out.add(credentials);
        if (/^\s*basic\s/i.test(value)) basicSecrets(credentials, out);
      }
      continue;
    }
    // Most header values (Content-Type, Accept...) hold neither: tested first, cheaply.
    if (value.length < MIN_ECHO_CHARS) continue;
    if (/bearer/i.test(value)) {
      for (const match of value.matchAll(BEARER)) {
        const token = match[3] as string;
        if (!/=[^=]/.test(token)) out.add(token);
      }
    }
    if (value.includes("://")) {
      for (const match of value.matchAll(URL_IN_TEXT)) urlSecrets(match[0], out);
    }
  }
}

/** Cookie values (all of them: cookies are credentials whatever their name). */
function pairValues(pairs: unknown, secretOnly: boolean, out: Set<string>): void {
  if (!Array.isArray(pairs)) return;
  for (const pair of pairs) {
    if (typeof pair !== "object" || pair === null) continue;
    const { name, value } = pair as { name?: unknown; value?: unknown };
    if (typeof value !== "string") continue;
    if (secretOnly && (typeof name !== "string" || !isSecretName(name))) continue;
    out.add(value);
  }
}

/** The string leaves of a JSON value: a secret field may hold an object of them. */
function stringLeaves(value: unknown, out: Set<string>, depth = 0): void {
  if (typeof value === "string") out.add(value);
  else if (typeof value === "object" && value !== null && depth < 32) {
    for (const item of Object.values(value)) stringLeaves(item, out, depth + 1);
  }
}

/**
 * Where a body's secret JSON fields come from: `jsonSecretValues` of redact-har.ts, passed in so
 * this module needs no JSON scanner of its own.
 */
export type JsonSecretValues = (text: string) => unknown[];

export interface SecretValueOptions {
  /**
   * Also the secret JSON fields of the request and response bodies (a password sent in a login
   * request, an `access_token` a response returns). Reading bodies costs a parse each, so the
   * analysis asks for them only for an error response, the only body it decodes.
   */
  bodies?: JsonSecretValues;
  /** The response body as text (base64 decoded), when `bodies` is given. */
  responseText?: string;
}

/**
 * Every credential value an entry sent or received, as the HAR export redacts them by name:
 * Authorization and other credential headers (and the token after their scheme, the password of
 * a Basic one), bearer tokens, cookie and Set-Cookie values, secret query, fragment and form
 * parameters, the URL's password; with `bodies`, secret JSON fields of both bodies. Only the
 * values worth searching for elsewhere (see MIN_ECHO_CHARS).
 */
export function secretValuesOf(entry: unknown, options: SecretValueOptions = {}): string[] {
  const out = new Set<string>();
  if (typeof entry !== "object" || entry === null) return [];
  const { request, response } = entry as { request?: unknown; response?: unknown };
  if (typeof request === "object" && request !== null) {
    const r = request as Record<string, unknown>;
    if (typeof r.url === "string") urlSecrets(r.url, out);
    headerSecrets(r.headers, out);
    pairValues(r.cookies, false, out);
    pairValues(r.queryString, true, out);
    const postData = r.postData;
    if (typeof postData === "object" && postData !== null) {
      const p = postData as Record<string, unknown>;
      pairValues(p.params, true, out);
      if (typeof p.text === "string" && p.text !== "") {
        const json = options.bodies?.(p.text);
        if (json !== undefined && json.length > 0) {
          for (const value of json) stringLeaves(value, out);
        } else if (
          typeof p.mimeType === "string" &&
          p.mimeType.toLowerCase().includes("x-www-form-urlencoded")
        ) {
          paramSecrets(p.text, out);
        }
      }
    }
  }
  if (typeof response === "object" && response !== null) {
    const r = response as Record<string, unknown>;
    headerSecrets(r.headers, out);
    pairValues(r.cookies, false, out);
    if (typeof r.redirectURL === "string") urlSecrets(r.redirectURL, out);
    if (options.bodies !== undefined && options.responseText !== undefined) {
      for (const value of options.bodies(options.responseText)) stringLeaves(value, out);
    }
  }
  return [...out].filter(echoable);
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}

/** What percent-encoding leaves as it is; most tokens are only this. */
const URI_SAFE = /^[A-Za-z0-9\-_.!~*'()]*$/;

/** The spellings a value is echoed in: as is, percent-encoded in a URL, escaped in JSON. */
function spellings(value: string): string[] {
  const forms = [value];
  if (!URI_SAFE.test(value)) {
    try {
      forms.push(encodeURIComponent(value));
    } catch {
      // A lone surrogate cannot be percent-encoded, nor sent that way.
    }
  }
  const json = JSON.stringify(value).slice(1, -1);
  if (json !== value) forms.push(json);
  return forms;
}

/** Replaces every echo of the secrets it was made with; identity when there are none. */
export type EchoRedactor = (text: string) => string;

/**
 * Up to this many spellings, each is replaced in turn (the longest first) without a regular
 * expression: the analysis makes a redactor per request, for a handful of secrets, and compiling
 * one for each request would cost more than the rest of its analysis.
 */
const FEW_FORMS = 32;

/**
 * A function that replaces every verbatim occurrence of any of `secrets` (or its percent-encoded
 * or JSON-escaped spelling) by `[redacted]`, the longest first, so a cookie header's whole value
 * goes before the cookie values in it. Many secrets (a whole export's) share one regular
 * expression, compiled when first needed: a text is read once, however many there are.
 */
export function echoRedactor(secrets: Iterable<string>): EchoRedactor {
  const kept = [...secrets].filter(echoable);
  if (kept.length === 0) return (text) => text;
  let sorted: string[] | undefined;
  let pattern: RegExp | undefined;
  return (text) => {
    if (text.length < MIN_ECHO_CHARS) return text;
    sorted ??= [...new Set(kept.flatMap(spellings))].sort((a, b) => b.length - a.length);
    if (sorted.length <= FEW_FORMS) {
      let out = text;
      for (const form of sorted) if (out.includes(form)) out = out.split(form).join(REDACTED);
      return out;
    }
    pattern ??= new RegExp(sorted.map(escapeRegExp).join("|"), "g");
    return text.replace(pattern, REDACTED);
  };
}

const AUTHORITY = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/**
 * A URL with echoes redacted in its path, query and fragment. The scheme and host stay: the
 * analysis keys budgets on the host, and a host is no credential (its password is redactUrl's).
 */
export function redactUrlEchoes(url: string, redact: EchoRedactor): string {
  const authority = AUTHORITY.exec(url)?.[0] ?? "";
  return authority + redact(url.slice(authority.length));
}
