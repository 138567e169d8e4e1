import { describe, expect, it } from "vitest";
import { T0 } from "../../test/support/har.js";
import { callHandler, type HandlerResponse } from "../../test/support/http-handler.js";
import { CUADRA_HOSTS, createMockApi, type MockAnswer } from "./mock-api.js";
import {
  MOCK_SCENARIOS,
  type MockProvider,
  type MockSetup,
  mockApiOptions,
  mockScenario,
} from "./mock-scenarios.js";
import { SCENARIOS } from "./scenarios.js";

const JOB = JSON.stringify({ model: "casola/llama-3-8b", prompt: "Summarise the report" });
const CHAT = JSON.stringify({ messages: [{ role: "user", content: "Hello" }] });

/** `ratelens mock` as the CLI builds it, on a clock the test moves. */
function mock(provider: MockProvider, setup: Omit<MockSetup, "provider"> = {}) {
  let now = T0;
  const answers: MockAnswer[] = [];
  const api = createMockApi({
    ...mockApiOptions({ provider, ...setup }),
    now: () => now,
    onAnswer: (answer) => answers.push(answer),
  });
  const send = (method: string, path: string, body?: string, headers = {}): HandlerResponse =>
    callHandler(api, {
      method,
      // Any host: the CLI's mock answers as its one provider, whatever name reached it.
      host: "127.0.0.1:8080",
      path,
      headers: {
        authorization: "Bearer my-app-key",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      ...(body === undefined ? {} : { body }),
    });
  return {
    answers,
    advance: (ms: number) => {
      now += ms;
    },
    job: (headers = {}) => send("POST", "/v1/jobs", JOB, headers),
    chat: (headers = {}) => send("POST", "/v1/chat/completions", CHAT, headers),
    send,
  };
}

const scenario = (name: string) => {
  const found = mockScenario(name);
  if (found === undefined) throw new Error(`no scenario ${name}`);
  return found;
};

function error(response: HandlerResponse) {
  const body = JSON.parse(response.body) as Record<string, unknown>;
  return (body.error as { code?: string } | undefined)?.code ?? body.title;
}

describe("ratelens mock without a scenario", () => {
  it("answers any host as its provider, for any key, with the documented window's headers", () => {
    const casola = mock("casola");
    const response = casola.job();
    expect(response.status).toBe(202);
    expect(response.headers["X-RateLimit-Limit"]).toBe("60");
    expect(response.headers["X-RateLimit-Remaining"]).toBe("59");
    expect(mock("cuadra").chat().status).toBe(200);
  });

  it("keeps the demo's keys out: a key named like one gets the default plan", () => {
    expect(mock("casola").job({ authorization: "Bearer demo-over-quota" }).status).toBe(202);
  });

  it("answers a Cuadra token request on the same port as the API", () => {
    const response = mock("cuadra").send(
      "POST",
      "/oauth/token",
      JSON.stringify({ grant_type: "client_credentials", client_id: "app", client_secret: "s" }),
    );
    expect(response.status).toBe(200);
  });

  it("tells onAnswer each response's method, path, status and documented code", () => {
    const casola = mock("casola");
    casola.job();
    casola.send("GET", "/v1/jobs/nope?x=1");
    expect(casola.answers).toEqual([
      { method: "POST", path: "/v1/jobs", status: 202, code: undefined },
      { method: "GET", path: "/v1/jobs/nope?x=1", status: 404, code: "not_found" },
    ]);
  });
});

describe("ratelens mock --scenario", () => {
  it("rate-limit: two requests per key, then 429 with Retry-After until the window resets", () => {
    for (const provider of ["casola", "cuadra"] as const) {
      const api = mock(provider, { scenario: scenario("rate-limit") });
      const call = provider === "casola" ? api.job : api.chat;
      expect([call().status, call().status]).toEqual(
        provider === "casola" ? [202, 202] : [200, 200],
      );
      api.advance(1000);
      const limited = call();
      expect(limited.status).toBe(429);
      expect(limited.headers["Retry-After"]).toBe("4");
      expect(limited.headers["X-RateLimit-Remaining"]).toBe("0");
      // Another key is another client, with its own window.
      expect(call({ authorization: "Bearer other-key" }).status).not.toBe(429);
      api.advance(4000);
      expect(call().status).not.toBe(429);
    }
    const casola = mock("casola", { scenario: scenario("rate-limit") });
    casola.job();
    casola.job();
    expect(casola.job().headers).toMatchObject({
      "X-RateLimit-Limit": "2",
      "X-RateLimit-Reset": String(Math.ceil((T0 + 5000) / 1000)),
    });
  });

  it("quota: Casola 429 quota_exceeded without Retry-After; Cuadra 402 on a chat completion", () => {
    const casola = mock("casola", { scenario: scenario("quota") }).job();
    expect([casola.status, error(casola), casola.headers["Retry-After"]]).toEqual([
      429,
      "quota_exceeded",
      undefined,
    ]);
    const cuadra = mock("cuadra", { scenario: scenario("quota") }).chat();
    expect(cuadra.status).toBe(402);
    expect(JSON.parse(cuadra.body).detail).toBe(
      "Insufficient credits. Required: 75 credits. Available: 0 credits.",
    );
  });

  it("credits: two chat completions, then 402 with the credits left", () => {
    const api = mock("cuadra", { scenario: scenario("credits") });
    expect([api.chat().status, api.chat().status]).toEqual([200, 200]);
    const refused = api.chat();
    expect(refused.status).toBe(402);
    expect(JSON.parse(refused.body).detail).toContain("Available: 0 credits.");
  });

  it("warming-up: every model 503 model_warming_up for 30 s, then jobs run", () => {
    const api = mock("casola", { scenario: scenario("warming-up") });
    const warming = api.job();
    expect([warming.status, error(warming), warming.headers["Retry-After"]]).toEqual([
      503,
      "model_warming_up",
      undefined,
    ]);
    api.advance(29_000);
    expect(api.job().status).toBe(503);
    api.advance(1000);
    expect(api.job().status).toBe(202);
  });

  it("flaky: the first attempt of a request fails with a 500, its retry succeeds", () => {
    const casola = mock("casola", { scenario: scenario("flaky") });
    const first = casola.job();
    expect([first.status, error(first)]).toEqual([500, "internal_error"]);
    expect(casola.job().status).toBe(202);
    const keyed = casola.job({ "idempotency-key": "k-1" });
    expect(keyed.status).toBe(500);
    expect(casola.job({ "idempotency-key": "k-1" }).status).toBe(202);
    const cuadra = mock("cuadra", { scenario: scenario("flaky") });
    expect([cuadra.chat().status, cuadra.chat().status]).toEqual([500, 200]);
  });

  it("outage: every request fails, 502 worker_error on Casola, 500 on Cuadra", () => {
    const casola = mock("casola", { scenario: scenario("outage") });
    for (const response of [casola.job(), casola.job(), casola.send("GET", "/v1/models")]) {
      expect([response.status, error(response)]).toEqual([502, "worker_error"]);
    }
    expect(mock("cuadra", { scenario: scenario("outage") }).chat().status).toBe(500);
  });

  it("unauthorized: every token gets a 401", () => {
    expect(error(mock("casola", { scenario: scenario("unauthorized") }).job())).toBe(
      "unauthorized",
    );
    const cuadra = mock("cuadra", { scenario: scenario("unauthorized") }).send("GET", "/v1/usage");
    expect([cuadra.status, JSON.parse(cuadra.body).detail]).toEqual([
      401,
      "Invalid or expired token.",
    ]);
  });

  it.each([
    ["backlog-full", 429, "backlog_full"],
    ["no-capacity", 503, "no_capacity"],
    ["timeout", 504, "timeout"],
  ])("%s: every job submission gets %i %s, other routes answer", (name, status, code) => {
    const api = mock("casola", { scenario: scenario(name) });
    const response = api.job();
    expect([response.status, error(response), response.headers["Retry-After"]]).toEqual([
      status,
      code,
      undefined,
    ]);
    expect(api.send("GET", "/v1/models").status).toBe(200);
  });

  it("names the demo clients it catches out, on a provider it serves (the e2e test runs them)", () => {
    const linked = MOCK_SCENARIOS.filter((s) => s.demo !== undefined);
    expect(linked.map((s) => [s.name, s.demo])).toEqual([
      ["rate-limit", "ignore-retry-after"],
      ["quota", "retry-quota"],
      ["outage", "no-backoff"],
      ["unauthorized", "retry-401"],
    ]);
    for (const s of linked) {
      const demo = SCENARIOS.find((d) => d.id === s.demo);
      const provider = demo?.hosts.every((h) => CUADRA_HOSTS.includes(h)) ? "cuadra" : "casola";
      expect(s.providers).toContain(provider);
    }
  });

  it("names each scenario once, with a one-line summary and the providers it serves", () => {
    const names = MOCK_SCENARIOS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const s of MOCK_SCENARIOS) {
      expect(s.summary).not.toContain("\n");
      expect(s.providers.length).toBeGreaterThan(0);
    }
  });
});

describe("ratelens mock --fail-rate", () => {
  it("fails the share of requests the random draw falls under, with a retryable documented error", () => {
    const draws = [0.1, 0.5, 0.9, 0.95];
    const api = mock("casola", { failRate: 0.2, random: () => draws.shift() ?? 0.99 });
    const failed = api.job();
    // 0.1 < 0.2 fails; 0.5 picks the fourth of six transient codes.
    expect([failed.status, error(failed)]).toEqual([503, "no_capacity"]);
    expect(api.job().status).toBe(202);
  });

  it("fails nothing at 0 and everything at 1", () => {
    expect(mock("cuadra", { failRate: 0, random: () => 0 }).chat().status).toBe(200);
    expect(mock("cuadra", { failRate: 1, random: () => 0.5 }).chat().status).toBe(500);
  });
});
