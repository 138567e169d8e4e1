// The demo page's API clients, one scenario per button. Each scenario is a top-level function
// that calls fetch() itself, so the caller DevTools records for a request names the scenario's
// function and line. Each scenario has a key of its own, so their rate-limit buckets do not
// interfere.

// `?api=http://127.0.0.1:8080` sends every Casola and Cuadra request to one API base instead, a
// `ratelens mock` answering as the scenario's provider (docs/mock.md, "Pointing an app at it").
const API = new URLSearchParams(globalThis.location?.search ?? "").get("api")?.replace(/\/+$/, "");
const CASOLA = API || "https://api.casola.ai";
const CASOLA_US = API || "https://api.us.casola.ai";
const CASOLA_EU = API || "https://api.eu.casola.ai";
const CUADRA = API || "https://api.cuadra.ai";
const OPENAI = "https://api.openai.com";

/**
 * One API key or token per scenario: DEMO_CASOLA_KEYS and DEMO_CUADRA_TOKENS in ../mock-api.ts,
 * DEMO_OPENAI_KEYS in ../openai-mock.ts.
 */
const KEYS = {
  careful: "demo-careful",
  carefulChat: "demo-cuadra-careful",
  overQuota: "demo-over-quota",
  impatient: "demo-impatient",
  expiredToken: "demo-cuadra-expired",
  gpuDown: "demo-gpu-down",
  dashboard: "demo-dashboard",
  openai: "demo-openai-tokens",
  openaiSdk: "demo-openai-sdk",
};

function bearer(key) {
  return `Bearer ${key}`;
}

/** Casola codes documented as retryable (docs/decoding-and-retries.md, "What is decoded"). */
const CASOLA_RETRYABLE = new Set([
  "rate_limit",
  "backlog_full",
  "internal_error",
  "bad_gateway",
  "worker_error",
  "no_capacity",
  "model_warming_up",
  "timeout",
]);

/** Documented minimum waits for codes that come without a Retry-After. */
const CASOLA_MIN_WAIT_MS = { backlog_full: 5000, no_capacity: 10_000, model_warming_up: 30_000 };

let reporter = {
  request: (record) => console.log(record),
  outcome: (text) => console.log(text),
};

/** Where each request's record and each scenario's outcome go (the page's log). */
export function setReporter(next) {
  reporter = next;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function jitter() {
  return Math.random() * 500;
}

function newIdempotencyKey() {
  return (
    globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`
  );
}

async function readJson(res) {
  try {
    return await res.json();
  } catch {
    return undefined;
  }
}

/** Casola's error.code, or the title of Cuadra's problem details. */
function codeOf(body) {
  if (typeof body?.error?.code === "string") return body.error.code;
  if (typeof body?.title === "string" && typeof body?.status === "number") return body.title;
  return "";
}

function record(method, url, res, body, note) {
  reporter.request({
    method,
    url,
    status: res.status,
    code: codeOf(body),
    remaining: res.headers.get("X-RateLimit-Remaining"),
    retryAfter: res.headers.get("Retry-After"),
    note,
  });
}

/** How long the careful client waits before the next attempt, or undefined: do not retry. */
function carefulDelay(provider, res, code, attempt) {
  const retryable =
    provider === "cuadra" ? res.status === 429 || res.status >= 500 : CASOLA_RETRYABLE.has(code);
  if (!retryable) return undefined;
  const retryAfter = Number.parseInt(res.headers.get("Retry-After") ?? "", 10);
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000 + jitter();
  const backoff = Math.min(1000 * 2 ** attempt, 60_000) + jitter();
  return Math.max(backoff, CASOLA_MIN_WAIT_MS[code] ?? 0);
}

/** Remembers what the last response said of the budget. */
function noteBudget(budget, res) {
  const remaining = res.headers.get("X-RateLimit-Remaining");
  const reset = res.headers.get("X-RateLimit-Reset");
  if (remaining !== null) budget.remaining = Number(remaining);
  if (reset !== null) budget.resetAt = Number(reset) * 1000;
}

/** Holds back while the budget is spent, until its reset. */
async function waitForBudget(budget) {
  const wait = budget.resetAt - Date.now();
  if (budget.remaining === 0 && wait > 0) await sleep(wait + jitter());
}

/**
 * #careful: submits a job, polls it, then asks Cuadra about it. Exponential backoff with jitter,
 * Retry-After honoured, the budget respected, non-retryable errors never retried, and the same
 * Idempotency-Key on every attempt of a POST. The first attempt meets a transient 500.
 */
export async function carefulClient() {
  const budget = { remaining: undefined, resetAt: 0 };
  const jobKey = newIdempotencyKey();
  const jobBody = JSON.stringify({
    model: "casola/llama-3-8b",
    prompt: `Summarise the quarterly report (request ${jobKey.slice(0, 8)})`,
  });
  let job;
  for (let attempt = 0; attempt < 4 && job === undefined; attempt++) {
    await waitForBudget(budget);
    const res = await fetch(`${CASOLA}/v1/jobs`, {
      method: "POST",
      headers: {
        Authorization: bearer(KEYS.careful),
        "Content-Type": "application/json",
        "Idempotency-Key": jobKey,
      },
      body: jobBody,
    });
    noteBudget(budget, res);
    const data = await readJson(res);
    record("POST", `${CASOLA}/v1/jobs`, res, data);
    if (res.ok) {
      job = data.job;
      break;
    }
    const delay = carefulDelay("casola", res, codeOf(data), attempt);
    if (delay === undefined) return reporter.outcome(`${codeOf(data)} is not retryable: stopped`);
    await sleep(delay);
  }
  if (job === undefined) return reporter.outcome("gave up submitting the job");

  for (let poll = 0, attempt = 0; poll < 10 && job.status !== "succeeded"; poll++) {
    await sleep(400);
    await waitForBudget(budget);
    const res = await fetch(`${CASOLA}/v1/jobs/${job.id}`, {
      headers: { Authorization: bearer(KEYS.careful) },
    });
    noteBudget(budget, res);
    const data = await readJson(res);
    record("GET", `${CASOLA}/v1/jobs/${job.id}`, res, data);
    if (res.ok) {
      job = data.job;
      attempt = 0;
      continue;
    }
    const delay = carefulDelay("casola", res, codeOf(data), attempt++);
    if (delay === undefined) return reporter.outcome(`${codeOf(data)} is not retryable: stopped`);
    await sleep(delay);
  }

  const chatKey = newIdempotencyKey();
  const chatBody = JSON.stringify({
    model: "cuadra-chat",
    messages: [{ role: "user", content: `Explain the result of job ${job.id} in one line.` }],
  });
  for (let attempt = 0; attempt < 3; attempt++) {
    const res = await fetch(`${CUADRA}/v1/chat/completions`, {
      method: "POST",
      headers: {
        Authorization: bearer(KEYS.carefulChat),
        "Content-Type": "application/json",
        "Idempotency-Key": chatKey,
      },
      body: chatBody,
    });
    const data = await readJson(res);
    record("POST", `${CUADRA}/v1/chat/completions`, res, data);
    if (res.ok) return reporter.outcome(`job ${job.id} ${job.status}; chat answered`);
    const delay = carefulDelay("cuadra", res, codeOf(data), attempt);
    if (delay === undefined) return reporter.outcome(`${codeOf(data)} is not retryable: stopped`);
    await sleep(delay);
  }
  reporter.outcome("gave up on the chat completion");
}

/** #retry-quota: takes every 429 for "slow down", but quota_exceeded does not pass by waiting. */
export async function retryQuota() {
  const body = JSON.stringify({
    model: "casola/llama-3-70b",
    prompt: "Translate the release notes into French",
  });
  for (let attempt = 1; attempt <= 3; attempt++) {
    const res = await fetch(`${CASOLA}/v1/jobs`, {
      method: "POST",
      headers: { Authorization: bearer(KEYS.overQuota), "Content-Type": "application/json" },
      body,
    });
    const data = await readJson(res);
    record("POST", `${CASOLA}/v1/jobs`, res, data);
    if (res.status !== 429) return reporter.outcome(`finished with ${res.status}`);
    if (attempt < 3) await sleep(500 * attempt);
  }
  reporter.outcome("gave up after 3 attempts");
}

/**
 * #ignore-retry-after: submits three jobs at once on a key allowed two per window, then sends the
 * rejected ones again every half second, whatever their Retry-After says.
 */
export async function ignoreRetryAfter() {
  const headers = { Authorization: bearer(KEYS.impatient), "Content-Type": "application/json" };
  let pending = [1, 2, 3].map((n) =>
    JSON.stringify({ model: "casola/mistral-7b", prompt: `Write a caption for photo ${n}` }),
  );
  let retried = 0;
  for (let round = 0; round <= 3 && pending.length > 0; round++) {
    if (round > 0) await sleep(500);
    const sent = [];
    for (const body of pending) {
      sent.push(fetch(`${CASOLA_US}/v1/jobs`, { method: "POST", headers, body }));
    }
    const responses = await Promise.all(sent);
    const rejected = [];
    for (const [i, res] of responses.entries()) {
      const data = await readJson(res);
      record("POST", `${CASOLA_US}/v1/jobs`, res, data);
      if (res.status === 429) rejected.push(pending[i]);
    }
    if (round > 0) retried += pending.length;
    pending = rejected;
  }
  reporter.outcome(`${retried} retries, none of them waiting for Retry-After`);
}

/** #retry-401: retries with the same expired token, as if a 401 could heal by itself. */
export async function retryUnauthorized() {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const res = await fetch(`${CUADRA}/v1/usage`, {
      headers: { Authorization: bearer(KEYS.expiredToken) },
    });
    const problem = await readJson(res);
    record("GET", `${CUADRA}/v1/usage`, res, problem);
    if (res.ok) return reporter.outcome("usage read");
    if (attempt < 3) await sleep(300 * attempt);
  }
  reporter.outcome("gave up after 3 attempts (the token was never refreshed)");
}

/**
 * #no-backoff: the sloppy client. It retries a 502 worker_error every 300 ms and looks at
 * res.status only: it never reads the body (no res.json()), so these Cache-Control: no-store
 * error responses stay unread, which DevTools treats specially.
 */
export async function noBackoff() {
  const body = JSON.stringify({
    model: "casola/llama-3-8b",
    prompt: "Classify the open support tickets",
  });
  for (let attempt = 1; attempt <= 4; attempt++) {
    const res = await fetch(`${CASOLA_EU}/v1/jobs`, {
      method: "POST",
      headers: { Authorization: bearer(KEYS.gpuDown), "Content-Type": "application/json" },
      body,
    });
    record("POST", `${CASOLA_EU}/v1/jobs`, res, undefined, "body not read");
    if (res.ok) return reporter.outcome("submitted");
    if (attempt < 4) await sleep(300);
  }
  reporter.outcome("gave up after 4 attempts, 300 ms apart");
}

const DASHBOARD_MODELS = [
  "casola/llama-3-8b",
  "casola/llama-3-70b",
  "casola/mistral-7b",
  "casola/sdxl-turbo",
  "casola/whisper-large-v3",
];

/** #zero-budget: refreshes a dashboard card per model, showing the budget but never obeying it. */
export async function zeroBudget() {
  for (const [i, model] of DASHBOARD_MODELS.entries()) {
    if (i > 0) await sleep(250);
    const res = await fetch(`${CASOLA}/v1/models/${model}`, {
      headers: { Authorization: bearer(KEYS.dashboard) },
    });
    const data = await readJson(res);
    record("GET", `${CASOLA}/v1/models/${model}`, res, data);
  }
  reporter.outcome("refreshed every card, remaining 0 or not");
}

/** What the OpenAI-shaped host's headers say of both its meters, for the page's log. */
function openaiMeters(res) {
  const meter = (name) =>
    `${name} ${res.headers.get(`x-ratelimit-remaining-${name}`)}/${res.headers.get(`x-ratelimit-limit-${name}`)}`;
  return `${meter("tokens")}, ${meter("requests")}`;
}

/**
 * #openai-tokens: summarises four chapters on an OpenAI-shaped host, each call asking for up to
 * 10,000 tokens, as OpenAI's SDKs retry: a 429 is retried after its Retry-After, and the
 * x-ratelimit headers are never read. Three calls spend the window's 30,000 tokens while hundreds
 * of requests remain; the fourth is sent with no tokens left, gets 429 rate_limit_exceeded, waits
 * the Retry-After and gets its answer.
 */
export async function openaiTokens() {
  let waits = 0;
  for (let chapter = 1; chapter <= 4; chapter++) {
    const body = JSON.stringify({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: `Summarise chapter ${chapter} of the annual report.` }],
      max_tokens: 10_000,
    });
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${OPENAI}/v1/chat/completions`, {
        method: "POST",
        headers: { Authorization: bearer(KEYS.openai), "Content-Type": "application/json" },
        body,
      });
      const data = await readJson(res);
      record("POST", `${OPENAI}/v1/chat/completions`, res, data, openaiMeters(res));
      if (res.ok) break;
      const retryAfter = Number.parseInt(res.headers.get("Retry-After") ?? "", 10);
      if (res.status !== 429 || attempt === 2) {
        return reporter.outcome(`chapter ${chapter}: ${res.status}, stopped`);
      }
      waits++;
      const delay = Number.isFinite(retryAfter) ? retryAfter * 1000 : 1000 * 2 ** attempt;
      await sleep(delay + jitter());
    }
  }
  reporter.outcome(`four chapters summarised, ${waits} Retry-After waited for`);
}

/** The headers OpenAI's Node SDK (openai-node) sends with every request, as it names them. */
function stainlessHeaders(retryCount) {
  return {
    "X-Stainless-Lang": "js",
    "X-Stainless-Package-Version": "4.104.0",
    "X-Stainless-Runtime": "browser:chrome",
    "X-Stainless-Retry-Count": String(retryCount),
  };
}

/**
 * #openai-sdk: a chat app on OpenAI's SDK with its default retries (maxRetries: 2), on a project
 * whose request window is spent: the call gets 429 rate_limit_exceeded with a Retry-After of
 * about 120 s, which the SDK does not wait because it is over its 60 s ceiling; it retries after
 * its own backoff (0.5 s, then 1 s, less up to a quarter), twice, into the same window. The loop
 * is the SDK's, and so is its cure: its maxRetries option.
 */
export async function openaiSdk() {
  const body = JSON.stringify({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: "Suggest a title for the annual report." }],
    max_tokens: 50,
  });
  for (let call = 1; call <= 1; call++) {
    for (let retries = 0; ; retries++) {
      const res = await fetch(`${OPENAI}/v1/chat/completions`, {
        method: "POST",
        headers: {
          Authorization: bearer(KEYS.openaiSdk),
          "Content-Type": "application/json",
          ...stainlessHeaders(retries),
        },
        body,
      });
      const data = await readJson(res);
      record("POST", `${OPENAI}/v1/chat/completions`, res, data, openaiMeters(res));
      if (res.ok) break;
      const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
      if (!retryable || retries === 2) {
        return reporter.outcome(`call ${call}: ${res.status} after ${retries} SDK retries`);
      }
      const retryAfter = Number.parseInt(res.headers.get("Retry-After") ?? "", 10) * 1000;
      const backoff = Math.min(0.5 * 2 ** retries, 8) * 1000 * (1 - Math.random() * 0.25);
      await sleep(retryAfter > 0 && retryAfter <= 60_000 ? retryAfter : backoff);
    }
  }
  reporter.outcome("a title suggested");
}

/** The scenarios by button id, in the order "Run all" runs them. */
export const SCENARIO_FUNCTIONS = {
  careful: carefulClient,
  "retry-quota": retryQuota,
  "ignore-retry-after": ignoreRetryAfter,
  "retry-401": retryUnauthorized,
  "no-backoff": noBackoff,
  "zero-budget": zeroBudget,
  "openai-tokens": openaiTokens,
  "openai-sdk": openaiSdk,
};
