import { CASOLA } from "../../../../test/support/har.js";
import { nearMissOf, scenario } from "../../../../test/support/scenario.js";
import { ok, postJob, rateLimitError, rateLimited } from "../../../../test/support/traffic.js";

export const firing = scenario({
  about: "other requests sent into a Retry-After and into a budget at 0 before its reset",
  calls: [
    {
      at: 0,
      url: `${CASOLA}/jobs/1`,
      status: 429,
      headers: rateLimited(20, 60),
      json: rateLimitError,
    },
    { at: 0.05, url: `${CASOLA}/models`, status: 200, json: { data: [] } },
    { at: 5, ...postJob, status: 200, json: ok, caller: { fn: "keepCalling", line: 88 } },
    {
      at: 25,
      url: `${CASOLA}/jobs/1`,
      status: 429,
      headers: rateLimited(35, 60),
      json: rateLimitError,
      caller: { fn: "keepCalling", line: 90 },
    },
  ],
  findings: [
    { rule: "rate-limit-exhausted", entries: [0, 2] },
    { rule: "rate-limit-exhausted", entries: [0, 3] },
  ],
});

export const nearMiss = nearMissOf(firing, {
  about: "a concurrent request in flight when the 429 came, and requests after the reset",
  calls: {
    0: { headers: rateLimited(20, 20) },
    2: { at: 21 },
    3: { at: 21.5, status: 200, headers: undefined, json: ok },
  },
});
