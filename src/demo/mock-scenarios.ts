/**
 * The scenarios of `ratelens mock`: the mock API (mock-api.ts) answering one provider on one
 * port, for any client, with the documented errors a scenario names. Each scenario is a plan
 * every API key (or token) gets, or a documented fault, so the same request meets the same error
 * whatever key a developer's app sends.
 */
import type { CasolaCodeName } from "../core/catalog/casola.js";
import type { FaultRequest, MockApiOptions } from "./mock-api.js";
import type { ScenarioId } from "./scenarios.js";

export type MockProvider = "casola" | "cuadra";
export const MOCK_PROVIDERS: readonly MockProvider[] = ["casola", "cuadra"];

export interface MockScenario {
  name: string;
  /** One line for `ratelens mock --help`. */
  summary: string;
  providers: readonly MockProvider[];
  /** The demo page's client it catches out, where one fits (docs/mock.md, "Scenarios"). */
  demo?: ScenarioId;
  /** The mock's options for this scenario; a fresh state on each call. */
  options(provider: MockProvider): MockApiOptions;
}

/** Both providers' per-user window for a scenario that meets it within seconds. */
const SHORT_WINDOW = { limit: 2, windowMs: 5000 };

/** A documented error on every job submission (POST /v1/jobs), the rest answered as usual. */
function onJobSubmissions(code: CasolaCodeName) {
  return (request: FaultRequest) =>
    request.method === "POST" && request.path.split("?")[0]?.replace(/\/+$/, "") === "/v1/jobs"
      ? code
      : undefined;
}

export const MOCK_SCENARIOS: readonly MockScenario[] = [
  {
    name: "rate-limit",
    summary: "2 requests per key per 5 s window, then 429 with Retry-After until the reset",
    providers: ["casola", "cuadra"],
    demo: "ignore-retry-after",
    options: () => ({ casolaPlan: SHORT_WINDOW, cuadraPlan: SHORT_WINDOW }),
  },
  {
    name: "quota",
    summary: "429 quota_exceeded on every request (Cuadra: 402 on every chat): no wait helps",
    providers: ["casola", "cuadra"],
    demo: "retry-quota",
    options: () => ({ casolaPlan: { quota: 0 }, cuadraPlan: { credits: 0 } }),
  },
  {
    name: "credits",
    summary: "two chat completions of 75 credits, then 402 Insufficient credits",
    providers: ["cuadra"],
    options: () => ({ cuadraPlan: { credits: 150 } }),
  },
  {
    name: "warming-up",
    summary: "503 model_warming_up for each model's first 30 s, then it runs jobs",
    providers: ["casola"],
    options: () => ({ coldModels: "all", warmupMs: 30_000 }),
  },
  {
    name: "flaky",
    summary: "the first attempt of each request fails with a 500, its retry succeeds",
    providers: ["casola", "cuadra"],
    options: (provider) => {
      const seen = new Set<string>();
      return {
        fault: (request) => {
          // Attempts of one request share their Idempotency-Key, else their method, path and body.
          const identity = `${request.client}\n${request.idempotencyKey ?? `${request.method} ${request.path}\n${request.body}`}`;
          if (seen.has(identity)) return undefined;
          // A long session's memory stays bounded; a forgotten request fails once more.
          if (seen.size >= 10_000) seen.clear();
          seen.add(identity);
          return provider === "casola" ? "internal_error" : 500;
        },
      };
    },
  },
  {
    name: "outage",
    summary: "every request fails: 502 worker_error (Cuadra: 500)",
    providers: ["casola", "cuadra"],
    demo: "no-backoff",
    options: (provider) => ({
      fault: () => (provider === "casola" ? "worker_error" : 500),
    }),
  },
  {
    name: "unauthorized",
    summary: "every token is rejected with a 401",
    providers: ["casola", "cuadra"],
    demo: "retry-401",
    options: () => ({ casolaPlan: { revoked: true }, cuadraPlan: { expired: true } }),
  },
  {
    name: "backlog-full",
    summary: "429 backlog_full on every job submission (documented wait 5-10 s)",
    providers: ["casola"],
    options: () => ({ fault: onJobSubmissions("backlog_full") }),
  },
  {
    name: "no-capacity",
    summary: "503 no_capacity on every job submission (documented wait 10-30 s)",
    providers: ["casola"],
    options: () => ({ fault: onJobSubmissions("no_capacity") }),
  },
  {
    name: "timeout",
    summary: "504 timeout on every job submission",
    providers: ["casola"],
    options: () => ({ fault: onJobSubmissions("timeout") }),
  },
];

/** The retryable documented errors `--fail-rate` answers with, one picked at random each time. */
export const TRANSIENT_FAULTS: Readonly<Record<MockProvider, readonly (string | number)[]>> = {
  casola: [
    "internal_error",
    "bad_gateway",
    "worker_error",
    "no_capacity",
    "backlog_full",
    "timeout",
  ],
  cuadra: [500],
};

export function mockScenario(name: string): MockScenario | undefined {
  return MOCK_SCENARIOS.find((scenario) => scenario.name === name);
}

export interface MockSetup {
  provider: MockProvider;
  scenario?: MockScenario | undefined;
  /** The share of requests, 0 to 1, answered with a random TRANSIENT_FAULTS error. */
  failRate?: number | undefined;
  /** Uniform in [0, 1); injectable so tests decide. */
  random?: () => number;
}

/**
 * The mock's options for `ratelens mock`: one provider on every host, no demo keys (any key is a
 * client with the scenario's plan), and without a scenario the documented per-user limit of 60
 * requests a minute (Casola documents none; the same figure keeps them alike).
 */
export function mockApiOptions(setup: MockSetup): MockApiOptions {
  const random = setup.random ?? Math.random;
  const { provider, failRate } = setup;
  const faults = TRANSIENT_FAULTS[provider];
  const failing: MockApiOptions =
    failRate === undefined || failRate <= 0
      ? {}
      : {
          fault: () =>
            random() < failRate ? faults[Math.floor(random() * faults.length)] : undefined,
        };
  return {
    provider,
    demoKeys: false,
    rateLimit: { limit: 60, windowMs: 60_000 },
    cuadraRateLimit: { limit: 60, windowMs: 60_000 },
    ...failing,
    ...setup.scenario?.options(provider),
  };
}
