import { CASOLA, CUADRA, dateHeader } from "../../../../test/support/har.js";
import { nearMissOf, scenario, sent } from "../../../../test/support/scenario.js";
import {
  internalError,
  ok,
  postJob,
  rateLimitError,
  rateLimited,
  tooMany,
} from "../../../../test/support/traffic.js";

export const firing = scenario({
  about:
    "retries before Retry-After in seconds, as an HTTP-date, as retry-after-ms and as x-ms-retry-after-ms",
  calls: [
    ...sent(
      {
        ...postJob,
        status: 429,
        json: rateLimitError,
        caller: { fn: "ignoreRetryAfter", line: 52 },
      },
      { at: 0, headers: { ...rateLimited(30, 30), date: dateHeader(0.1) } },
      { at: 1, headers: { ...rateLimited(29, 30), date: dateHeader(1.1) } },
    ),
    ...sent(
      { url: `${CUADRA}/usage`, status: 429, json: tooMany },
      {
        at: 40,
        headers: {
          date: dateHeader(40.1),
          "retry-after": dateHeader(100),
          "x-ratelimit-remaining": "0",
        },
      },
      {
        at: 70,
        headers: {
          date: dateHeader(70.1),
          "retry-after": dateHeader(130),
          "x-ratelimit-remaining": "0",
        },
      },
    ),
    {
      at: 200,
      url: `${CASOLA}/jobs/7`,
      status: 500,
      headers: { "retry-after-ms": "2500" },
      json: internalError,
    },
    { at: 201, url: `${CASOLA}/jobs/7`, status: 200, json: ok },
    // An Azure gateway in front of the API states its wait as x-ms-retry-after-ms.
    {
      at: 300,
      url: `${CASOLA}/jobs/8`,
      status: 500,
      headers: { "x-ms-retry-after-ms": "2500" },
      json: internalError,
    },
    { at: 300.5, url: `${CASOLA}/jobs/8`, status: 200, json: ok },
  ],
  findings: [
    { rule: "retry-after-ignored", entries: [0, 1] },
    { rule: "retry-after-ignored", entries: [2, 3] },
    { rule: "retry-after-ignored", entries: [4, 5] },
    { rule: "retry-after-ignored", entries: [6, 7] },
  ],
});

export const nearMiss = nearMissOf(firing, {
  about:
    "retries just inside the tolerance of Retry-After in seconds, as an HTTP-date and as x-ms-retry-after-ms, and soon after an x-ms-retry-after-ms that states no wait",
  calls: {
    1: { at: 29.7, status: 200, headers: undefined, json: ok },
    3: { at: 99.5, status: 200, headers: undefined, json: { credits: 10 } },
    4: "drop",
    5: "drop",
    7: { at: 302.7 },
  },
  plus: [
    {
      at: 400,
      url: `${CASOLA}/jobs/9`,
      status: 500,
      headers: { "x-ms-retry-after-ms": "2.5s" },
      json: internalError,
    },
    { at: 400.5, url: `${CASOLA}/jobs/9`, status: 200, json: ok },
  ],
});
