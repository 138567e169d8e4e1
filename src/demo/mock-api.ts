/**
 * A mock of the Casola and Cuadra APIs, faithful to their documented errors
 * (docs/decoding-and-retries.md, "What is decoded"), and of OpenAI's rate limits
 * (openai-mock.ts), for the demo page and the e2e tests. It is
 * routed by the Host header, so a browser reaches it under the real host names (Chromium's
 * --host-resolver-rules) and sees the real URLs in DevTools.
 *
 * Trigger convention: a request header `Prefer: code=<code>` answers with that documented error at
 * once, before authentication and rate limiting. Casola takes a documented code
 * (`code=quota_exceeded`), Cuadra a documented status or its derived code (`code=402`,
 * `code=insufficient_credits`). `; retry-after=N` sets the Retry-After of a forced 429. An unknown
 * code is ignored, as RFC 7240 says of preferences a server does not support. Applied preferences
 * are echoed in `Preference-Applied`.
 *
 * `GET /v1/_demo/html-error` on a Casola host answers like a proxy in front of the API: 502 with an
 * HTML page (with script in it) instead of the envelope, no token needed.
 *
 * Natural triggers, in the order they are checked:
 * - Casola: a missing, malformed or revoked `Authorization: Bearer` token -> 401 unauthorized; a key
 *   over its plan quota -> 429 quota_exceeded (every time); a key over its fixed-window rate limit
 *   -> 429 rate_limit with X-RateLimit-* and Retry-After; then the routes: a body that is not JSON
 *   -> 400 invalid_json with details, a body that fails the schema -> 400 validation_error with
 *   details.issues, a body that is not application/json -> 400 bad_request, an unknown model ->
 *   503 not_configured, a cold model -> 503 model_warming_up while it loads, an Idempotency-Key
 *   reused with another body -> 409 conflict, an unknown job, model or route -> 404 not_found,
 *   DELETE of a model -> 403 forbidden, an account without an invite -> 403
 *   platform_invite_required, with an expired invite -> 410 gone, for a taken email -> 409 conflict.
 * - Cuadra: a missing, malformed or expired token -> 401; over the per-user rate limit -> 429 with
 *   Retry-After; a body that is not JSON -> 400; a body that fails the schema -> 422; a token
 *   without the `chat:invoke` (or `models:read`) scope -> 403 "Missing required scope: X"; too few
 *   credits -> 402 "Insufficient credits. Required: N credits. Available: M credits."; an
 *   Idempotency-Key reused with another body -> 409; an unknown route -> 404.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { CASOLA_CODES, type CasolaCodeName } from "../core/catalog/casola.js";
import { CUADRA_STATUSES } from "../core/catalog/cuadra.js";
import { DEFAULT_HOSTS } from "../core/hosts.js";
import type { ProviderId } from "../core/types.js";
import { createOpenAiMock, OPENAI_HOST, type OpenAiKeyPlan } from "./openai-mock.js";

const hostsOf = (provider: ProviderId) =>
  DEFAULT_HOSTS.filter((h) => h.provider === provider).map((h) => h.host);
/** The documented hosts, from the one list Ratelens itself reads (src/core/hosts.ts). */
export const CASOLA_HOSTS: readonly string[] = hostsOf("casola");
export const CUADRA_HOSTS: readonly string[] = hostsOf("cuadra");
/**
 * A Casola staging deployment, as a team would run one: not a documented API host, so Ratelens
 * watches it only once the user adds it (the panel's Hosts view, the options page).
 */
export const STAGING_CASOLA_HOST = "staging.casola.test";
/** Every host the mock answers for. */
export const API_HOSTS: readonly string[] = [
  ...CASOLA_HOSTS,
  ...CUADRA_HOSTS,
  STAGING_CASOLA_HOST,
  OPENAI_HOST,
];

/**
 * The title and detail a Cuadra error carries: the document's example for the status where it
 * shows one, else the status table's title and meaning.
 */
function cuadraText(status: number): { title: string; detail: string } {
  const documented = CUADRA_STATUSES[status];
  if (documented === undefined) throw new Error(`Cuadra documents no status ${status}`);
  return documented.example ?? { title: documented.title, detail: `${documented.meaning}.` };
}

/** The figures of a documented example detail: a wait, credits, a scope (`chat:invoke`). */
const EXAMPLE_FIGURES = /\d+|\b[a-z]+:[a-z]+\b/g;

/**
 * The documented detail with the situation's figures in the example's place, in order: the 429's
 * wait, the 402's required and available credits, the 403's scope.
 */
function cuadraDetail(status: number, figures: readonly (string | number)[] = []): string {
  let next = 0;
  return cuadraText(status).detail.replace(EXAMPLE_FIGURES, (documented) =>
    String(figures[next++] ?? documented),
  );
}

/** Cuadra codes as the analysis names them (the catalog's, derived from the titles), for `Prefer`. */
const CUADRA_CODE_NAMES: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(CUADRA_STATUSES).map(([status, { code }]) => [code, Number(status)]),
);

/** What a Casola API key may do. */
export interface CasolaKeyPlan {
  /** Requests per fixed window (default: the mock's `rateLimit`). */
  limit?: number;
  windowMs?: number;
  /** Requests left in the plan's usage period; at 0 every request gets 429 quota_exceeded. */
  quota?: number;
  /** A revoked key: 401 unauthorized. */
  revoked?: boolean;
  /** Every job submission fails with this code (a broken GPU pool, say). */
  jobFailure?: CasolaCodeName;
  /** The first attempt of each new Idempotency-Key fails with this code; its retry succeeds. */
  flakyJobs?: CasolaCodeName;
}

/** What a Cuadra bearer token may do. */
export interface CuadraTokenPlan {
  /** Default: chat:invoke and models:read. */
  scopes?: readonly string[];
  /** Default 10 000. A chat completion costs CUADRA_CHAT_COST. */
  credits?: number;
  /** An expired token: 401. */
  expired?: boolean;
  limit?: number;
  windowMs?: number;
}

/**
 * The keys the demo page (page/client.js) uses, one per scenario so their rate-limit buckets do
 * not interfere. Windows are short so that a scenario meets its limit and its Retry-After (2-3 s)
 * within a few seconds.
 */
export const DEMO_CASOLA_KEYS: Readonly<Record<string, CasolaKeyPlan>> = {
  "demo-careful": { limit: 4, windowMs: 3000, flakyJobs: "internal_error" },
  "demo-over-quota": { quota: 0 },
  "demo-impatient": { limit: 2, windowMs: 3000 },
  "demo-gpu-down": { limit: 100, windowMs: 10_000, jobFailure: "worker_error" },
  // A long window: the budget stays exhausted, and its reset ahead, for a minute after the
  // scenario ends (one run soon after another meets the same window and its same reset).
  "demo-dashboard": { limit: 2, windowMs: 60_000 },
  "demo-revoked": { revoked: true },
};

export const DEMO_CUADRA_TOKENS: Readonly<Record<string, CuadraTokenPlan>> = {
  "demo-cuadra-careful": {},
  "demo-cuadra-expired": { expired: true },
  "demo-cuadra-read-only": { scopes: ["models:read"] },
  "demo-cuadra-low-credits": { credits: 50 },
};

/** Credits one chat completion costs: the document's example numbers. */
export const CUADRA_CHAT_COST = 75;

export const CASOLA_MODELS = [
  "casola/llama-3-8b",
  "casola/llama-3-70b",
  "casola/mistral-7b",
  "casola/sdxl-turbo",
  "casola/whisper-large-v3",
] as const;

export interface MockApiOptions {
  /** Epoch milliseconds; injectable so tests control time. */
  now?: () => number;
  /** Casola's fixed window per API key, unless the key's plan says otherwise (default 5 per 10 s). */
  rateLimit?: { limit: number; windowMs: number };
  /** Merged over DEMO_CASOLA_KEYS. */
  casolaKeys?: Readonly<Record<string, CasolaKeyPlan>>;
  /** Cuadra's per-user window (default 60 per minute, as documented). */
  cuadraRateLimit?: { limit: number; windowMs: number };
  /** Merged over DEMO_CUADRA_TOKENS. */
  cuadraTokens?: Readonly<Record<string, CuadraTokenPlan>>;
  /** Merged over DEMO_OPENAI_KEYS (openai-mock.ts). */
  openaiKeys?: Readonly<Record<string, OpenAiKeyPlan>>;
  /**
   * Answer every host as this provider: one API on one port, as `ratelens mock` serves it. By
   * default the Host header picks the provider (the demo reaches the mock under the real names).
   */
  provider?: "casola" | "cuadra";
  /** Include DEMO_CASOLA_KEYS and DEMO_CUADRA_TOKENS (default true). */
  demoKeys?: boolean;
  /** The plan of every Casola key no table lists (default: the mock's rateLimit, no quota). */
  casolaPlan?: CasolaKeyPlan;
  /** The plan of every Cuadra token no table lists. */
  cuadraPlan?: CuadraTokenPlan;
  /**
   * A documented error to answer instead of the route, asked after authentication, the quota
   * and the rate-limit window: a Casola code, or a Cuadra status or code; undefined answers as
   * the API does.
   */
  fault?: (request: FaultRequest) => string | number | undefined;
  /** Told of every response the mock sends (`ratelens mock` prints a line for each). */
  onAnswer?: (answer: MockAnswer) => void;
  /** Models that must load onto a GPU on first use (default: casola/sdxl-turbo); "all": every one. */
  coldModels?: readonly string[] | "all";
  /** How long a cold model loads (default 30 s, the documented minimum wait). */
  warmupMs?: number;
  /** How long a Casola job runs before it succeeds (default 1 s). */
  jobDurationMs?: number;
}

/** What a fault is decided on. */
export interface FaultRequest {
  provider: "casola" | "cuadra";
  method: string;
  /** Path and query. */
  path: string;
  /** The bearer token: the client whose window and quota count the request. */
  client: string;
  body: string;
  /** The Idempotency-Key header, if any. */
  idempotencyKey: string | undefined;
  now: number;
}

/** A response as `onAnswer` is told of it. */
export interface MockAnswer {
  method: string;
  /** Path and query. */
  path: string;
  status: number;
  /** The documented error code (Casola's error.code, Cuadra's from its status), if an error. */
  code: string | undefined;
}

/** A request as the mock reads it; header names in lower case. */
interface MockRequest {
  method: string;
  /** The Host header (a port is ignored). */
  host: string;
  /** Path and query, e.g. `/v1/jobs?limit=5`. */
  path: string;
  headers?: Readonly<Record<string, string | undefined>>;
  body?: string;
}

interface MockResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The documented code of an error (Casola's error.code, Cuadra's from its status); not sent. */
  code?: string | undefined;
}

export type MockApiHandler = (req: IncomingMessage, res: ServerResponse) => void;

const EXPOSED_HEADERS = [
  "Date",
  "Retry-After",
  "X-RateLimit-Limit",
  "X-RateLimit-Remaining",
  "X-RateLimit-Reset",
  "x-ratelimit-limit-requests",
  "x-ratelimit-limit-tokens",
  "x-ratelimit-remaining-requests",
  "x-ratelimit-remaining-tokens",
  "x-ratelimit-reset-requests",
  "x-ratelimit-reset-tokens",
  "Preference-Applied",
  "X-Request-Id",
].join(", ");
const ALLOWED_HEADERS = [
  "Authorization",
  "Content-Type",
  "Idempotency-Key",
  "Prefer",
  "X-Request-Id",
  // What OpenAI's and Anthropic's SDKs send with every request.
  "X-Stainless-Lang",
  "X-Stainless-Package-Version",
  "X-Stainless-Runtime",
  "X-Stainless-Retry-Count",
].join(", ");
const ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
const MAX_BODY_BYTES = 1024 * 1024;
/** RFC 6750 b64token. */
const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*)\s*$/;

interface Window {
  start: number;
  count: number;
}

interface Budget {
  limit: number;
  remaining: number;
  resetMs: number;
  allowed: boolean;
}

/** A fixed window per key: the window starts with the key's first request after the last one. */
class FixedWindows {
  readonly #windows = new Map<string, Window>();

  take(key: string, limit: number, windowMs: number, now: number): Budget {
    let window = this.#windows.get(key);
    if (window === undefined || now >= window.start + windowMs) {
      if (this.#windows.size > 10_000) this.#windows.clear();
      window = { start: now, count: 0 };
      this.#windows.set(key, window);
    }
    const resetMs = window.start + windowMs;
    // A rejected request does not count against the window.
    if (window.count >= limit) return { limit, remaining: 0, resetMs, allowed: false };
    window.count++;
    return { limit, remaining: limit - window.count, resetMs, allowed: true };
  }
}

interface Preference {
  code: string;
  retryAfter: number | undefined;
  raw: string;
}

/** `Prefer: respond-async, code=rate_limit; retry-after=2` -> {code, retryAfter}. */
export function parsePreferCode(header: string | undefined): Preference | undefined {
  if (header === undefined) return undefined;
  for (const preference of header.split(",")) {
    const [first, ...params] = preference.split(";").map((part) => part.trim());
    const match = /^code\s*=\s*"?([A-Za-z0-9_]+)"?$/i.exec(first ?? "");
    if (match?.[1] === undefined) continue;
    let retryAfter: number | undefined;
    for (const param of params) {
      const value = /^retry-after\s*=\s*"?(\d{1,6})"?$/i.exec(param)?.[1];
      if (value !== undefined) retryAfter = Number(value);
    }
    return { code: match[1].toLowerCase(), retryAfter, raw: preference.trim() };
  }
  return undefined;
}

function isCasolaCode(code: string): code is CasolaCodeName {
  return Object.hasOwn(CASOLA_CODES, code);
}

function json(value: unknown): string {
  return JSON.stringify(value);
}

function secondsUntil(ms: number, now: number): number {
  return Math.max(1, Math.ceil((ms - now) / 1000));
}

interface Job {
  id: string;
  model: string;
  prompt: string;
  createdAt: number;
}

interface StoredResponse {
  body: string;
  response: MockResponse;
}

interface Context {
  request: MockRequest;
  method: string;
  url: URL;
  header(name: string): string | undefined;
  now: number;
}

export function createMockApi(options: MockApiOptions = {}): MockApiHandler {
  const clock = options.now ?? Date.now;
  const casolaLimit = options.rateLimit ?? { limit: 5, windowMs: 10_000 };
  const cuadraLimit = options.cuadraRateLimit ?? { limit: 60, windowMs: 60_000 };
  const demoKeys = options.demoKeys ?? true;
  const casolaKeys = new Map(
    Object.entries({ ...(demoKeys ? DEMO_CASOLA_KEYS : {}), ...options.casolaKeys }),
  );
  const cuadraTokens = new Map(
    Object.entries({ ...(demoKeys ? DEMO_CUADRA_TOKENS : {}), ...options.cuadraTokens }),
  );
  const casolaPlan = options.casolaPlan ?? {};
  const cuadraPlan = options.cuadraPlan ?? {};
  const warmupMs = options.warmupMs ?? 30_000;
  const jobDurationMs = options.jobDurationMs ?? 1000;
  const cold = options.coldModels ?? ["casola/sdxl-turbo"];
  const isCold = (model: string) => cold === "all" || cold.includes(model);

  const casolaWindows = new FixedWindows();
  const cuadraWindows = new FixedWindows();
  /** Requests used per Casola key in its plan period. */
  const quotaUsed = new Map<string, number>();
  const warmingSince = new Map<string, number>();
  const jobs = new Map<string, Job>();
  const idempotent = new Map<string, StoredResponse>();
  const flakySeen = new Set<string>();
  const accounts = new Set<string>(["taken@example.com"]);
  const credits = new Map<string, number>();
  const openai = createOpenAiMock(options.openaiKeys);
  let sequence = 0;

  const nextId = (prefix: string) => `${prefix}_${(++sequence).toString(36).padStart(6, "0")}`;

  function faultOf(ctx: Context, provider: "casola" | "cuadra", client: string) {
    return options.fault?.({
      provider,
      method: ctx.method,
      path: ctx.request.path,
      client,
      body: ctx.request.body ?? "",
      idempotencyKey: ctx.header("idempotency-key")?.trim() || undefined,
      now: ctx.now,
    });
  }

  // ---- Casola -------------------------------------------------------------------------------

  /**
   * What a proxy in front of the API sends when it answers itself: an HTML page instead of the
   * JSON envelope, with script in it that a viewer of error bodies must never run.
   */
  function proxyErrorPage(): MockResponse {
    return {
      status: 502,
      headers: { "Content-Type": "text/html; charset=utf-8" },
      body: [
        "<!doctype html>",
        "<html><head><title>502 Bad Gateway</title>",
        "<script>globalThis.__ratelensPwned = true;</script></head>",
        '<body><h1>502 Bad Gateway</h1><img src="x" onerror="globalThis.__ratelensPwned = true">',
        "<hr><center>edge-proxy</center></body></html>",
        "",
      ].join("\n"),
    };
  }

  /**
   * The documented envelope: the message is the catalog's meaning of the code, always; what the
   * situation adds (a job id, a model, a reason) goes in `details`.
   */
  function casolaError(code: CasolaCodeName, details?: unknown): MockResponse {
    const error: Record<string, unknown> = { code, message: CASOLA_CODES[code].meaning };
    if (details !== undefined) error.details = details;
    return {
      status: CASOLA_CODES[code].status,
      headers: { "Content-Type": "application/json; charset=utf-8" },
      body: json({ error }),
      code,
    };
  }

  function rateLimitHeaders(budget: Budget): Record<string, string> {
    return {
      "X-RateLimit-Limit": String(budget.limit),
      "X-RateLimit-Remaining": String(budget.remaining),
      // Unix seconds, rounded up so that a client waiting for it never comes back early.
      "X-RateLimit-Reset": String(Math.ceil(budget.resetMs / 1000)),
    };
  }

  /** The documented 429 rate_limit: remaining always 0, Retry-After in seconds. */
  function casolaRateLimited(budget: Budget, now: number, retryAfter?: number): MockResponse {
    const response = casolaError("rate_limit");
    Object.assign(response.headers, rateLimitHeaders({ ...budget, remaining: 0 }), {
      "Retry-After": String(retryAfter ?? secondsUntil(budget.resetMs, now)),
    });
    return response;
  }

  function forcedCasola(code: CasolaCodeName, preference: Preference, ctx: Context) {
    if (code === "rate_limit") {
      const seconds = preference.retryAfter ?? Math.ceil(casolaLimit.windowMs / 1000);
      const budget = {
        limit: casolaLimit.limit,
        remaining: 0,
        resetMs: ctx.now + seconds * 1000,
        allowed: false,
      };
      return casolaRateLimited(budget, ctx.now, seconds);
    }
    if (code === "validation_error") {
      return casolaError(code, {
        issues: [{ path: "prompt", message: "must not be empty" }],
      });
    }
    if (code === "invalid_json") {
      return casolaError(code, { reason: "Unexpected end of JSON input" });
    }
    return casolaError(code);
  }

  function readJsonBody(
    ctx: Context,
  ): { ok: true; value: unknown } | { ok: false; kind: "type" | "empty" | "json"; reason: string } {
    const type = ctx.header("content-type") ?? "";
    if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
      return { ok: false, kind: "type", reason: `Content-Type must be application/json` };
    }
    const body = ctx.request.body ?? "";
    if (body.trim() === "") return { ok: false, kind: "empty", reason: "The body is empty" };
    try {
      return { ok: true, value: JSON.parse(body) };
    } catch (error) {
      return { ok: false, kind: "json", reason: (error as Error).message };
    }
  }

  function casolaBody(ctx: Context) {
    const read = readJsonBody(ctx);
    if (read.ok) return read;
    if (read.kind === "json") {
      return { ok: false as const, response: casolaError("invalid_json", { reason: read.reason }) };
    }
    return { ok: false as const, response: casolaError("bad_request", { reason: read.reason }) };
  }

  function jobView(job: Job, now: number) {
    const age = now - job.createdAt;
    const status =
      age < jobDurationMs / 5 ? "queued" : age < jobDurationMs ? "running" : "succeeded";
    return {
      id: job.id,
      model: job.model,
      status,
      created_at: new Date(job.createdAt).toISOString(),
      ...(status === "succeeded" ? { output: { text: `Done: ${job.prompt.slice(0, 60)}` } } : {}),
    };
  }

  function submitJob(ctx: Context, key: string, plan: CasolaKeyPlan): MockResponse {
    const read = casolaBody(ctx);
    if (!read.ok) return read.response;
    const input = read.value;
    const issues: { path: string; message: string }[] = [];
    const object = typeof input === "object" && input !== null && !Array.isArray(input);
    const fields = object ? (input as Record<string, unknown>) : {};
    if (!object) issues.push({ path: "", message: "must be an object" });
    else {
      if (typeof fields.model !== "string" || fields.model === "")
        issues.push({ path: "model", message: "is required" });
      if (typeof fields.prompt !== "string" || fields.prompt.trim() === "")
        issues.push({ path: "prompt", message: "must not be empty" });
    }
    if (issues.length > 0) return casolaError("validation_error", { issues });
    const model = fields.model as string;
    const prompt = fields.prompt as string;

    const idempotencyKey = ctx.header("idempotency-key")?.trim();
    const storeKey = idempotencyKey ? `casola ${key} ${idempotencyKey}` : undefined;
    if (storeKey !== undefined) {
      const stored = idempotent.get(storeKey);
      if (stored !== undefined) {
        if (stored.body !== ctx.request.body) {
          return casolaError("conflict", {
            reason: "Idempotency-Key already used with a different request body",
          });
        }
        return { ...stored.response, headers: { ...stored.response.headers } };
      }
    }
    if (plan.jobFailure !== undefined) return casolaError(plan.jobFailure);
    if (plan.flakyJobs !== undefined && storeKey !== undefined && !flakySeen.has(storeKey)) {
      flakySeen.add(storeKey);
      return casolaError(plan.flakyJobs);
    }
    if (!(CASOLA_MODELS as readonly string[]).includes(model)) {
      return casolaError("not_configured", { model });
    }
    if (isCold(model)) {
      const since = warmingSince.get(model) ?? ctx.now;
      warmingSince.set(model, since);
      if (ctx.now - since < warmupMs) {
        // The document gives the wait (30 s to 5 min) but no Retry-After for this code.
        return casolaError("model_warming_up", { model });
      }
    }
    const job: Job = { id: nextId("job"), model, prompt, createdAt: ctx.now };
    jobs.set(job.id, job);
    const response: MockResponse = {
      status: 202,
      headers: { "Content-Type": "application/json; charset=utf-8" },
      body: json({ job: jobView(job, ctx.now) }),
    };
    if (storeKey !== undefined)
      idempotent.set(storeKey, { body: ctx.request.body ?? "", response });
    return response;
  }

  function modelView(id: string, now: number) {
    const since = warmingSince.get(id);
    const status = !isCold(id)
      ? "ready"
      : since === undefined
        ? "cold"
        : now - since < warmupMs
          ? "warming_up"
          : "ready";
    return { id, status };
  }

  function createAccount(ctx: Context): MockResponse {
    const read = casolaBody(ctx);
    if (!read.ok) return read.response;
    const fields =
      typeof read.value === "object" && read.value !== null
        ? (read.value as Record<string, unknown>)
        : {};
    const email = fields.email;
    if (typeof email !== "string" || !email.includes("@")) {
      return casolaError("validation_error", {
        issues: [{ path: "email", message: "must be an email address" }],
      });
    }
    const invite = fields.invite_code;
    if (typeof invite !== "string" || invite === "") return casolaError("platform_invite_required");
    if (invite.startsWith("expired"))
      return casolaError("gone", { reason: "Invite link has expired" });
    if (accounts.has(email.toLowerCase())) {
      return casolaError("conflict", { email });
    }
    accounts.add(email.toLowerCase());
    return {
      status: 201,
      headers: { "Content-Type": "application/json; charset=utf-8" },
      body: json({ account: { id: nextId("acct"), email } }),
    };
  }

  function casolaRoute(ctx: Context, key: string, plan: CasolaKeyPlan): MockResponse {
    const { method } = ctx;
    const path = ctx.url.pathname.replace(/\/+$/, "");
    const ok = (value: unknown, status = 200): MockResponse => ({
      status,
      headers: { "Content-Type": "application/json; charset=utf-8" },
      body: json(value),
    });
    if (path === "/v1/jobs" && method === "POST") return submitJob(ctx, key, plan);
    const jobId = /^\/v1\/jobs\/([^/]+)$/.exec(path)?.[1];
    if (jobId !== undefined && method === "GET") {
      const job = jobs.get(jobId);
      return job === undefined
        ? casolaError("not_found", { job: jobId })
        : ok({ job: jobView(job, ctx.now) });
    }
    if (path === "/v1/models" && method === "GET") {
      return ok({ models: CASOLA_MODELS.map((id) => modelView(id, ctx.now)) });
    }
    const modelId = /^\/v1\/models\/(.+)$/.exec(path)?.[1];
    if (modelId !== undefined) {
      const id = decodeURIComponent(modelId);
      if (method === "DELETE") {
        return casolaError("forbidden", { scope: "models:admin" });
      }
      if (method === "GET") {
        return (CASOLA_MODELS as readonly string[]).includes(id)
          ? ok({ model: modelView(id, ctx.now) })
          : casolaError("not_found", { model: id });
      }
    }
    if (path === "/v1/accounts" && method === "POST") return createAccount(ctx);
    if (path === "/v1/usage" && method === "GET") {
      return ok({ usage: { requests: quotaUsed.get(key) ?? 0, quota: plan.quota ?? null } });
    }
    return casolaError("not_found", { route: `${method} ${ctx.url.pathname}` });
  }

  function casola(ctx: Context): MockResponse {
    if (ctx.url.pathname === "/v1/_demo/html-error") return proxyErrorPage();
    const preference = parsePreferCode(ctx.header("prefer"));
    if (preference !== undefined && isCasolaCode(preference.code)) {
      const response = forcedCasola(preference.code, preference, ctx);
      response.headers["Preference-Applied"] = preference.raw;
      return response;
    }
    const token = BEARER.exec(ctx.header("authorization") ?? "")?.[1];
    if (token === undefined) return casolaError("unauthorized");
    const plan = casolaKeys.get(token) ?? casolaPlan;
    if (plan.revoked) return casolaError("unauthorized", { reason: "revoked token" });

    // Over the plan's quota, no wait helps: no window headers, no Retry-After.
    const used = quotaUsed.get(token) ?? 0;
    if (plan.quota !== undefined && used >= plan.quota) {
      return casolaError("quota_exceeded", { quota: plan.quota, used });
    }
    const budget = casolaWindows.take(
      token,
      plan.limit ?? casolaLimit.limit,
      plan.windowMs ?? casolaLimit.windowMs,
      ctx.now,
    );
    if (!budget.allowed) return casolaRateLimited(budget, ctx.now);
    quotaUsed.set(token, used + 1);
    const fault = faultOf(ctx, "casola", token);
    const response =
      typeof fault === "string" && isCasolaCode(fault)
        ? forcedCasola(fault, { code: fault, retryAfter: undefined, raw: "" }, ctx)
        : casolaRoute(ctx, token, plan);
    Object.assign(response.headers, rateLimitHeaders(budget));
    return response;
  }

  // ---- Cuadra -------------------------------------------------------------------------------

  /** A documented Cuadra status from a status or a code (`402`, `insufficient_credits`). */
  function cuadraStatusOf(code: string | number | undefined): number | undefined {
    if (code === undefined) return undefined;
    const status = /^\d+$/.test(String(code)) ? Number(code) : CUADRA_CODE_NAMES[code];
    return status !== undefined && Object.hasOwn(CUADRA_STATUSES, status) ? status : undefined;
  }

  /**
   * Documented problem details: title and detail from the catalog (with the situation's figures
   * in the example's place); what else the situation says goes in a `reason` extension member
   * (RFC 9457, section 3.2).
   */
  function problem(
    status: number,
    situation: { figures?: readonly (string | number)[]; reason?: string } = {},
  ): MockResponse {
    const { title } = cuadraText(status);
    const detail = cuadraDetail(status, situation.figures);
    const reason = situation.reason === undefined ? {} : { reason: situation.reason };
    return {
      status,
      headers: { "Content-Type": "application/problem+json" },
      body: json({ type: "about:blank", title, status, detail, ...reason }),
      code: CUADRA_STATUSES[status]?.code,
    };
  }

  /** The documented 429: Retry-After and X-RateLimit-Remaining: 0, the wait also in the detail. */
  function cuadraRateLimited(seconds: number): MockResponse {
    const response = problem(429, { figures: [seconds] });
    Object.assign(response.headers, {
      "Retry-After": String(seconds),
      "X-RateLimit-Remaining": "0",
    });
    return response;
  }

  function forcedCuadra(status: number, preference: Preference): MockResponse {
    if (status === 429) return cuadraRateLimited(preference.retryAfter ?? 60);
    return problem(status);
  }

  function cuadraBody(ctx: Context) {
    const read = readJsonBody(ctx);
    if (read.ok) return read;
    const reason =
      read.kind === "json" ? `the body is not valid JSON (${read.reason})` : read.reason;
    return { ok: false as const, response: problem(400, { reason }) };
  }

  function chatCompletion(ctx: Context, token: string, plan: CuadraTokenPlan): MockResponse {
    const scopes = plan.scopes ?? ["chat:invoke", "models:read"];
    if (!scopes.includes("chat:invoke")) return problem(403, { figures: ["chat:invoke"] });
    const read = cuadraBody(ctx);
    if (!read.ok) return read.response;
    const input = read.value as { messages?: unknown } | null;
    const messages = typeof input === "object" && input !== null ? input.messages : undefined;
    const valid =
      Array.isArray(messages) &&
      messages.length > 0 &&
      messages.every(
        (m) =>
          typeof m === "object" &&
          m !== null &&
          typeof (m as { role?: unknown }).role === "string" &&
          typeof (m as { content?: unknown }).content === "string",
      );
    if (!valid) {
      return problem(422, { reason: "messages must be a non-empty array of {role, content}" });
    }
    const idempotencyKey = ctx.header("idempotency-key")?.trim();
    const storeKey = idempotencyKey ? `cuadra ${token} ${idempotencyKey}` : undefined;
    const stored = storeKey === undefined ? undefined : idempotent.get(storeKey);
    if (stored !== undefined) {
      if (stored.body !== ctx.request.body) {
        return problem(409, {
          reason: "Idempotency-Key already used with a different request body",
        });
      }
      return { ...stored.response, headers: { ...stored.response.headers } };
    }
    const available = credits.get(token) ?? plan.credits ?? 10_000;
    if (available < CUADRA_CHAT_COST) {
      return problem(402, { figures: [CUADRA_CHAT_COST, available] });
    }
    credits.set(token, available - CUADRA_CHAT_COST);
    const model =
      typeof (input as { model?: unknown }).model === "string"
        ? (input as { model: string }).model
        : "cuadra-chat";
    const response: MockResponse = {
      status: 200,
      headers: { "Content-Type": "application/json; charset=utf-8" },
      body: json({
        id: nextId("chatcmpl"),
        object: "chat.completion",
        created: Math.floor(ctx.now / 1000),
        model,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: "Hello from the Cuadra mock." },
            finish_reason: "stop",
          },
        ],
        usage: { credits: CUADRA_CHAT_COST },
      }),
    };
    if (storeKey !== undefined)
      idempotent.set(storeKey, { body: ctx.request.body ?? "", response });
    return response;
  }

  function oauthToken(ctx: Context): MockResponse {
    const type = ctx.header("content-type") ?? "";
    let fields: Record<string, unknown> = {};
    if (/^application\/x-www-form-urlencoded/i.test(type)) {
      fields = Object.fromEntries(new URLSearchParams(ctx.request.body ?? ""));
    } else {
      const read = cuadraBody(ctx);
      if (!read.ok) return read.response;
      if (typeof read.value === "object" && read.value !== null)
        fields = read.value as Record<string, unknown>;
    }
    if (fields.grant_type !== "client_credentials") {
      return problem(422, { reason: "grant_type must be client_credentials" });
    }
    if (
      typeof fields.client_id !== "string" ||
      typeof fields.client_secret !== "string" ||
      fields.client_secret === "" ||
      fields.client_secret.startsWith("revoked")
    ) {
      return problem(401, { reason: "invalid client credentials" });
    }
    const scope = typeof fields.scope === "string" ? fields.scope : "chat:invoke models:read";
    const token = nextId("m2m");
    cuadraTokens.set(token, { scopes: scope.split(/\s+/).filter(Boolean) });
    return {
      status: 200,
      headers: { "Content-Type": "application/json; charset=utf-8" },
      body: json({ access_token: token, token_type: "Bearer", expires_in: 3600, scope }),
    };
  }

  function cuadra(ctx: Context, host: string): MockResponse {
    const preference = parsePreferCode(ctx.header("prefer"));
    const forced = cuadraStatusOf(preference?.code);
    if (preference !== undefined && forced !== undefined) {
      const response = forcedCuadra(forced, preference);
      response.headers["Preference-Applied"] = preference.raw;
      return response;
    }
    const path = ctx.url.pathname.replace(/\/+$/, "");
    if (host === "auth.cuadra.ai") {
      if (path === "/oauth/token" && ctx.method === "POST") return oauthToken(ctx);
      return problem(404, { reason: `no route for ${ctx.method} ${ctx.url.pathname}` });
    }
    const token = BEARER.exec(ctx.header("authorization") ?? "")?.[1];
    const plan = token === undefined ? undefined : (cuadraTokens.get(token) ?? cuadraPlan);
    if (token === undefined || plan === undefined || plan.expired) return problem(401);
    const budget = cuadraWindows.take(
      token,
      plan.limit ?? cuadraLimit.limit,
      plan.windowMs ?? cuadraLimit.windowMs,
      ctx.now,
    );
    if (!budget.allowed) return cuadraRateLimited(secondsUntil(budget.resetMs, ctx.now));
    const fault = cuadraStatusOf(faultOf(ctx, "cuadra", token));
    if (fault !== undefined) {
      return fault === 429
        ? cuadraRateLimited(secondsUntil(budget.resetMs, ctx.now))
        : problem(fault);
    }

    if (path === "/v1/chat/completions" && ctx.method === "POST") {
      return chatCompletion(ctx, token, plan);
    }
    if (path === "/v1/models" && ctx.method === "GET") {
      if (!(plan.scopes ?? ["models:read"]).includes("models:read")) {
        return problem(403, { figures: ["models:read"] });
      }
      return {
        status: 200,
        headers: { "Content-Type": "application/json; charset=utf-8" },
        body: json({ data: [{ id: "cuadra-chat" }, { id: "cuadra-chat-mini" }] }),
      };
    }
    if (path === "/v1/usage" && ctx.method === "GET") {
      return {
        status: 200,
        headers: { "Content-Type": "application/json; charset=utf-8" },
        body: json({ credits: { available: credits.get(token) ?? plan.credits ?? 10_000 } }),
      };
    }
    return problem(404, { reason: `no route for ${ctx.method} ${ctx.url.pathname}` });
  }

  // ---- Both ---------------------------------------------------------------------------------

  function respond(request: MockRequest): MockResponse {
    const now = clock();
    const host = request.host.trim().toLowerCase().replace(/:\d+$/, "");
    const lower = new Map(
      Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
    );
    const header = (name: string) => lower.get(name);
    const origin = header("origin");
    const cors: Record<string, string> = {
      "Access-Control-Allow-Origin": origin ?? "*",
      "Access-Control-Expose-Headers": EXPOSED_HEADERS,
      Vary: "Origin",
    };
    const common = { Date: new Date(now).toUTCString(), "X-Request-Id": nextId("req") };
    const method = request.method.toUpperCase();

    let response: MockResponse;
    if (method === "OPTIONS" && header("access-control-request-method") !== undefined) {
      // A CORS preflight: the page is served from another origin (http://127.0.0.1:PORT).
      response = {
        status: 204,
        headers: {
          "Access-Control-Allow-Methods": ALLOWED_METHODS,
          "Access-Control-Allow-Headers": ALLOWED_HEADERS,
          "Access-Control-Max-Age": "600",
          ...(header("access-control-request-private-network") === "true"
            ? { "Access-Control-Allow-Private-Network": "true" }
            : {}),
        },
        body: "",
      };
    } else {
      let url: URL;
      try {
        url = new URL(request.path, `https://${host || "invalid"}`);
      } catch {
        url = new URL("https://invalid/");
      }
      const ctx: Context = { request, method, url, header, now };
      if (options.provider === "casola") response = casola(ctx);
      else if (options.provider === "cuadra") {
        // One port serves both of Cuadra's hosts: the token endpoint is auth.cuadra.ai's.
        const tokenEndpoint = url.pathname.replace(/\/+$/, "") === "/oauth/token";
        response = cuadra(ctx, tokenEndpoint ? "auth.cuadra.ai" : "api.cuadra.ai");
      } else if (CASOLA_HOSTS.includes(host) || host === STAGING_CASOLA_HOST)
        response = casola(ctx);
      else if (CUADRA_HOSTS.includes(host)) response = cuadra(ctx, host);
      else if (host === OPENAI_HOST) {
        response = openai({
          method,
          path: url.pathname,
          header,
          body: request.body ?? "",
          now,
        });
      } else {
        response = {
          status: 421,
          headers: { "Content-Type": "text/plain; charset=utf-8" },
          body: `No mock API answers for host "${host}".\n`,
        };
      }
    }
    // Real APIs keep errors out of caches; DevTools treats such unread bodies specially.
    if (response.status >= 400) response.headers["Cache-Control"] = "no-store";
    response.headers = { ...common, ...cors, ...response.headers };
    return response;
  }

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      // Past the cap the body is cut short, and so reads as invalid JSON.
      if (size < MAX_BODY_BYTES) chunks.push(chunk);
      size += chunk.length;
    });
    req.on("error", () => res.destroy());
    req.on("end", () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
      }
      const out = respond({
        method: req.method ?? "GET",
        host: req.headers.host ?? "",
        path: req.url ?? "/",
        headers,
        body: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString("utf8"),
      });
      const body = Buffer.from(out.body, "utf8");
      res.writeHead(out.status, { ...out.headers, "Content-Length": String(body.length) });
      res.end(req.method === "HEAD" ? undefined : body);
      options.onAnswer?.({
        method: req.method ?? "GET",
        path: req.url ?? "/",
        status: out.status,
        code: out.code,
      });
    });
  };

  return handler;
}
