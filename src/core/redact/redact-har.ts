import type { Entry, Har } from "har-format";
import { isRateLimitHeader } from "../headers/is-rate-limit-header.js";
import { isRecord } from "../is-record.js";
import type { HarEntry } from "../types.js";
import {
  type EchoRedactor,
  echoRedactor,
  redactUrlEchoes,
  secretValuesOf,
} from "./echoed-secrets.js";
import { isSecretHeader, isSecretName, REDACTED } from "./secret-names.js";

export interface RedactHarOptions {
  /** The HAR's `log.creator`; Ratelens with an unknown version by default. */
  creator?: { name: string; version: string };
}

/** Deeper than any HAR Chrome or Firefox writes (async stacks included); deeper values become null. */
const MAX_DEPTH = 256;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** isRecord, for the JSON this file copies: a copied object holds only JSON values. */
const isObject = isRecord as (value: unknown) => value is JsonObject;

/** `__proto__` is an own field like any other here, never the object's prototype. */
function setOwn(target: JsonObject, key: string, value: Json): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/**
 * A deep copy of JSON-like data. Whatever JSON cannot hold (functions, symbols, undefined in
 * objects) is left out, a bigint becomes its digits, a cycle or an absurd depth becomes null: the
 * copy always serialises.
 */
function copyJson(value: unknown, depth = 0, ancestors = new Set<object>()): Json | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : null;
    case "bigint":
      return value.toString();
    case "object":
      break;
    default:
      return undefined;
  }
  if (value === null || depth >= MAX_DEPTH || ancestors.has(value)) return null;
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const items: Json[] = [];
      for (let i = 0; i < value.length; i++) {
        items.push(copyJson(value[i], depth + 1, ancestors) ?? null);
      }
      return items;
    }
    const copy: JsonObject = {};
    for (const key of Object.keys(value)) {
      const item = copyJson((value as Record<string, unknown>)[key], depth + 1, ancestors);
      if (item !== undefined) setOwn(copy, key, item);
    }
    return copy;
  } finally {
    ancestors.delete(value);
  }
}

/** Decodes a form-encoded name; the raw text when it is not valid percent-encoding. */
function decodeName(raw: string): string {
  const spaced = raw.replace(/\+/g, " ");
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** `a=1&api_key=xyz` becomes `a=1&api_key=[redacted]`; everything else keeps its exact text. */
export function redactParams(text: string): string {
  return text
    .split("&")
    .map((part) => {
      const eq = part.indexOf("=");
      if (eq === -1) return part;
      const name = part.slice(0, eq);
      return isSecretName(decodeName(name)) ? `${name}=${REDACTED}` : part;
    })
    .join("&");
}

const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*:)([^/?#@]*)@/i;

/**
 * A URL with the password of its user info and its secret query (and fragment) parameters
 * redacted. Text, not `new URL()`: the rest of the URL stays byte for byte what the HAR had, so
 * the analysis, which keys retries on the URL, sees the same requests.
 */
export function redactUrl(url: string): string {
  const hash = url.indexOf("#");
  let rest = hash === -1 ? url : url.slice(0, hash);
  const fragment = hash === -1 ? undefined : url.slice(hash + 1);
  const query = rest.indexOf("?");
  if (query !== -1) rest = `${rest.slice(0, query + 1)}${redactParams(rest.slice(query + 1))}`;
  rest = rest.replace(USERINFO, (_match, head: string, password: string) =>
    password === "" ? `${head}@` : `${head}${REDACTED}@`,
  );
  if (fragment === undefined) return rest;
  return `${rest}#${fragment.includes("=") ? redactParams(fragment) : fragment}`;
}

/** An absolute URL in a header value: all of Referer or Location, each `<...>` of a Link. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s<>"]+/gi;

const BEARER = /\b(bearer)(\s+)([^\s,;"]+)/gi;

/**
 * A header value with every `Bearer xyz` token, and the secrets of any URL in it, redacted. An
 * auth-param after the scheme (`WWW-Authenticate: Bearer realm="api"`) is no token and stays.
 */
function redactHeaderValue(value: string): string {
  const unbearered = value.replace(
    BEARER,
    (match, scheme: string, space: string, token: string, offset: number) => {
      const next = value[offset + match.length];
      const param = /=[^=]/.test(token) || (token.endsWith("=") && next === '"');
      return param ? match : `${scheme}${space}${REDACTED}`;
    },
  );
  return unbearered.replace(URL_IN_TEXT, (url) => redactUrl(url));
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") i++;
    else if (c === '"') return i + 1;
  }
  return text.length;
}

const SCALAR_END = /[\s,\]}]/;

/** The end of the JSON value starting at `start`, in text already known to be valid JSON. */
function valueEnd(text: string, start: number): number {
  const first = text[start];
  if (first === '"') return stringEnd(text, start);
  if (first !== "{" && first !== "[") {
    let i = start;
    while (i < text.length && !SCALAR_END.test(text[i] as string)) i++;
    return i;
  }
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = stringEnd(text, i) - 1;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}

/**
 * Where the values of secret-named fields stand in JSON text, at any depth: `[start, end)` of each
 * (null and "" values are left out: there is nothing to hide). Undefined when the text is not JSON.
 */
/**
 * Every name isSecretName takes holds one of these, in any case. A text without any (and without
 * a `\u` escape, which could spell one) has no secret field: most bodies are ruled out by this one
 * search instead of a parse and a walk (the analysis reads the body of every failed request).
 */
const MAY_NAME_SECRET = /auth|key|pass|secret|token|pwd|sig|credential|\\u/i;

function secretSpans(text: string): [number, number][] | undefined {
  const head = text.trimStart()[0];
  if (head !== "{" && head !== "[") return undefined;
  if (!MAY_NAME_SECRET.test(text)) return undefined;
  try {
    JSON.parse(text);
  } catch {
    return undefined;
  }
  const spans: [number, number][] = [];
  const open: ("{" | "[")[] = [];
  let expectKey = false;
  let secretValue = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === "," || c === ":" || /\s/.test(c)) {
      if (c === "," && open[open.length - 1] === "{") expectKey = true;
      i++;
    } else if (c === "}" || c === "]") {
      open.pop();
      expectKey = false;
      i++;
    } else if (expectKey) {
      const end = stringEnd(text, i);
      secretValue = isSecretName(JSON.parse(text.slice(i, end)) as string);
      expectKey = false;
      i = end;
    } else if (secretValue) {
      const end = valueEnd(text, i);
      const raw = text.slice(i, end);
      if (raw !== "null" && raw !== '""') spans.push([i, end]);
      secretValue = false;
      i = end;
    } else if (c === "{" || c === "[") {
      open.push(c);
      expectKey = c === "{";
      i++;
    } else {
      i = valueEnd(text, i);
    }
  }
  return spans;
}

/**
 * JSON text with the value of every secret-named field (`api_key`, `password`, `token`...)
 * replaced by `"[redacted]"`, at any depth. The text is edited in place rather than parsed and
 * printed again, so the rest keeps its exact spelling (spacing, key order, long numbers).
 * Undefined when the text is not JSON or has nothing to redact.
 */
export function redactJsonText(text: string): string | undefined {
  const spans = secretSpans(text);
  if (spans === undefined || spans.length === 0) return undefined;
  let out = "";
  let from = 0;
  for (const [start, end] of spans) {
    out += `${text.slice(from, start)}"${REDACTED}"`;
    from = end;
  }
  return out + text.slice(from);
}

/** The values of the secret-named fields of JSON text (what redactJsonText removes); [] if none. */
export function jsonSecretValues(text: string): unknown[] {
  return (secretSpans(text) ?? []).map(([start, end]) => JSON.parse(text.slice(start, end)));
}

/** Header fields: a secret field's whole value, and bearer tokens and URL secrets in any other. */
function redactHeaders(headers: Json | undefined): void {
  if (!Array.isArray(headers)) return;
  for (const header of headers) {
    if (!isObject(header) || typeof header.name !== "string") continue;
    const value = header.value;
    if (isSecretHeader(header.name)) {
      if (value !== null && value !== undefined && value !== "") header.value = REDACTED;
    } else if (typeof value === "string") {
      header.value = redactHeaderValue(value);
    }
  }
}

/** Cookies are credentials whatever their name: every value goes. */
function redactCookies(cookies: Json | undefined): void {
  if (!Array.isArray(cookies)) return;
  for (const cookie of cookies) {
    if (isObject(cookie) && cookie.value !== undefined && cookie.value !== null) {
      cookie.value = REDACTED;
    }
  }
}

/** `queryString` and `postData.params`: name/value pairs. */
function redactPairs(pairs: Json | undefined): void {
  if (!Array.isArray(pairs)) return;
  for (const pair of pairs) {
    if (!isObject(pair) || typeof pair.name !== "string" || !isSecretName(pair.name)) continue;
    if (pair.value !== undefined && pair.value !== null && pair.value !== "") {
      pair.value = REDACTED;
    }
  }
}

function redactPostData(postData: Json | undefined): void {
  if (!isObject(postData)) return;
  redactPairs(postData.params);
  const text = postData.text;
  if (typeof text !== "string" || text === "") return;
  const json = redactJsonText(text);
  if (json !== undefined) {
    postData.text = json;
  } else if (
    typeof postData.mimeType === "string" &&
    postData.mimeType.toLowerCase().includes("x-www-form-urlencoded")
  ) {
    postData.text = redactParams(text);
  }
}

/** The UTF-8 text base64 `text` encodes; undefined when it is not base64 of valid UTF-8. */
function decodeBase64Text(text: string): string | undefined {
  try {
    const binary = atob(text.replace(/\s+/g, ""));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function encodeBase64Text(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** A body as text: base64 decoded when it is UTF-8 text; undefined for binary. */
function plainText(text: string, encoding: unknown): string | undefined {
  return encoding === "base64" ? decodeBase64Text(text) : text;
}

/**
 * A response body's raw `content.text` (in its own `encoding`) with its secret JSON or form fields
 * and every echo of `redact`'s secrets replaced; undefined when nothing changed. A base64 body is
 * decoded, redacted and encoded again when it is UTF-8 text; binary (an image, a gzip, protobuf)
 * is left alone: no echo can be found in it reliably, and rewriting bytes would corrupt it.
 */
export function redactResponseText(
  text: string,
  encoding: unknown,
  mimeType: unknown,
  redact: EchoRedactor,
): string | undefined {
  const plain = plainText(text, encoding);
  if (plain === undefined || plain === "") return undefined;
  const form =
    typeof mimeType === "string" && mimeType.toLowerCase().includes("x-www-form-urlencoded");
  const named = redactJsonText(plain) ?? (form ? redactParams(plain) : plain);
  const redacted = redact(named);
  if (redacted === plain) return undefined;
  return encoding === "base64" ? encodeBase64Text(redacted) : redacted;
}

/**
 * The secret values an entry sent or received, body fields included (see secretValuesOf): what
 * is searched for, in this entry and the others of the export.
 */
export function entrySecrets(entry: unknown): string[] {
  const content = (entry as { response?: { content?: { text?: unknown; encoding?: unknown } } })
    ?.response?.content;
  const text = typeof content?.text === "string" ? content.text : undefined;
  const responseText = text === undefined ? undefined : plainText(text, content?.encoding);
  return secretValuesOf(entry, { bodies: jsonSecretValues, responseText });
}

/**
 * Echoes in a header list: every value but a credential header's (already redacted whole) and a
 * rate-limit header's (numbers and dates the analysis reads; no credential is ever one).
 */
function redactHeaderEchoes(headers: Json | undefined, redact: EchoRedactor): void {
  if (!Array.isArray(headers)) return;
  for (const header of headers) {
    if (!isObject(header) || typeof header.name !== "string") continue;
    if (isSecretHeader(header.name) || isRateLimitHeader(header.name)) continue;
    if (typeof header.value === "string") header.value = redact(header.value);
  }
}

function redactPairEchoes(pairs: Json | undefined, redact: EchoRedactor): void {
  if (!Array.isArray(pairs)) return;
  for (const pair of pairs) {
    if (isObject(pair) && typeof pair.value === "string") pair.value = redact(pair.value);
  }
}

function redactEntry(entry: Json, redact: EchoRedactor): void {
  if (!isObject(entry)) return;
  const { request, response } = entry;
  if (isObject(request)) {
    if (typeof request.url === "string") {
      request.url = redactUrlEchoes(redactUrl(request.url), redact);
    }
    redactHeaders(request.headers);
    redactHeaderEchoes(request.headers, redact);
    redactCookies(request.cookies);
    redactPairs(request.queryString);
    redactPairEchoes(request.queryString, redact);
    redactPostData(request.postData);
  }
  if (isObject(response)) {
    redactHeaders(response.headers);
    redactHeaderEchoes(response.headers, redact);
    redactCookies(response.cookies);
    if (typeof response.redirectURL === "string") {
      response.redirectURL = redactUrlEchoes(redactUrl(response.redirectURL), redact);
    }
    const content = response.content;
    if (isObject(content) && typeof content.text === "string") {
      const text = redactResponseText(content.text, content.encoding, content.mimeType, redact);
      if (text !== undefined) content.text = text;
    }
  }
}

/**
 * A complete HAR 1.2 log of `entries` that can be attached to an issue: a deep copy in which
 * credentials (Authorization and Cookie headers, API-key and token headers, bearer tokens, cookie
 * values, secret query and form parameters, secret JSON fields of request and response bodies,
 * URL passwords) read `[redacted]`, and so does every echo of one of those values (of any entry
 * of the export: a token sent by one request may come back in another's response) in response
 * bodies, other header values, URLs and redirect URLs. Everything the analysis reads is left as
 * it was, so the redacted HAR gives the same findings. Never throws, whatever the entries hold.
 */
export function redactHar(entries: readonly HarEntry[], options?: RedactHarOptions): Har {
  const list: readonly unknown[] = Array.isArray(entries) ? entries : [];
  // Secrets are read from the copies: plain JSON, whatever the entries were.
  const copies = list.map((entry) => copyJson(entry) ?? null);
  const redact = echoRedactor(copies.flatMap(entrySecrets));
  for (const copy of copies) redactEntry(copy, redact);
  return {
    log: {
      version: "1.2",
      creator: {
        name: options?.creator?.name ?? "Ratelens",
        version: options?.creator?.version ?? "unknown",
      },
      pages: [],
      entries: copies as unknown as Entry[],
    },
  };
}
