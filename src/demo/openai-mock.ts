/**
 * The OpenAI-shaped part of the demo's mock (mock-api.ts routes `api.openai.com` here), written
 * from OpenAI's rate-limit guide and error-code pages: every answer to a key carries
 * `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` with the resets as Go-style durations
 * ("1s", "6m0s"); a request that would take more tokens or requests than are left gets 429
 * `rate_limit_exceeded` in OpenAI's envelope `{"error": {message, type, param, code}}` with
 * `Retry-After`. A request draws its tokens as the guide says they are counted: the larger of
 * `max_tokens` (or `max_completion_tokens`) and the prompt's estimate, about 4 characters a token.
 * Unsuccessful requests count against the requests meter too, as the guide says they do.
 *
 * Each meter is a fixed window per key that starts with the key's first request after the last
 * one ended; the demo's token window is a few seconds, not OpenAI's minute, so that a scenario
 * meets its limit and its reset within seconds.
 */

export const OPENAI_HOST = "api.openai.com";

/** What an OpenAI API key's project may do. */
export interface OpenAiKeyPlan {
  /** Requests per window (default 500 per minute). */
  requests?: number;
  requestsWindowMs?: number;
  /** Tokens per window (default 30,000 per minute). */
  tokens?: number;
  tokensWindowMs?: number;
}

/**
 * The demo page's keys (page/client.js): three calls of 10,000 tokens spend the first's window;
 * the second's two-minute request window is always spent.
 */
export const DEMO_OPENAI_KEYS: Readonly<Record<string, OpenAiKeyPlan>> = {
  "demo-openai-tokens": { tokens: 30_000, tokensWindowMs: 4000 },
  /**
   * A project whose two-minute request window the app's other users keep spent: every call gets a
   * 429 whose Retry-After is over the SDKs' 60 s ceiling.
   */
  "demo-openai-sdk": { requests: 0, requestsWindowMs: 120_000 },
};

const DEFAULT_PLAN: Required<OpenAiKeyPlan> = {
  requests: 500,
  requestsWindowMs: 60_000,
  tokens: 30_000,
  tokensWindowMs: 60_000,
};

/** A request as the OpenAI mock reads it. */
export interface OpenAiRequest {
  method: string;
  /** The path without its query. */
  path: string;
  header(name: string): string | undefined;
  body: string;
  now: number;
}

export interface OpenAiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** `ms` as Go's time.Duration prints it, to the millisecond: 120ms, 1s, 1.5s, 6m0s, 1h2m3.4s. */
export function goDuration(ms: number): string {
  const whole = Math.max(0, Math.round(ms));
  if (whole === 0) return "0s";
  if (whole < 1000) return `${whole}ms`;
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor(whole / 60_000) % 60;
  const seconds = (whole % 60_000) / 1000;
  return `${hours > 0 ? `${hours}h` : ""}${hours > 0 || minutes > 0 ? `${minutes}m` : ""}${seconds}s`;
}

interface Window {
  start: number;
  used: number;
}

/** A meter's window as the next request meets it: the one in force, or a fresh one from `now`. */
function current(windows: Map<string, Window>, key: string, windowMs: number, now: number) {
  let window = windows.get(key);
  if (window === undefined || now >= window.start + windowMs) {
    if (windows.size > 10_000) windows.clear();
    window = { start: now, used: 0 };
    windows.set(key, window);
  }
  return window;
}

function error(
  status: number,
  message: string,
  type: string,
  code: string | null,
  param: string | null = null,
): OpenAiResponse {
  return {
    status,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ error: { message, type, param, code } }),
  };
}

/** RFC 6750 b64token, as mock-api.ts reads Casola's keys. */
const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*)\s*$/;

/** A request's tokens when it names no max_tokens: its characters over four, rounded up. */
function promptTokens(messages: readonly { content: string }[]): number {
  return Math.ceil(messages.reduce((sum, m) => sum + m.content.length, 0) / 4);
}

export function createOpenAiMock(
  keys: Readonly<Record<string, OpenAiKeyPlan>> = {},
): (request: OpenAiRequest) => OpenAiResponse {
  const plans = new Map(Object.entries({ ...DEMO_OPENAI_KEYS, ...keys }));
  const requestWindows = new Map<string, Window>();
  const tokenWindows = new Map<string, Window>();
  let sequence = 0;

  function meterHeaders(
    plan: Required<OpenAiKeyPlan>,
    requests: Window,
    tokens: Window,
    now: number,
  ): Record<string, string> {
    return {
      "x-ratelimit-limit-requests": String(plan.requests),
      "x-ratelimit-limit-tokens": String(plan.tokens),
      "x-ratelimit-remaining-requests": String(Math.max(0, plan.requests - requests.used)),
      "x-ratelimit-remaining-tokens": String(Math.max(0, plan.tokens - tokens.used)),
      "x-ratelimit-reset-requests": goDuration(requests.start + plan.requestsWindowMs - now),
      "x-ratelimit-reset-tokens": goDuration(tokens.start + plan.tokensWindowMs - now),
    };
  }

  /** The chat request's messages and its token cost, or the 400 OpenAI answers instead. */
  function readChat(request: OpenAiRequest): OpenAiResponse | { model: string; cost: number } {
    let input: unknown;
    try {
      input = JSON.parse(request.body);
    } catch {
      return error(
        400,
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)",
        "invalid_request_error",
        null,
      );
    }
    const fields =
      typeof input === "object" && input !== null ? (input as Record<string, unknown>) : {};
    const messages = fields.messages;
    if (
      !Array.isArray(messages) ||
      messages.length === 0 ||
      !messages.every((m) => typeof (m as { content?: unknown } | null)?.content === "string")
    ) {
      return error(
        400,
        "Missing required parameter: 'messages'.",
        "invalid_request_error",
        "missing_required_parameter",
        "messages",
      );
    }
    const max = fields.max_completion_tokens ?? fields.max_tokens;
    const cost = Math.max(
      typeof max === "number" && max > 0 ? Math.floor(max) : 0,
      promptTokens(messages as { content: string }[]),
    );
    const model = typeof fields.model === "string" ? fields.model : "gpt-4o-mini";
    return { model, cost };
  }

  function completion(model: string, cost: number, now: number): OpenAiResponse {
    const completionTokens = Math.min(cost, 12);
    return {
      status: 200,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        id: `chatcmpl-demo${(++sequence).toString(36).padStart(6, "0")}`,
        object: "chat.completion",
        created: Math.floor(now / 1000),
        model,
        choices: [
          {
            index: 0,
            message: {
              role: "assistant",
              content: "Hello from the OpenAI-shaped mock.",
              refusal: null,
            },
            logprobs: null,
            finish_reason: "stop",
          },
        ],
        usage: {
          prompt_tokens: cost - completionTokens,
          completion_tokens: completionTokens,
          total_tokens: cost,
        },
      }),
    };
  }

  function rateLimited(
    meter: "requests" | "tokens",
    model: string,
    limit: number,
    used: number,
    requested: number,
    waitMs: number,
    windowMs: number,
  ): OpenAiResponse {
    // OpenAI's own words for its minute windows; the demo's shorter window says its length.
    const unit = meter === "tokens" ? "tokens" : "requests";
    const per =
      windowMs === 60_000
        ? `${unit} per min (${meter === "tokens" ? "TPM" : "RPM"})`
        : `${unit} per ${windowMs / 1000} s`;
    const response = error(
      429,
      `Rate limit reached for ${model} in organization org-ratelens-demo on ${per}: Limit ${limit}, Used ${used}, Requested ${requested}. Please try again in ${goDuration(waitMs)}. Visit https://platform.openai.com/account/rate-limits to learn more.`,
      meter,
      "rate_limit_exceeded",
    );
    // Whole seconds, rounded up, so that a client that waits for it never comes back early.
    response.headers["Retry-After"] = String(Math.max(1, Math.ceil(waitMs / 1000)));
    return response;
  }

  return (request) => {
    const token = BEARER.exec(request.header("authorization") ?? "")?.[1];
    if (token === undefined) {
      return error(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        "invalid_request_error",
        null,
      );
    }
    const plan = { ...DEFAULT_PLAN, ...plans.get(token) };
    const { now } = request;
    const requests = current(requestWindows, token, plan.requestsWindowMs, now);
    const tokens = current(tokenWindows, token, plan.tokensWindowMs, now);
    const route = `${request.method} ${request.path.replace(/\/+$/, "")}`;
    const answer = (): OpenAiResponse => {
      const chat = route === "POST /v1/chat/completions" ? readChat(request) : undefined;
      if (chat !== undefined && "status" in chat) return chat;
      const model = chat?.model ?? "gpt-4o-mini";
      if (requests.used > plan.requests) {
        const wait = requests.start + plan.requestsWindowMs - now;
        return rateLimited(
          "requests",
          model,
          plan.requests,
          plan.requests,
          1,
          wait,
          plan.requestsWindowMs,
        );
      }
      if (route === "GET /v1/models") {
        return {
          status: 200,
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({
            object: "list",
            data: [{ id: model, object: "model", created: 1721172741, owned_by: "system" }],
          }),
        };
      }
      if (chat === undefined) {
        return error(
          404,
          `Invalid URL (${request.method} ${request.path})`,
          "invalid_request_error",
          null,
        );
      }
      if (tokens.used + chat.cost > plan.tokens) {
        const wait = tokens.start + plan.tokensWindowMs - now;
        return rateLimited(
          "tokens",
          model,
          plan.tokens,
          tokens.used,
          chat.cost,
          wait,
          plan.tokensWindowMs,
        );
      }
      tokens.used += chat.cost;
      return completion(model, chat.cost, now);
    };
    // Every request the key sends counts against its requests, whatever its answer.
    requests.used++;
    const response = answer();
    Object.assign(response.headers, meterHeaders(plan, requests, tokens, now));
    return response;
  };
}
