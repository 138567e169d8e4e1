import { CUADRA } from "../../../../test/support/har.js";
import { nearMissOf, scenario, sent } from "../../../../test/support/scenario.js";
import {
  internalError,
  ok,
  postChat,
  postJob,
  serverError,
} from "../../../../test/support/traffic.js";

export const firing = scenario({
  about: "a Cuadra POST retried without an Idempotency-Key",
  calls: sent(
    { ...postChat, status: 500, json: serverError, caller: { fn: "postWithoutKey", line: 104 } },
    { at: 0 },
    { at: 2.1, status: 200, json: { id: "msg_1" } },
  ),
  findings: [{ rule: "retry-without-idempotency-key", entries: [0, 1] }],
});

export const nearMiss = nearMissOf(firing, {
  about: "a keyed Cuadra POST, a Cuadra GET and a Casola POST, each retried",
  calls: {
    0: { requestHeaders: { "idempotency-key": "k-1" } },
    1: { requestHeaders: { "idempotency-key": "k-1" } },
  },
  plus: [
    ...sent(
      { url: `${CUADRA}/models`, status: 500, json: serverError },
      { at: 10 },
      { at: 12, status: 200, json: { data: [] } },
    ),
    ...sent(
      { ...postJob, status: 500, json: internalError },
      { at: 20 },
      { at: 22, status: 200, json: ok },
    ),
  ],
});
