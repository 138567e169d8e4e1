import { CASOLA, casolaError } from "../../../../test/support/har.js";
import { nearMissOf, scenario } from "../../../../test/support/scenario.js";
import { ok, postJob, rateLimitError, rateLimited } from "../../../../test/support/traffic.js";

export const firing = scenario({
  about:
    "other requests sent into a Retry-After, into an x-ms-retry-after-ms and into a budget at 0 before its reset",
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
    // An Azure gateway in front of the API states its wait as x-ms-retry-after-ms.
    {
      at: 100,
      ...postJob,
      status: 503,
      headers: { "x-ms-retry-after-ms": "5000" },
      json: casolaError("no_capacity", "No GPU workers available"),
    },
    { at: 102, url: `${CASOLA}/models`, status: 200, json: { data: [] } },
  ],
  findings: [
    { rule: "rate-limit-exhausted", entries: [0, 2] },
    { rule: "rate-limit-exhausted", entries: [0, 3] },
    { rule: "rate-limit-exhausted", entries: [4, 5] },
  ],
});

export const nearMiss = nearMissOf(firing, {
  about:
    "a concurrent request in flight when the 429 came, and requests after the reset and after the x-ms-retry-after-ms",
  calls: {
    0: { headers: rateLimited(20, 20) },
    2: { at: 21 },
    3: { at: 21.5, status: 200, headers: undefined, json: ok },
    5: { at: 105.7 },
  },
});
