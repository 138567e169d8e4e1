import { CASOLA, CUADRA, casolaError, problem } from "../../../../test/support/har.js";
import { CHAT, JOB, ok, scenario } from "../../../../test/support/scenario.js";

export const firing = scenario({
  about: "a POST retried after 429 quota_exceeded, and a Cuadra 402 retried",
  calls: [
    {
      at: 0,
      method: "POST",
      url: `${CASOLA}/jobs`,
      body: JOB,
      status: 429,
      json: casolaError("quota_exceeded", "Plan usage limit reached"),
      caller: { fn: "retryQuota", line: 31 },
    },
    {
      at: 2,
      method: "POST",
      url: `${CASOLA}/jobs`,
      body: JOB,
      status: 429,
      json: casolaError("quota_exceeded", "Plan usage limit reached"),
      caller: { fn: "retryQuota", line: 31 },
    },
    {
      at: 5,
      method: "POST",
      url: `${CUADRA}/chat`,
      body: CHAT,
      requestHeaders: { "idempotency-key": "k-1" },
      status: 402,
      json: problem(
        402,
        "Insufficient Credits",
        "Insufficient credits. Required: 75 credits. Available: 50 credits.",
      ),
    },
    {
      at: 6,
      method: "POST",
      url: `${CUADRA}/chat`,
      body: CHAT,
      requestHeaders: { "idempotency-key": "k-1" },
      status: 402,
      json: problem(
        402,
        "Insufficient Credits",
        "Insufficient credits. Required: 75 credits. Available: 50 credits.",
      ),
    },
  ],
  findings: [
    { rule: "retry-non-retryable", entries: [0, 1] },
    { rule: "retry-non-retryable", entries: [2, 3] },
  ],
});

// Not a change of `firing`: what clears this rule is a retry of a corrected request, which the
// timeline shows on other errors (a 400 retried with another body, a 404 with another URL).
export const nearMiss = scenario({
  about: "a 400 validation_error followed by a corrected body, and a 404 followed by another URL",
  calls: [
    {
      at: 0,
      method: "POST",
      url: `${CASOLA}/jobs`,
      body: '{"prompt":""}',
      status: 400,
      json: {
        error: {
          code: "validation_error",
          message: "Request body failed schema validation",
          details: { issues: [{ path: "prompt", message: "must not be empty" }] },
        },
      },
    },
    {
      at: 1,
      method: "POST",
      url: `${CASOLA}/jobs`,
      body: '{"prompt":"hi"}',
      status: 200,
      json: ok,
    },
    {
      at: 2,
      method: "GET",
      url: `${CASOLA}/models/x`,
      status: 404,
      json: casolaError("not_found", "Resource not found"),
    },
    { at: 3, method: "GET", url: `${CASOLA}/models/y`, status: 200, json: { id: "y" } },
  ],
  findings: [],
});
