import { describe, expect, it } from "vitest";
import { exchange, T0 } from "../../test/support/har.js";
import {
  callHandler,
  type HandlerRequest,
  type HandlerResponse,
} from "../../test/support/http-handler.js";
import { decodeError } from "../core/decode/decode-error.js";
import { HostTable, urlParts } from "../core/hosts.js";
import { createMockApi, type MockApiOptions } from "./mock-api.js";
import { DEMO_OPENAI_KEYS, goDuration, OPENAI_HOST } from "./openai-mock.js";

const KEY = "demo-openai-tokens";
const SDK_KEY = "demo-openai-sdk";
const CHAT = "/v1/chat/completions";

function mock(options: MockApiOptions = {}) {
  let now = T0;
  const api = createMockApi({ now: () => now, ...options });
  return {
    advance(ms: number) {
      now += ms;
    },
    call(request: Partial<HandlerRequest> & { token?: string | null }): HandlerResponse {
      const { token = KEY, ...rest } = request;
      return callHandler(api, {
        method: "GET",
        host: OPENAI_HOST,
        path: "/v1/models",
        ...rest,
        headers: {
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          ...rest.headers,
        },
      });
    },
  };
}

/** A chat completion asking for up to `maxTokens`, as the demo page's client sends it. */
function chat(maxTokens: number, content = "Summarise chapter 1.") {
  return {
    method: "POST",
    path: CHAT,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content }],
      max_tokens: maxTokens,
    }),
  };
}

function meters(response: HandlerResponse) {
  const h = response.headers;
  return {
    requests: `${h["x-ratelimit-remaining-requests"]}/${h["x-ratelimit-limit-requests"]} ${h["x-ratelimit-reset-requests"]}`,
    tokens: `${h["x-ratelimit-remaining-tokens"]}/${h["x-ratelimit-limit-tokens"]} ${h["x-ratelimit-reset-tokens"]}`,
  };
}

function openAiError(response: HandlerResponse) {
  return (JSON.parse(response.body) as { error: Record<string, unknown> }).error;
}

describe("Go-style durations, as OpenAI's reset headers write them", () => {
  it.each([
    [0, "0s"],
    [1, "1ms"],
    [120, "120ms"],
    [999, "999ms"],
    [1000, "1s"],
    [1500, "1.5s"],
    [59_999, "59.999s"],
    [60_000, "1m0s"],
    [360_000, "6m0s"],
    [3_600_000, "1h0m0s"],
    [85_656_648, "23h47m36.648s"],
    [-5, "0s"],
  ])("%d ms is %s", (ms, text) => {
    expect(goDuration(ms)).toBe(text);
  });
});

describe("the OpenAI-shaped host", () => {
  it("spends the tokens in three calls while requests remain, then 429 until the reset, then 200", () => {
    const { call, advance } = mock();
    const seen = [];
    for (let i = 0; i < 3; i++) {
      const response = call(chat(10_000));
      seen.push([response.status, meters(response)]);
      advance(100);
    }
    expect(seen).toEqual([
      [200, { requests: "499/500 1m0s", tokens: "20000/30000 4s" }],
      [200, { requests: "498/500 59.9s", tokens: "10000/30000 3.9s" }],
      [200, { requests: "497/500 59.8s", tokens: "0/30000 3.8s" }],
    ]);

    const refused = call(chat(10_000));
    expect(refused.status).toBe(429);
    // Requests remain; the tokens do not, and nothing was drawn from them.
    expect(meters(refused)).toEqual({ requests: "496/500 59.7s", tokens: "0/30000 3.7s" });
    expect(refused.headers["Retry-After"]).toBe("4");
    expect(refused.headers["Cache-Control"]).toBe("no-store");
    expect(openAiError(refused)).toEqual({
      message:
        "Rate limit reached for gpt-4o-mini in organization org-ratelens-demo on tokens per 4 s: Limit 30000, Used 30000, Requested 10000. Please try again in 3.7s. Visit https://platform.openai.com/account/rate-limits to learn more.",
      type: "tokens",
      param: null,
      code: "rate_limit_exceeded",
    });

    // Just before the reset the window still holds; at Retry-After it has passed.
    advance(3600);
    expect(call(chat(10_000)).status).toBe(429);
    advance(400);
    const after = call(chat(10_000));
    expect(after.status).toBe(200);
    expect(meters(after)).toEqual({ requests: "494/500 55.7s", tokens: "20000/30000 4s" });
  });

  it("takes a call that fits the tokens left exactly, and refuses one token more", () => {
    const { call } = mock();
    expect(call(chat(25_000)).status).toBe(200);
    expect(call(chat(5001)).status).toBe(429);
    const exact = call(chat(5000));
    expect(exact.status).toBe(200);
    expect(exact.headers["x-ratelimit-remaining-tokens"]).toBe("0");
  });

  it("counts the larger of max_tokens and the prompt's estimate, max_completion_tokens first", () => {
    const { call } = mock({ openaiKeys: { k: { tokens: 1000 } } });
    const tokensLeft = (request: Partial<HandlerRequest>) =>
      Number(call({ ...request, token: "k" }).headers["x-ratelimit-remaining-tokens"]);
    expect(tokensLeft(chat(100, "x".repeat(40)))).toBe(900);
    // 400 characters are about 100 tokens: more than the 10 asked for.
    expect(tokensLeft(chat(10, "x".repeat(400)))).toBe(800);
    const body = JSON.stringify({
      messages: [{ role: "user", content: "hi" }],
      max_tokens: 500,
      max_completion_tokens: 50,
    });
    expect(tokensLeft({ ...chat(0), body })).toBe(750);
  });

  it("draws a request but no tokens for the model list, which answers while the tokens are spent", () => {
    const { call } = mock();
    for (let i = 0; i < 3; i++) call(chat(10_000));
    const models = call({});
    expect(models.status).toBe(200);
    expect(meters(models).requests).toMatch(/^496\/500 /);
    expect(meters(models).tokens).toMatch(/^0\/30000 /);
  });

  it("refuses a key over its requests with 429 on requests, and counts the refused ones", () => {
    const { call } = mock({ openaiKeys: { few: { requests: 2, requestsWindowMs: 10_000 } } });
    expect(call({ ...chat(10), token: "few" }).status).toBe(200);
    expect(call({ token: "few" }).status).toBe(200);
    const refused = call({ ...chat(10), token: "few" });
    expect(refused.status).toBe(429);
    expect(openAiError(refused)).toMatchObject({ type: "requests", code: "rate_limit_exceeded" });
    expect(refused.headers["Retry-After"]).toBe("10");
    expect(refused.headers["x-ratelimit-remaining-requests"]).toBe("0");
    expect(refused.headers["x-ratelimit-remaining-tokens"]).toBe("29990");
  });

  it("sends the six rate-limit headers on every answer to a key, errors included", () => {
    const { call } = mock();
    for (const response of [
      call(chat(10)),
      call({ method: "POST", path: CHAT, body: "{not json" }),
      call({ ...chat(10), body: JSON.stringify({ model: "gpt-4o-mini" }) }),
      call({ path: "/v1/nope" }),
    ]) {
      expect(Object.keys(response.headers).filter((h) => h.startsWith("x-ratelimit-"))).toEqual([
        "x-ratelimit-limit-requests",
        "x-ratelimit-limit-tokens",
        "x-ratelimit-remaining-requests",
        "x-ratelimit-remaining-tokens",
        "x-ratelimit-reset-requests",
        "x-ratelimit-reset-tokens",
      ]);
    }
  });

  it("answers errors in OpenAI's envelope: no key, a body that is not JSON, no messages, no route", () => {
    const { call } = mock();
    const noKey = call({ ...chat(10), token: null });
    expect(noKey.status).toBe(401);
    expect(openAiError(noKey)).toMatchObject({ type: "invalid_request_error", code: null });
    expect(Object.keys(noKey.headers).some((h) => h.startsWith("x-ratelimit-"))).toBe(false);
    const notJson = call({ method: "POST", path: CHAT, body: "{not json" });
    expect(notJson.status).toBe(400);
    expect(openAiError(notJson)).toMatchObject({ param: null, code: null });
    const noMessages = call({ ...chat(10), body: JSON.stringify({ model: "gpt-4o-mini" }) });
    expect(noMessages.status).toBe(400);
    expect(openAiError(noMessages)).toEqual({
      message: "Missing required parameter: 'messages'.",
      type: "invalid_request_error",
      param: "messages",
      code: "missing_required_parameter",
    });
    const noRoute = call({ method: "DELETE", path: CHAT });
    expect(noRoute.status).toBe(404);
    expect(openAiError(noRoute).message).toBe(`Invalid URL (DELETE ${CHAT})`);
  });

  it("is decoded as a retryable rate-limit error with its wait, on a host the user added", () => {
    const { call } = mock();
    for (let i = 0; i < 3; i++) call(chat(10_000));
    const refused = call(chat(10_000));
    const url = `https://${OPENAI_HOST}${CHAT}`;
    const hosts = new HostTable([{ host: OPENAI_HOST, provider: "generic" }]);
    const decoded = decodeError(
      exchange({
        url,
        method: "POST",
        status: refused.status,
        headers: refused.headers,
        body: refused.body,
        mimeType: refused.headers["Content-Type"],
      }),
      hosts.providerOf(urlParts(url)),
    );
    expect(decoded).toMatchObject({
      provider: "generic",
      status: 429,
      code: "rate_limit_exceeded",
      retryable: true,
      retryAfterSeconds: 4,
    });
  });

  it("keeps each key's windows apart, the demo page's key included", () => {
    expect(Object.keys(DEMO_OPENAI_KEYS)).toEqual([KEY, SDK_KEY]);
    const { call } = mock();
    for (let i = 0; i < 3; i++) call(chat(10_000));
    const other = call({ ...chat(10_000), token: "another-project" });
    expect(other.status).toBe(200);
    expect(meters(other)).toEqual({ requests: "499/500 1m0s", tokens: "20000/30000 1m0s" });
  });

  it("answers the SDK scenario's key a 429 whose Retry-After is over the SDKs' 60 s ceiling", () => {
    const { call, advance } = mock();
    const first = call({ ...chat(50), token: SDK_KEY });
    expect(first.status).toBe(429);
    expect(openAiError(first)).toMatchObject({ code: "rate_limit_exceeded" });
    expect(first.headers["Retry-After"]).toBe("120");
    advance(1500);
    expect(call({ ...chat(50), token: SDK_KEY }).headers["Retry-After"]).toBe("119");
    // Near miss: the other demo key's window is its own.
    expect(call(chat(50)).status).toBe(200);
  });
});
