import { fingerprint } from "../har/credentials.js";
import { type Exchange, isErrorStatus } from "../har/exchange.js";
import type { DecodedError } from "../types.js";

/**
 * A retry must start within this long of the failed request's end
 * (docs/decoding-and-retries.md, "What is a retry").
 */
export const RETRY_HORIZON_MS = 10 * 60_000;

/** What a later request needs to know of an earlier attempt; kept small on purpose. */
export interface Attempt {
  index: number;
  method: string;
  host: string;
  start: number;
  end: number;
  status: number;
  error: DecodedError | undefined;
  /** The wait the response asked for: header (HTTP-date or seconds) or "Retry after N seconds" in its text. */
  retryAfter: { seconds: number; dated: boolean } | undefined;
  /** The wait before this attempt when it retried another, and whether that one was a plain retryable error. */
  retryOf: { index: number; waitMs: number; retryableWithoutRetryAfter: boolean } | undefined;
  /** The page load it belongs to, when the recorder marks them (`pageref`). */
  page: string | undefined;
  /**
   * The page whose navigations end its chain (see pageScopeOf), and how many of them had started
   * before it; undefined when no navigation can be told to be its page's.
   */
  pageScope: string | undefined;
  navigations: number;
  /** Fingerprint of the credentials it sent. */
  credentials: string;
}

export interface RetryLink {
  /** The attempt this request retries (A). */
  previous: Attempt;
  /** B's start minus A's end. */
  waitMs: number;
}

export function failed(attempt: Pick<Attempt, "status">): boolean {
  return isErrorStatus(attempt.status);
}

/** A retryable error that gave no wait of its own: the case where backoff is the client's job. */
export function retryableWithoutRetryAfter(attempt: Attempt): boolean {
  return attempt.error?.retryable === true && attempt.retryAfter === undefined;
}

export function identityKeys(exchange: Exchange): string[] {
  const body =
    exchange.requestBody === undefined || exchange.requestBody === ""
      ? ""
      : fingerprint(exchange.requestBody);
  const keys = [`r ${exchange.method} ${exchange.url} ${body}`];
  const idempotencyKey = exchange.requestHeaders.get("idempotency-key");
  if (idempotencyKey !== undefined && idempotencyKey.trim() !== "") {
    keys.push(`i ${exchange.host} ${idempotencyKey.trim()}`);
  }
  return keys;
}

interface Pending {
  attempt: Attempt;
  consumed: boolean;
}

/** Statuses after which the documents ask for new credentials, not the same request again. */
const CREDENTIAL_STATUSES: ReadonlySet<number> = new Set([401, 403]);

/**
 * Whether a request can be part of a client's retry loop: anything sent to an API host, and,
 * elsewhere, what the page's code sent (fetch, XHR) or what the recorder did not classify. What
 * the browser loads by itself for a page (documents, images, scripts, fonts, favicons) is not.
 */
export function madeByClient(exchange: Pick<Exchange, "kind">, apiHost: boolean): boolean {
  return apiHost || exchange.kind === "client" || exchange.kind === "unknown";
}

/** `https://host:port` of a URL, or undefined (not a URL, or an opaque origin such as `null`). */
function originOf(url: string | undefined): string | undefined {
  if (url === undefined || url.trim() === "") return undefined;
  try {
    const origin = new URL(url.trim()).origin;
    return origin === "null" ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * Which navigations are the page's that sent `exchange`: with a `pageref`, those of the same
 * page (Safari keeps one page across navigations); without one, a request the page's code sent
 * (fetch/XHR, by `Sec-Fetch-Dest` or `_resourceType`) belongs to the page its `Referer` names
 * (else its `Origin`, else its own origin when `Sec-Fetch-Site: same-origin`), and top-level
 * navigations to that origin are its page's. Undefined when that cannot be told: a request of
 * unknown kind (Polly.JS, a proxy in front of a non-browser client) or one that names no page is
 * never split by a navigation, which may be another client's or another tab's.
 */
function pageScopeOf(exchange: Exchange): string | undefined {
  if (exchange.page !== undefined) return `page ${exchange.page}`;
  if (exchange.kind !== "client") return undefined;
  const headers = exchange.requestHeaders;
  const site = headers.get("sec-fetch-site")?.trim().toLowerCase();
  const origin =
    originOf(headers.get("referer")) ??
    originOf(headers.get("origin")) ??
    (site === "same-origin" ? originOf(exchange.url) : undefined);
  return origin === undefined ? undefined : `origin ${origin}`;
}

/** The scopes whose chains a top-level navigation ends: its page's, and its origin's. */
function navigationScopes(exchange: Exchange): string[] {
  const scopes: string[] = [];
  if (exchange.page !== undefined) scopes.push(`page ${exchange.page}`);
  const origin = originOf(exchange.url);
  if (origin !== undefined) scopes.push(`origin ${origin}`);
  return scopes;
}

/**
 * Why B is not a retry of A though it repeats it, or undefined when it is one. A new page load of
 * A's page in between means the page's code started over (API hosts excepted: any request to them
 * may be a retry loop, reload-driven ones included); new credentials after a 401 or 403 are the
 * correction the documents ask for. When neither request shows any credential (Chrome's default
 * "Export HAR (sanitized)" drops Cookie and Authorization), a success after the 401 or 403 is
 * taken as that correction: the server accepted B, which the same request again could not get.
 * With credentials shown and the same, it stays a retry, whatever B got.
 */
function notARetry(
  previous: Attempt,
  exchange: Exchange,
  navigations: (scope: string) => number,
  apiHost: boolean,
): "page-load" | "new-credentials" | "accepted-unseen-credentials" | undefined {
  if (!apiHost) {
    const otherPage =
      previous.page !== undefined && exchange.page !== undefined && previous.page !== exchange.page;
    const reloaded =
      previous.pageScope !== undefined && navigations(previous.pageScope) > previous.navigations;
    if (otherPage || reloaded) return "page-load";
  }
  if (CREDENTIAL_STATUSES.has(previous.status)) {
    if (previous.credentials !== exchange.credentials) return "new-credentials";
    if (previous.credentials === "" && exchange.credentials === "" && succeeded(exchange))
      return "accepted-unseen-credentials";
  }
  return undefined;
}

function succeeded(exchange: Pick<Exchange, "status">): boolean {
  return exchange.status >= 200 && exchange.status < 400;
}

/**
 * Finds, for each new request, the failed request it retries: same identity, started at or after
 * that one's end, the first to do so, within ten minutes. State is per identity, so each request
 * costs O(1) amortised.
 */
export class RetryTracker {
  readonly #pending = new Map<string, Pending[]>();
  #added = 0;
  /** Top-level page loads started so far, in order of start time, per page scope. */
  readonly #navigations = new Map<string, number>();
  readonly #navigationsIn = (scope: string): number => this.#navigations.get(scope) ?? 0;
  #latestStart = Number.NEGATIVE_INFINITY;

  /**
   * Links `exchange` to the attempt it retries, then remembers it if it failed. `apiHost`: the
   * request goes to a documented or user-added API host.
   */
  add(
    exchange: Exchange,
    error: DecodedError | undefined,
    retryAfter: Attempt["retryAfter"],
    apiHost = true,
  ): { attempt: Attempt; link: RetryLink | undefined } {
    if (exchange.kind === "navigation") {
      for (const scope of navigationScopes(exchange))
        this.#navigations.set(scope, this.#navigationsIn(scope) + 1);
    }
    const byClient = madeByClient(exchange, apiHost);
    const keys = byClient ? identityKeys(exchange) : [];
    let previous: Attempt | undefined;
    for (const key of keys) {
      const list = this.#pending.get(key);
      if (list === undefined) continue;
      for (const pending of list) {
        if (pending.consumed || pending.attempt.end > exchange.start) continue;
        // B is the first request after A: A cannot be retried again by a later one.
        pending.consumed = true;
        const candidate = pending.attempt;
        if (exchange.start - candidate.end > RETRY_HORIZON_MS) continue;
        if (notARetry(candidate, exchange, this.#navigationsIn, apiHost) !== undefined) continue;
        if (previous === undefined || candidate.end > previous.end) previous = candidate;
      }
      const live = list.filter((p) => !p.consumed);
      if (live.length === 0) this.#pending.delete(key);
      else if (live.length !== list.length) this.#pending.set(key, live);
    }

    const link =
      previous === undefined ? undefined : { previous, waitMs: exchange.start - previous.end };
    // Only a failure kept for a later request needs its page: the URL parsing is not paid per request.
    const keep = byClient && failed(exchange);
    const pageScope = keep && !apiHost ? pageScopeOf(exchange) : undefined;
    const attempt: Attempt = {
      index: exchange.index,
      method: exchange.method,
      host: exchange.host,
      start: exchange.start,
      end: exchange.end,
      status: exchange.status,
      error,
      retryAfter,
      retryOf:
        link === undefined
          ? undefined
          : {
              index: link.previous.index,
              waitMs: link.waitMs,
              retryableWithoutRetryAfter: retryableWithoutRetryAfter(link.previous),
            },
      page: exchange.page,
      pageScope,
      navigations: pageScope === undefined ? 0 : this.#navigationsIn(pageScope),
      credentials: exchange.credentials,
    };
    if (keep) {
      const pending: Pending = { attempt, consumed: false };
      for (const key of keys) {
        const list = this.#pending.get(key);
        if (list === undefined) this.#pending.set(key, [pending]);
        else list.push(pending);
      }
    }
    this.#latestStart = Math.max(this.#latestStart, exchange.start);
    if (++this.#added % 1024 === 0) this.#sweep();
    return { attempt, link };
  }

  /** Drops failures too old to be retried, so memory follows the last ten minutes, not the session. */
  #sweep(): void {
    const horizon = this.#latestStart - RETRY_HORIZON_MS;
    for (const [key, list] of this.#pending) {
      const live = list.filter((p) => !p.consumed && p.attempt.end >= horizon);
      if (live.length === 0) this.#pending.delete(key);
      else this.#pending.set(key, live);
    }
  }
}
