import { CASOLA, CUADRA, casolaError, problem } from "../../../../test/support/har.js";
import { CHAT, JOB, nearMissOf, ok, scenario } from "../../../../test/support/scenario.js";

export const firing = scenario({
  about: "a Cuadra POST retried without an Idempotency-Key",
  calls: [
    {
      at: 0,
      method: "POST",
      url: `${CUADRA}/chat`,
      body: CHAT,
      status: 500,
      json: problem(500, "Internal Server Error", "Server error"),
      caller: { fn: "postWithoutKey", line: 104 },
    },
    {
      at: 2.1,
      method: "POST",
      url: `${CUADRA}/chat`,
      body: CHAT,
      status: 200,
      json: { id: "msg_1" },
      caller: { fn: "postWithoutKey", line: 104 },
    },
  ],
  findings: [{ rule: "retry-without-idempotency-key", entries: [0, 1] }],
});

export const nearMiss = nearMissOf(firing, {
  about: "a keyed Cuadra POST, a Cuadra GET and a Casola POST, each retried",
  calls: {
    0: { requestHeaders: { "idempotency-key": "k-1" } },
    1: { requestHeaders: { "idempotency-key": "k-1" } },
  },
  plus: [
    {
      at: 10,
      url: `${CUADRA}/models`,
      status: 500,
      json: problem(500, "Internal Server Error", "Server error"),
    },
    { at: 12, url: `${CUADRA}/models`, status: 200, json: { data: [] } },
    {
      at: 20,
      method: "POST",
      url: `${CASOLA}/jobs`,
      body: JOB,
      status: 500,
      json: casolaError("internal_error", "Unexpected server error"),
    },
    { at: 22, method: "POST", url: `${CASOLA}/jobs`, body: JOB, status: 200, json: ok },
  ],
});
