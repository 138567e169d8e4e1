import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { exchange, T0 } from "../../test/support/har.js";
import {
  callHandler,
  type HandlerRequest as MockRequest,
  type HandlerResponse as MockResponse,
} from "../../test/support/http-handler.js";
import { CASOLA_CODES } from "../core/catalog/casola.js";
import { CUADRA_STATUSES } from "../core/catalog/cuadra.js";
import { decodeError } from "../core/decode/decode-error.js";
import { HostTable, urlParts } from "../core/hosts.js";
import type { DecodedError } from "../core/types.js";
import { createMockApi, type MockApiOptions, parsePreferCode } from "./mock-api.js";

function mock(options: MockApiOptions = {}) {
  let now = T0;
  const api = createMockApi({ now: () => now, ...options });
  return {
    api,
    advance(ms: number) {
      now += ms;
    },
    call(request: Partial<MockRequest> & { token?: string }): MockResponse {
      const { token, ...rest } = request;
      const headers = { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) };
      return callHandler(api, {
        method: "GET",
        host: "api.casola.ai",
        path: "/v1/models",
        ...rest,
        headers: { ...headers, ...rest.headers },
      });
    },
  };
}

const hosts = new HostTable();

/** What Ratelens makes of the response, through the real decoder. */
function decoded(request: Partial<MockRequest>, response: MockResponse): DecodedError | undefined {
  const url = `https://${request.host ?? "api.casola.ai"}${request.path ?? "/v1/models"}`;
  return decodeError(
    exchange({
      url,
      method: request.method ?? "GET",
      status: response.status,
      headers: response.headers,
      body: response.body,
      mimeType: response.headers["Content-Type"],
    }),
    hosts.providerOf(urlParts(url)),
  );
}

function body(response: MockResponse): Record<string, unknown> {
  return JSON.parse(response.body) as Record<string, unknown>;
}

function casolaBody(response: MockResponse) {
  return body(response).error as { code: string; message: string; details?: unknown };
}

const JOB = JSON.stringify({ model: "casola/llama-3-8b", prompt: "Summarise the report" });
const json = { "content-type": "application/json" };

describe("Casola errors", () => {
  it.each(Object.entries(CASOLA_CODES))(
    "answers Prefer: code=%s with its documented status, envelope and retryability",
    (code, documented) => {
      const { call } = mock();
      const request = { headers: { prefer: `code=${code}` } };
      const response = call(request);
      expect(response.status).toBe(documented.status);
      expect(response.headers["Content-Type"]).toMatch(/^application\/json/);
      expect(response.headers["Cache-Control"]).toBe("no-store");
      expect(response.headers["Preference-Applied"]).toBe(`code=${code}`);
      expect(casolaBody(response)).toMatchObject({ code, message: documented.meaning });
      expect(decoded(request, response)).toMatchObject({
        provider: "casola",
        status: documented.status,
        code,
        retryable: documented.retryable,
        contract: [],
      });
    },
  );

  it("sends the documented rate-limit headers and Retry-After on a forced rate_limit", () => {
    const { call } = mock();
    const response = call({ headers: { prefer: "code=rate_limit; retry-after=3" } });
    expect(response.headers).toMatchObject({
      "Retry-After": "3",
      "X-RateLimit-Limit": "5",
      "X-RateLimit-Remaining": "0",
      "X-RateLimit-Reset": String(T0 / 1000 + 3),
    });
  });

  it("answers a missing, malformed or revoked token with 401 unauthorized", () => {
    const { call } = mock();
    for (const authorization of [
      undefined,
      "Basic dXNlcjpwYXNz",
      "Bearer",
      "Bearer demo-revoked",
    ]) {
      const response = call({ headers: authorization ? { authorization } : {} });
      expect(response.status, authorization).toBe(401);
      expect(casolaBody(response).code).toBe("unauthorized");
      expect(response.headers["X-RateLimit-Limit"]).toBeUndefined();
    }
  });

  it("answers a body that is not JSON with invalid_json and the parser's reason in details", () => {
    const { call } = mock();
    const request = { method: "POST", path: "/v1/jobs", headers: json, body: '{"model": ' };
    const response = call({ ...request, token: "k-1" });
    expect(response.status).toBe(400);
    expect(casolaBody(response)).toMatchObject({
      code: "invalid_json",
      details: { reason: expect.any(String) },
    });
    expect(decoded(request, response)?.details).toEqual(casolaBody(response).details);
  });

  it("answers a body that fails the schema with validation_error listing the issues", () => {
    const { call } = mock();
    const response = call({
      method: "POST",
      path: "/v1/jobs",
      headers: json,
      body: '{"model":"casola/llama-3-8b","prompt":""}',
      token: "k-1",
    });
    expect(response.status).toBe(400);
    expect(casolaBody(response)).toEqual({
      code: "validation_error",
      message: "Request body failed schema validation",
      details: { issues: [{ path: "prompt", message: "must not be empty" }] },
    });
  });

  it("answers natural failures with their documented codes", () => {
    const { call } = mock({ rateLimit: { limit: 100, windowMs: 10_000 } });
    const post = (path: string, payload: string, headers: Record<string, string> = json) =>
      call({ method: "POST", path, headers, body: payload, token: "k-1" });
    const codeOf = (response: MockResponse) => `${response.status} ${casolaBody(response).code}`;

    expect(codeOf(post("/v1/jobs", JOB, { "content-type": "text/plain" }))).toBe("400 bad_request");
    expect(codeOf(post("/v1/jobs", JSON.stringify({ model: "casola/gpt-9", prompt: "x" })))).toBe(
      "503 not_configured",
    );
    expect(codeOf(call({ path: "/v1/jobs/job_missing", token: "k-1" }))).toBe("404 not_found");
    expect(codeOf(call({ path: "/v1/nowhere", token: "k-1" }))).toBe("404 not_found");
    expect(
      codeOf(call({ method: "DELETE", path: "/v1/models/casola/llama-3-8b", token: "k-1" })),
    ).toBe("403 forbidden");
    expect(codeOf(post("/v1/accounts", '{"email":"new@example.com"}'))).toBe(
      "403 platform_invite_required",
    );
    expect(
      codeOf(post("/v1/accounts", '{"email":"new@example.com","invite_code":"expired-1"}')),
    ).toBe("410 gone");
    expect(
      codeOf(post("/v1/accounts", '{"email":"taken@example.com","invite_code":"inv-1"}')),
    ).toBe("409 conflict");
    expect(post("/v1/accounts", '{"email":"new@example.com","invite_code":"inv-1"}').status).toBe(
      201,
    );
  });

  it("replays a job for a repeated Idempotency-Key and refuses the key with another body", () => {
    const { call } = mock();
    const submit = (payload: string) =>
      call({
        method: "POST",
        path: "/v1/jobs",
        headers: { ...json, "idempotency-key": "key-1" },
        body: payload,
        token: "k-1",
      });
    const first = submit(JOB);
    expect(first.status).toBe(202);
    expect(body(submit(JOB))).toEqual(body(first));
    const other = submit(JSON.stringify({ model: "casola/llama-3-8b", prompt: "Other" }));
    expect(`${other.status} ${casolaBody(other).code}`).toBe("409 conflict");
  });

  it("runs a job from queued to succeeded", () => {
    const { call, advance } = mock({ jobDurationMs: 1000 });
    const created = body(
      call({ method: "POST", path: "/v1/jobs", headers: json, body: JOB, token: "k-1" }),
    ).job as { id: string; status: string };
    expect(created.status).toBe("queued");
    advance(500);
    const poll = () => body(call({ path: `/v1/jobs/${created.id}`, token: "k-1" })).job as never;
    expect(poll()).toMatchObject({ status: "running" });
    advance(600);
    expect(poll()).toMatchObject({ status: "succeeded", output: { text: expect.any(String) } });
  });

  it("fails the first attempt of each Idempotency-Key on a flaky key, and not its retry", () => {
    const { call } = mock({ casolaKeys: { flaky: { flakyJobs: "internal_error" } } });
    const submit = (key: string) =>
      call({
        method: "POST",
        path: "/v1/jobs",
        headers: { ...json, "idempotency-key": key },
        body: JOB,
        token: "flaky",
      }).status;
    expect([submit("a"), submit("a"), submit("b"), submit("b")]).toEqual([500, 202, 500, 202]);
  });

  it("warms a cold model up: 503 model_warming_up without Retry-After, then ready", () => {
    const { call, advance } = mock({ warmupMs: 30_000, rateLimit: { limit: 100, windowMs: 1000 } });
    const request = {
      method: "POST",
      path: "/v1/jobs",
      headers: json,
      body: JSON.stringify({ model: "casola/sdxl-turbo", prompt: "A lighthouse at dusk" }),
    };
    const first = call({ ...request, token: "k-1" });
    expect(first.status).toBe(503);
    expect(casolaBody(first).code).toBe("model_warming_up");
    expect(first.headers["Retry-After"]).toBeUndefined();
    expect(decoded(request, first)).toMatchObject({ retryable: true, contract: [] });
    expect(decoded(request, first)?.retryAfterSeconds).toBeUndefined();
    advance(29_000);
    expect(call({ ...request, token: "k-1" }).status).toBe(503);
    advance(1000);
    expect(call({ ...request, token: "k-1" }).status).toBe(202);
  });

  it("answers the proxy error page route with 502 HTML that carries script", () => {
    const { call } = mock();
    const response = call({ path: "/v1/_demo/html-error" });
    expect(response.status).toBe(502);
    expect(response.headers["Content-Type"]).toMatch(/^text\/html/);
    expect(response.body).toContain("<script>");
    expect(decoded({ path: "/v1/_demo/html-error" }, response)?.contract).toEqual([
      'the body is not the documented {"error": {"code", "message"}} envelope',
    ]);
  });
});

describe("Casola rate limiting", () => {
  it("counts down a fixed window per key, then answers 429 rate_limit until the reset", () => {
    const { call, advance } = mock({ rateLimit: { limit: 5, windowMs: 10_000 } });
    const reset = String(T0 / 1000 + 10);
    const remaining: string[] = [];
    for (let i = 0; i < 5; i++) {
      const response = call({ token: "k-1" });
      expect(response.status).toBe(200);
      expect(response.headers["X-RateLimit-Limit"]).toBe("5");
      expect(response.headers["X-RateLimit-Reset"]).toBe(reset);
      remaining.push(response.headers["X-RateLimit-Remaining"] ?? "");
      advance(100);
    }
    expect(remaining).toEqual(["4", "3", "2", "1", "0"]);

    advance(3500); // 4 s into the window
    const limited = call({ token: "k-1" });
    expect(limited.status).toBe(429);
    expect(casolaBody(limited).code).toBe("rate_limit");
    expect(limited.headers).toMatchObject({
      "Retry-After": "6",
      "X-RateLimit-Limit": "5",
      "X-RateLimit-Remaining": "0",
      "X-RateLimit-Reset": reset,
      "Cache-Control": "no-store",
    });
    expect(decoded({}, limited)).toMatchObject({
      code: "rate_limit",
      retryable: true,
      retryAfterSeconds: 6,
      contract: [],
    });

    // Another key has a bucket of its own.
    expect(call({ token: "k-2" }).headers["X-RateLimit-Remaining"]).toBe("4");

    advance(6000);
    const after = call({ token: "k-1" });
    expect(after.status).toBe(200);
    expect(after.headers["X-RateLimit-Remaining"]).toBe("4");
    expect(after.headers["X-RateLimit-Reset"]).toBe(String(T0 / 1000 + 20));
  });

  it("rounds X-RateLimit-Reset and Retry-After up, so a client that waits for them is on time", () => {
    const { call, advance } = mock({ rateLimit: { limit: 1, windowMs: 3000 } });
    advance(250);
    expect(call({ token: "k-1" }).headers["X-RateLimit-Reset"]).toBe(String(T0 / 1000 + 4));
    advance(1000);
    expect(call({ token: "k-1" }).headers["Retry-After"]).toBe("2");
  });

  it("answers a key over its plan quota with 429 quota_exceeded every time, not retryable", () => {
    const { call, advance } = mock({ casolaKeys: { spent: { quota: 2 } } });
    expect(call({ token: "spent" }).status).toBe(200);
    expect(call({ token: "spent" }).status).toBe(200);
    for (let i = 0; i < 3; i++) {
      const response = call({ token: "spent" });
      expect(response.status).toBe(429);
      expect(casolaBody(response).code).toBe("quota_exceeded");
      expect(response.headers["Retry-After"]).toBeUndefined();
      expect(decoded({}, response)).toMatchObject({ retryable: false, contract: [] });
      advance(60_000);
    }
    expect(casolaBody(call({ token: "demo-over-quota" })).code).toBe("quota_exceeded");
  });
});

describe("Cuadra errors", () => {
  const cuadra = { host: "api.cuadra.ai", path: "/v1/chat/completions", method: "POST" };

  it.each(Object.entries(CUADRA_STATUSES))(
    "answers Prefer: code=%s with RFC 7807 problem details",
    (status, documented) => {
      const { call } = mock();
      for (const code of [status, documented.code]) {
        const request = { ...cuadra, headers: { prefer: `code=${code}` } };
        const response = call(request);
        expect(response.status).toBe(Number(status));
        expect(response.headers["Content-Type"]).toBe("application/problem+json");
        expect(response.headers["Cache-Control"]).toBe("no-store");
        const problem = body(response);
        expect(Object.keys(problem).sort()).toEqual(["detail", "status", "title", "type"]);
        expect(problem).toMatchObject({
          type: "about:blank",
          title: documented.example?.title ?? documented.title,
          status: Number(status),
        });
        expect(decoded(request, response)).toMatchObject({
          provider: "cuadra",
          code: documented.code,
          retryable: documented.retryable,
          contract: [],
        });
      }
    },
  );

  it("uses the document's texts for 401, 402, 403 and 429", () => {
    const { call } = mock();
    const detail = (code: number) =>
      body(call({ ...cuadra, headers: { prefer: `code=${code}` } })).detail;
    expect(detail(401)).toBe("Invalid or expired token.");
    expect(detail(402)).toBe("Insufficient credits. Required: 75 credits. Available: 50 credits.");
    expect(detail(403)).toBe("Missing required scope: chat:invoke");
    expect(detail(429)).toBe("Rate limit exceeded. Retry after 60 seconds.");
    const limited = call({ ...cuadra, headers: { prefer: "code=429" } });
    expect(limited.headers).toMatchObject({ "Retry-After": "60", "X-RateLimit-Remaining": "0" });
  });

  it("answers natural failures: token, scope, credits, body and route", () => {
    const { call } = mock();
    const chat = JSON.stringify({ messages: [{ role: "user", content: "Hello" }] });
    const post = (token: string | undefined, payload: string, headers = json) =>
      call({ ...cuadra, token, headers, body: payload });

    expect(post(undefined, chat).status).toBe(401);
    expect(body(post("demo-cuadra-expired", chat)).detail).toBe("Invalid or expired token.");

    const scope = post("demo-cuadra-read-only", chat);
    expect(scope.status).toBe(403);
    expect(decoded(cuadra, scope)?.scope).toBe("chat:invoke");

    const credits = post("demo-cuadra-low-credits", chat);
    expect(credits.status).toBe(402);
    expect(body(credits).detail).toBe(
      "Insufficient credits. Required: 75 credits. Available: 50 credits.",
    );
    expect(decoded(cuadra, credits)).toMatchObject({
      code: "insufficient_credits",
      credits: { required: 75, available: 50 },
      retryable: false,
    });

    expect(post("t-1", "{nope").status).toBe(400);
    expect(post("t-1", '{"messages": []}').status).toBe(422);
    expect(call({ host: "api.cuadra.ai", path: "/v1/nowhere", token: "t-1" }).status).toBe(404);

    const ok = post("t-1", chat);
    expect(ok.status).toBe(200);
    expect(body(ok)).toMatchObject({ object: "chat.completion", usage: { credits: 75 } });
  });

  it("replays a chat for a repeated Idempotency-Key and answers 409 for another body", () => {
    const { call } = mock();
    const post = (content: string) =>
      call({
        ...cuadra,
        token: "t-1",
        headers: { ...json, "idempotency-key": "idem-1" },
        body: JSON.stringify({ messages: [{ role: "user", content }] }),
      });
    const first = post("Hello");
    expect(post("Hello").body).toBe(first.body);
    expect(post("Bye").status).toBe(409);
  });

  it("limits each token per window with 429, Retry-After and the wait in the detail", () => {
    const { call, advance } = mock({ cuadraRateLimit: { limit: 2, windowMs: 60_000 } });
    const get = () => call({ host: "api.cuadra.ai", path: "/v1/usage", token: "t-1" });
    expect([get().status, get().status]).toEqual([200, 200]);
    advance(15_000);
    const limited = get();
    expect(limited.status).toBe(429);
    expect(limited.headers).toMatchObject({ "Retry-After": "45", "X-RateLimit-Remaining": "0" });
    expect(body(limited).detail).toBe("Rate limit exceeded. Retry after 45 seconds.");
    expect(decoded({ host: "api.cuadra.ai", path: "/v1/usage" }, limited)).toMatchObject({
      code: "too_many_requests",
      retryable: true,
      retryAfterSeconds: 45,
      contract: [],
    });
    advance(45_000);
    expect(get().status).toBe(200);
  });

  it("issues M2M tokens on auth.cuadra.ai and refuses bad client credentials", () => {
    const { call } = mock();
    const token = (payload: Record<string, string>) =>
      call({
        host: "auth.cuadra.ai",
        method: "POST",
        path: "/oauth/token",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(payload).toString(),
      });
    const issued = token({ grant_type: "client_credentials", client_id: "c", client_secret: "s" });
    expect(issued.status).toBe(200);
    const { access_token } = body(issued) as { access_token: string };
    expect(call({ host: "api.cuadra.ai", path: "/v1/usage", token: access_token }).status).toBe(
      200,
    );
    const refused = token({ grant_type: "client_credentials", client_id: "c", client_secret: "" });
    expect(refused.status).toBe(401);
    expect(refused.headers["Content-Type"]).toBe("application/problem+json");
  });
});

describe("CORS, dates and hosts", () => {
  it("answers a preflight from the page's origin with what the demo clients send", () => {
    const { call } = mock();
    const response = call({
      method: "OPTIONS",
      path: "/v1/jobs",
      headers: {
        origin: "http://127.0.0.1:5173",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type,idempotency-key,prefer",
      },
    });
    expect(response.status).toBe(204);
    expect(response.body).toBe("");
    expect(response.headers["Access-Control-Allow-Origin"]).toBe("http://127.0.0.1:5173");
    expect(response.headers.Vary).toBe("Origin");
    expect(response.headers["Access-Control-Allow-Methods"]).toContain("POST");
    const allowed = response.headers["Access-Control-Allow-Headers"]?.toLowerCase().split(/, */);
    expect(allowed).toEqual(
      expect.arrayContaining(["authorization", "content-type", "idempotency-key", "prefer"]),
    );
  });

  it("exposes the rate-limit headers and sends Date on every response, errors uncacheable", () => {
    const { call, advance } = mock();
    advance(1500);
    for (const response of [
      call({ token: "k-1" }),
      call({ headers: { prefer: "code=rate_limit" } }),
      call({ host: "api.cuadra.ai", path: "/v1/usage" }),
    ]) {
      expect(response.headers.Date).toBe(new Date(T0 + 1500).toUTCString());
      expect(response.headers["Access-Control-Allow-Origin"]).toBe("*");
      const exposed = response.headers["Access-Control-Expose-Headers"]?.split(", ");
      expect(exposed).toEqual(
        expect.arrayContaining([
          "Retry-After",
          "X-RateLimit-Limit",
          "X-RateLimit-Remaining",
          "X-RateLimit-Reset",
          "Date",
        ]),
      );
      expect(response.headers["Cache-Control"]).toBe(
        response.status >= 400 ? "no-store" : undefined,
      );
    }
  });

  it("routes by the Host header, port or not, and answers 421 for any other host", () => {
    const { call } = mock();
    for (const host of ["api.us.casola.ai", "api.eu.casola.ai:443", "API.AP.CASOLA.AI"]) {
      expect(call({ host, token: "k-1" }).status, host).toBe(200);
    }
    expect(call({ host: "example.com" }).status).toBe(421);
  });

  it("reads the code and retry-after of a Prefer header among other preferences", () => {
    expect(parsePreferCode('respond-async, code="rate_limit"; retry-after=2')).toEqual({
      code: "rate_limit",
      retryAfter: 2,
      raw: 'code="rate_limit"; retry-after=2',
    });
    expect(parsePreferCode("return=minimal")).toBeUndefined();
    expect(parsePreferCode(undefined)).toBeUndefined();
    const { call } = mock();
    expect(call({ token: "k-1", headers: { prefer: "code=no_such_code" } }).status).toBe(200);
  });

  it("serves node:http requests, reading the body and writing headers", async () => {
    let now = T0;
    const server = http.createServer(createMockApi({ now: () => now }));
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await new Promise<{
        status: number;
        headers: http.IncomingHttpHeaders;
        text: string;
      }>((done, fail) => {
        const req = http.request(
          {
            port,
            host: "127.0.0.1",
            method: "POST",
            path: "/v1/jobs",
            headers: {
              host: "api.casola.ai",
              authorization: "Bearer k-1",
              "content-type": "application/json",
            },
          },
          (res) => {
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => {
              text += chunk;
            });
            res.on("end", () => done({ status: res.statusCode ?? 0, headers: res.headers, text }));
          },
        );
        req.on("error", fail);
        req.end("{not json");
      });
      now += 1;
      expect(response.status).toBe(400);
      expect(response.headers["content-length"]).toBe(String(Buffer.byteLength(response.text)));
      expect(response.headers.date).toBe(new Date(T0).toUTCString());
      expect(response.headers["x-ratelimit-remaining"]).toBe("4");
      expect(JSON.parse(response.text)).toMatchObject({ error: { code: "invalid_json" } });
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
});
