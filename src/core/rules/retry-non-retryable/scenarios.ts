import { CASOLA, casolaError, problem } from "../../../../test/support/har.js";
import { scenario, sent } from "../../../../test/support/scenario.js";
import { ok, postChat, postJob, quotaExceeded } from "../../../../test/support/traffic.js";

export const firing = scenario({
  about: "a POST retried after 429 quota_exceeded, and a Cuadra 402 retried",
  calls: [
    ...sent(
      { ...postJob, status: 429, json: quotaExceeded, caller: { fn: "retryQuota", line: 31 } },
      { at: 0 },
      { at: 2 },
    ),
    ...sent(
      {
        ...postChat,
        requestHeaders: { "idempotency-key": "k-1" },
        status: 402,
        json: problem(
          402,
          "Insufficient Credits",
          "Insufficient credits. Required: 75 credits. Available: 50 credits.",
        ),
      },
      { at: 5 },
      { at: 6 },
    ),
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
