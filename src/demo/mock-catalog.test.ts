import { describe, expect, it } from "vitest";
import { T0 } from "../../test/support/har.js";
import {
  callHandler,
  type HandlerRequest,
  type HandlerResponse,
} from "../../test/support/http-handler.js";
import { CASOLA_CODES, type CasolaCodeName } from "../core/catalog/casola.js";
import { CUADRA_STATUSES } from "../core/catalog/cuadra.js";
import { createMockApi, type MockApiOptions } from "./mock-api.js";
import { MOCK_SCENARIOS, mockApiOptions } from "./mock-scenarios.js";

const JSON_TYPE = { "content-type": "application/json" };
const JOB = JSON.stringify({ model: "casola/llama-3-8b", prompt: "Summarise" });
const COLD_JOB = JSON.stringify({ model: "casola/sdxl-turbo", prompt: "A cat" });
const CHAT = JSON.stringify({ messages: [{ role: "user", content: "Hello" }] });

type Request = Omit<HandlerRequest, "host"> & { host?: string };

/** Every error the demo's mock gives for a reason of its own, not only when asked by `Prefer`. */
const CASOLA_REQUESTS: Request[] = [
  { method: "GET", path: "/v1/models" },
  { method: "GET", path: "/v1/models", headers: { authorization: "Bearer demo-revoked" } },
  { method: "POST", path: "/v1/jobs", headers: { authorization: "Bearer demo-over-quota" } },
  ...Array.from({ length: 3 }, () => ({
    method: "POST",
    path: "/v1/jobs",
    headers: { authorization: "Bearer demo-impatient", ...JSON_TYPE },
    body: JOB,
  })),
  { method: "POST", path: "/v1/jobs", headers: { authorization: "Bearer k", ...JSON_TYPE } },
  {
    method: "POST",
    path: "/v1/jobs",
    headers: { authorization: "Bearer k", ...JSON_TYPE },
    body: "{not json",
  },
  { method: "POST", path: "/v1/jobs", headers: { authorization: "Bearer k" }, body: JOB },
  {
    method: "POST",
    path: "/v1/jobs",
    headers: { authorization: "Bearer k", ...JSON_TYPE },
    body: JSON.stringify({ model: "casola/unknown", prompt: "x" }),
  },
  {
    method: "POST",
    path: "/v1/jobs",
    headers: { authorization: "Bearer k2", ...JSON_TYPE },
    body: COLD_JOB,
  },
  {
    method: "POST",
    path: "/v1/jobs",
    headers: { authorization: "Bearer k3", ...JSON_TYPE, "idempotency-key": "i" },
    body: JOB,
  },
  {
    method: "POST",
    path: "/v1/jobs",
    headers: { authorization: "Bearer k3", ...JSON_TYPE, "idempotency-key": "i" },
    body: COLD_JOB,
  },
  {
    method: "POST",
    path: "/v1/jobs",
    headers: { authorization: "Bearer demo-gpu-down", ...JSON_TYPE },
    body: JOB,
  },
  {
    method: "POST",
    path: "/v1/jobs",
    headers: { authorization: "Bearer demo-careful", ...JSON_TYPE, "idempotency-key": "f" },
    body: JOB,
  },
  { method: "GET", path: "/v1/jobs/job_none", headers: { authorization: "Bearer k4" } },
  { method: "GET", path: "/v1/models/casola%2Fnone", headers: { authorization: "Bearer k4" } },
  {
    method: "DELETE",
    path: "/v1/models/casola%2Fmistral-7b",
    headers: { authorization: "Bearer k5" },
  },
  { method: "GET", path: "/v1/nowhere", headers: { authorization: "Bearer k5" } },
  ...[
    { email: "nobody" },
    { email: "a@example.com" },
    { email: "a@example.com", invite_code: "expired-1" },
    { email: "taken@example.com", invite_code: "inv-1" },
  ].map((fields, i) => ({
    method: "POST",
    path: "/v1/accounts",
    headers: { authorization: `Bearer acct-${i}`, ...JSON_TYPE },
    body: JSON.stringify(fields),
  })),
];

const CUADRA_REQUESTS: Request[] = [
  { method: "GET", path: "/v1/models" },
  { method: "GET", path: "/v1/usage", headers: { authorization: "Bearer demo-cuadra-expired" } },
  {
    method: "POST",
    path: "/v1/chat/completions",
    headers: { authorization: "Bearer demo-cuadra-read-only", ...JSON_TYPE },
    body: CHAT,
  },
  { method: "GET", path: "/v1/models", headers: { authorization: "Bearer no-models" } },
  ...Array.from({ length: 2 }, () => ({
    method: "POST",
    path: "/v1/chat/completions",
    headers: { authorization: "Bearer demo-cuadra-low-credits", ...JSON_TYPE },
    body: CHAT,
  })),
  {
    method: "POST",
    path: "/v1/chat/completions",
    headers: { authorization: "Bearer t", ...JSON_TYPE },
    body: "{",
  },
  {
    method: "POST",
    path: "/v1/chat/completions",
    headers: { authorization: "Bearer t", ...JSON_TYPE },
    body: "{}",
  },
  ...[CHAT, JSON.stringify({ messages: [{ role: "user", content: "Other" }] })].map((body) => ({
    method: "POST",
    path: "/v1/chat/completions",
    headers: { authorization: "Bearer t", ...JSON_TYPE, "idempotency-key": "same" },
    body,
  })),
  { method: "GET", path: "/v1/nowhere", headers: { authorization: "Bearer t" } },
  ...Array.from({ length: 3 }, () => ({
    method: "GET",
    path: "/v1/usage",
    headers: { authorization: "Bearer busy" },
  })),
  {
    method: "POST",
    path: "/oauth/token",
    host: "auth.cuadra.ai",
    headers: JSON_TYPE,
    body: JSON.stringify({ grant_type: "password" }),
  },
  {
    method: "POST",
    path: "/oauth/token",
    host: "auth.cuadra.ai",
    headers: JSON_TYPE,
    body: JSON.stringify({ grant_type: "client_credentials", client_id: "a", client_secret: "" }),
  },
];

/** Every documented code asked for by name, and Cuadra's by status. */
const FORCED_CASOLA: Request[] = Object.keys(CASOLA_CODES).map((code) => ({
  method: "GET",
  path: "/v1/models",
  headers: { prefer: `code=${code}` },
}));
const FORCED_CUADRA: Request[] = Object.keys(CUADRA_STATUSES).map((status) => ({
  method: "GET",
  path: "/v1/models",
  headers: { prefer: `code=${status}` },
}));

function errorsOf(options: MockApiOptions, host: string, requests: readonly Request[]) {
  const api = createMockApi({
    now: () => T0,
    cuadraTokens: { "no-models": { scopes: ["chat:invoke"] }, busy: { limit: 1 } },
    ...options,
  });
  return requests
    .map((request) => callHandler(api, { host, ...request }))
    .filter((response) => response.status >= 400);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The catalog's detail for a status: its example's figures (a wait, credits, a scope) may vary. */
function documentedDetail(status: number): RegExp {
  const documented = CUADRA_STATUSES[status];
  if (documented === undefined) throw new Error(`no status ${status}`);
  const detail = documented.example?.detail ?? `${documented.meaning}.`;
  const pattern = escapeRegExp(detail)
    .replace(/\d+/g, "\\d+")
    .replace(/\b[a-z]+:[a-z]+\b/g, "[a-z]+:[a-z]+");
  return new RegExp(`^${pattern}$`);
}

function expectCasolaEnvelope(response: HandlerResponse) {
  const { error } = JSON.parse(response.body) as {
    error: { code: CasolaCodeName; message: string; details?: unknown };
  };
  const documented = CASOLA_CODES[error.code];
  expect(documented, `undocumented code ${error.code}`).toBeDefined();
  expect({ status: response.status, code: error.code, message: error.message }).toEqual({
    status: documented.status,
    code: error.code,
    message: documented.meaning,
  });
  expect(Object.keys(error).filter((k) => k !== "details")).toEqual(["code", "message"]);
}

function expectCuadraProblem(response: HandlerResponse) {
  const problem = JSON.parse(response.body) as Record<string, unknown>;
  const documented = CUADRA_STATUSES[response.status];
  expect(documented, `undocumented status ${response.status}`).toBeDefined();
  expect(problem.status).toBe(response.status);
  expect(problem.type).toBe("about:blank");
  expect(problem.title).toBe(documented?.example?.title ?? documented?.title);
  expect(problem.detail).toMatch(documentedDetail(response.status));
}

describe("the mock's error texts are the core's catalog", () => {
  it("every Casola error body of the demo's mock has the catalog's status, code and message", () => {
    const errors = errorsOf({}, "api.casola.ai", [...CASOLA_REQUESTS, ...FORCED_CASOLA]);
    const codes = new Set(
      errors.map((r) => (JSON.parse(r.body) as { error: { code: string } }).error.code),
    );
    expect([...codes].sort()).toEqual(Object.keys(CASOLA_CODES).sort());
    // Those the situation triggers, not only Prefer.
    expect(errors.length).toBeGreaterThan(Object.keys(CASOLA_CODES).length + 15);
    for (const response of errors) expectCasolaEnvelope(response);
  });

  it("every Cuadra error body of the demo's mock has the catalog's title and detail", () => {
    const errors = [...errorsOf({}, "api.cuadra.ai", [...CUADRA_REQUESTS, ...FORCED_CUADRA])];
    expect(new Set(errors.map((r) => r.status))).toEqual(
      new Set(Object.keys(CUADRA_STATUSES).map(Number)),
    );
    expect(errors.length).toBeGreaterThan(Object.keys(CUADRA_STATUSES).length + 10);
    for (const response of errors) expectCuadraProblem(response);
  });

  it("every error of every ratelens mock scenario, and of --fail-rate, is the catalog's", () => {
    for (const provider of ["casola", "cuadra"] as const) {
      const setups = [
        ...MOCK_SCENARIOS.filter((s) => s.providers.includes(provider)).map((scenario) => ({
          scenario,
        })),
        ...[0, 0.2, 0.4, 0.6, 0.8, 0.99].map((draw) => ({ failRate: 1, random: () => draw })),
      ];
      for (const setup of setups) {
        const requests = provider === "casola" ? CASOLA_REQUESTS : CUADRA_REQUESTS;
        const errors = errorsOf(
          mockApiOptions({ provider, ...setup }),
          "127.0.0.1",
          requests.map(({ host: _, ...request }) => request),
        );
        expect(errors.length).toBeGreaterThan(0);
        for (const response of errors) {
          if (provider === "casola") expectCasolaEnvelope(response);
          else expectCuadraProblem(response);
        }
      }
    }
  });
});
