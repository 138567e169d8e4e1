import { CASOLA, CUADRA, problem } from "../../../../test/support/har.js";
import { nearMissOf, scenario } from "../../../../test/support/scenario.js";
import {
  postChat,
  quotaExceeded,
  rateLimitError,
  rateLimited,
  tooMany,
} from "../../../../test/support/traffic.js";

export const firing = scenario({
  about:
    "a bare 429 rate_limit, a code on the wrong status, a proxy's HTML page and a Cuadra 429 without Retry-After",
  calls: [
    {
      at: 0,
      url: `${CASOLA}/jobs/1`,
      status: 429,
      json: rateLimitError,
    },
    {
      at: 1,
      url: `${CASOLA}/models/x`,
      status: 403,
      json: quotaExceeded,
    },
    {
      at: 2,
      ...postChat,
      status: 502,
      mimeType: "text/html",
      text: "<html><body><h1>502 Bad Gateway</h1><script>alert(1)</script></body></html>",
    },
    { at: 3, url: `${CUADRA}/usage`, status: 429, json: tooMany },
  ],
  findings: [
    { rule: "contract-breach", entries: [0] },
    { rule: "contract-breach", entries: [1] },
    { rule: "contract-breach", entries: [2] },
    { rule: "contract-breach", entries: [3] },
  ],
});

export const nearMiss = nearMissOf(firing, {
  about: "documented 429s with their headers and a base64-encoded 404",
  calls: {
    0: { headers: rateLimited(1, 1) },
    1: "drop",
    2: "drop",
    3: { at: 10, headers: { "retry-after": "60", "x-ratelimit-remaining": "0" } },
  },
  plus: [
    {
      at: 80,
      url: `${CUADRA}/files/1`,
      status: 404,
      base64: true,
      json: problem(404, "Not Found", "File not found."),
    },
  ],
});
