import { CASOLA, CUADRA, casolaError, problem } from "../../../../test/support/har.js";
import { CHAT, JOB, nearMissOf, ok, scenario } from "../../../../test/support/scenario.js";

export const firing = scenario({
  about: "back-to-back retries of a 500, and constant 1 s waits on Cuadra",
  calls: [
    {
      at: 0,
      url: `${CASOLA}/jobs/9`,
      status: 500,
      json: casolaError("internal_error", "Unexpected server error"),
      caller: { fn: "hammer", line: 70 },
    },
    {
      at: 0.1,
      url: `${CASOLA}/jobs/9`,
      status: 500,
      json: casolaError("internal_error", "Unexpected server error"),
      caller: { fn: "hammer", line: 70 },
    },
    {
      at: 0.2,
      url: `${CASOLA}/jobs/9`,
      status: 500,
      json: casolaError("internal_error", "Unexpected server error"),
      caller: { fn: "hammer", line: 70 },
    },
    {
      at: 0.3,
      url: `${CASOLA}/jobs/9`,
      status: 200,
      json: ok,
      caller: { fn: "hammer", line: 70 },
    },
    {
      at: 10,
      method: "POST",
      url: `${CUADRA}/embeddings`,
      body: CHAT,
      requestHeaders: { "idempotency-key": "k-9" },
      status: 500,
      json: problem(500, "Internal Server Error", "Server error"),
    },
    {
      at: 11.1,
      method: "POST",
      url: `${CUADRA}/embeddings`,
      body: CHAT,
      requestHeaders: { "idempotency-key": "k-9" },
      status: 500,
      json: problem(500, "Internal Server Error", "Server error"),
    },
    {
      at: 12.2,
      method: "POST",
      url: `${CUADRA}/embeddings`,
      body: CHAT,
      requestHeaders: { "idempotency-key": "k-9" },
      status: 200,
      json: { data: [] },
    },
  ],
  findings: [
    { rule: "no-backoff", entries: [0, 1, 2] },
    { rule: "no-backoff", entries: [1, 2, 3] },
    { rule: "no-backoff", entries: [4, 5, 6] },
  ],
});

export const nearMiss = nearMissOf(firing, {
  about: "doubling waits, waits at the 55 s cap, polling that succeeds and concurrent duplicates",
  calls: {
    1: {
      at: 1.1,
      status: 502,
      json: casolaError("bad_gateway", "Upstream provider returned an error"),
    },
    2: { at: 3.5 },
    3: { at: 8 },
    4: "drop",
    5: "drop",
    6: "drop",
  },
  plus: [
    {
      at: 100,
      url: `${CASOLA}/jobs/10`,
      status: 500,
      json: casolaError("internal_error", "Unexpected server error"),
    },
    {
      at: 155.1,
      url: `${CASOLA}/jobs/10`,
      status: 500,
      json: casolaError("internal_error", "Unexpected server error"),
    },
    { at: 210.2, url: `${CASOLA}/jobs/10`, status: 200, json: ok },
    { at: 300, url: `${CASOLA}/jobs/11`, status: 200, json: ok },
    { at: 300.5, url: `${CASOLA}/jobs/11`, status: 200, json: ok },
    { at: 301, url: `${CASOLA}/jobs/11`, status: 200, json: ok },
    {
      at: 400,
      duration: 1,
      method: "POST",
      url: `${CASOLA}/jobs`,
      body: JOB,
      status: 500,
      json: casolaError("internal_error", "Unexpected server error"),
    },
    {
      at: 400.2,
      duration: 1,
      method: "POST",
      url: `${CASOLA}/jobs`,
      body: JOB,
      status: 500,
      json: casolaError("internal_error", "Unexpected server error"),
    },
  ],
});
