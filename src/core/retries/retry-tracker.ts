import { fingerprint } from "../har/credentials.js";
import { type Exchange, isErrorStatus } from "../har/exchange.js";
import type { DecodedError } from "../types.js";

/**
 * A retry must start within this long of the failed request's end
 * (docs/decoding-and-retries.md, "What is a retry").
 */
export const RETRY_HORIZON_MS = 10 * 60_000;

/**
 * A flow that starts over begins a new chain only after a pause this long: a person's pace, longer
 * than the longest wait a client library backs off by (docs/decisions.md, "Retries and the rules").
 */
export const FLOW_RESTART_MS = 90_000;

/** How many of a page's latest client requests are kept to find what led up to a request. */
const LEAD_INS_KEPT = 16;

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
  /**
   * The request that led up to its chain's first attempt (the page's latest client request that
   * had ended when it started), as a fingerprint of method and URL; undefined when none.
   */
  leadIn: string | undefined;
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

/** The 4xx statuses that say "the same request later", which new credentials do not excuse. */
const RETRYABLE_CLIENT_STATUSES: ReadonlySet<number> = new Set([408, 425, 429]);

/**
 * Whether B's changed credentials make it a correction of A rather than a retry: after a 401 or
 * 403 always; after another 4xx that refused the request itself (not a 408, 425 or 429, and not
 * one the decoder reads as retryable, such as a throttling code in a 400).
 */
function correctable(previous: Attempt): boolean {
  if (CREDENTIAL_STATUSES.has(previous.status)) return true;
  return (
    previous.status >= 400 &&
    previous.status < 500 &&
    !RETRYABLE_CLIENT_STATUSES.has(previous.status) &&
    previous.error?.retryable !== true
  );
}

/** A request of the page's code, as a lead-in to a later one. */
interface Sent {
  key: string;
  start: number;
  end: number;
}

/** The lead-in fingerprint: method and URL, never the body or the credentials. */
function leadInKey(exchange: Pick<Exchange, "method" | "url">): string {
  return fingerprint(`${exchange.method} ${exchange.url}`);
}

/** The latest-started of `sent` that began at or after `from` and had ended by `start`. */
function leadInOf(
  sent: readonly Sent[] | undefined,
  from: number,
  start: number,
): Sent | undefined {
  if (sent === undefined) return undefined;
  for (let i = sent.length - 1; i >= 0; i--) {
    const candidate = sent[i] as Sent;
    if (candidate.start < from) return undefined;
    if (candidate.end <= start) return candidate;
  }
  return undefined;
}

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
 * may be a retry loop, reload-driven ones included); new credentials after a 401, a 403 or another
 * 4xx that refused the request itself are the correction the documents ask for. When neither
 * request shows any credential (Chrome's default "Export HAR (sanitized)" drops Cookie and
 * Authorization), a success after the 401 or 403 is taken as that correction: the server accepted
 * B, which the same request again could not get. With credentials shown and the same, it stays a
 * retry, whatever B got. A flow that started over (`leadIn`: what led up to B since A's end is
 * what led up to A's chain, after a person's pause, outside any wait A was told) is a new chain.
 */
function notARetry(
  previous: Attempt,
  exchange: Exchange,
  navigations: (scope: string) => number,
  apiHost: boolean,
  leadIn: Sent | undefined,
): "page-load" | "new-credentials" | "accepted-unseen-credentials" | "flow-restart" | undefined {
  if (!apiHost) {
    const otherPage =
      previous.page !== undefined && exchange.page !== undefined && previous.page !== exchange.page;
    const reloaded =
      previous.pageScope !== undefined && navigations(previous.pageScope) > previous.navigations;
    if (otherPage || reloaded) return "page-load";
  }
  if (correctable(previous) && previous.credentials !== exchange.credentials)
    return "new-credentials";
  if (CREDENTIAL_STATUSES.has(previous.status)) {
    if (previous.credentials === "" && exchange.credentials === "" && succeeded(exchange))
      return "accepted-unseen-credentials";
  }
  if (flowRestarted(previous, exchange, leadIn)) return "flow-restart";
  return undefined;
}

/**
 * Whether B starts A's flow over: B's lead-in (leadInOf: a request that began after A ended) has
 * the method and URL of the one that led up to A's chain, the pause is a person's, and A asked for
 * no wait that B still falls inside.
 */
function flowRestarted(previous: Attempt, exchange: Exchange, leadIn: Sent | undefined): boolean {
  if (leadIn === undefined || previous.leadIn === undefined) return false;
  if (leadIn.key !== previous.leadIn) return false;
  const waitMs = exchange.start - previous.end;
  if (waitMs < FLOW_RESTART_MS) return false;
  const asked = previous.retryAfter === undefined ? 0 : previous.retryAfter.seconds * 1000;
  return waitMs >= asked;
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
  /** The latest client requests per page (`pageref`, or "" without one), in order of start. */
  readonly #sent = new Map<string, Sent[]>();
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
    const pageKey = exchange.page ?? "";
    const sent = byClient ? this.#sent.get(pageKey) : undefined;
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
        const leadIn = leadInOf(sent, candidate.end, exchange.start);
        if (notARetry(candidate, exchange, this.#navigationsIn, apiHost, leadIn) !== undefined)
          continue;
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
      leadIn:
        link === undefined
          ? leadInOf(sent, Number.NEGATIVE_INFINITY, exchange.start)?.key
          : link.previous.leadIn,
    };
    if (keep) {
      const pending: Pending = { attempt, consumed: false };
      for (const key of keys) {
        const list = this.#pending.get(key);
        if (list === undefined) this.#pending.set(key, [pending]);
        else list.push(pending);
      }
    }
    if (byClient) this.#remember(pageKey, exchange);
    this.#latestStart = Math.max(this.#latestStart, exchange.start);
    if (++this.#added % 1024 === 0) this.#sweep();
    return { attempt, link };
  }

  /** Keeps `exchange` as a lead-in for the page's later requests, in order of start. */
  #remember(pageKey: string, exchange: Exchange): void {
    const entry: Sent = { key: leadInKey(exchange), start: exchange.start, end: exchange.end };
    const list = this.#sent.get(pageKey);
    if (list === undefined) {
      this.#sent.set(pageKey, [entry]);
      return;
    }
    let at = list.length;
    while (at > 0 && (list[at - 1] as Sent).start > entry.start) at--;
    list.splice(at, 0, entry);
    if (list.length > LEAD_INS_KEPT) list.shift();
  }

  /** Drops failures too old to be retried, so memory follows the last ten minutes, not the session. */
  #sweep(): void {
    const horizon = this.#latestStart - RETRY_HORIZON_MS;
    for (const [page, sent] of this.#sent) {
      const last = sent[sent.length - 1];
      if (last === undefined || last.start < horizon) this.#sent.delete(page);
    }
    for (const [key, list] of this.#pending) {
      const live = list.filter((p) => !p.consumed && p.attempt.end >= horizon);
      if (live.length === 0) this.#pending.delete(key);
      else this.#pending.set(key, live);
    }
  }
}
