import { CASOLA, CUADRA, casolaError } from "../../../../test/support/har.js";
import { nearMissOf, scenario, sent } from "../../../../test/support/scenario.js";
import { CHAT, internalError, ok, postJob, serverError } from "../../../../test/support/traffic.js";

export const firing = scenario({
  about: "back-to-back retries of a 500, and constant 1 s waits on Cuadra",
  calls: [
    ...sent(
      {
        url: `${CASOLA}/jobs/9`,
        status: 500,
        json: internalError,
        caller: { fn: "hammer", line: 70 },
      },
      { at: 0 },
      { at: 0.1 },
      { at: 0.2 },
      { at: 0.3, status: 200, json: ok },
    ),
    ...sent(
      {
        method: "POST",
        url: `${CUADRA}/embeddings`,
        body: CHAT,
        requestHeaders: { "idempotency-key": "k-9" },
        status: 500,
        json: serverError,
      },
      { at: 10 },
      { at: 11.1 },
      { at: 12.2, status: 200, json: { data: [] } },
    ),
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
    ...sent(
      { url: `${CASOLA}/jobs/10`, status: 500, json: internalError },
      { at: 100 },
      { at: 155.1 },
      { at: 210.2, status: 200, json: ok },
    ),
    ...sent(
      { url: `${CASOLA}/jobs/11`, status: 200, json: ok },
      { at: 300 },
      { at: 300.5 },
      { at: 301 },
    ),
    ...sent(
      { ...postJob, duration: 1, status: 500, json: internalError },
      { at: 400 },
      { at: 400.2 },
    ),
  ],
});
