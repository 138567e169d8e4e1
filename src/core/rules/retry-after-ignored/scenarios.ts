import { CASOLA, CUADRA, casolaError, dateHeader } from "../../../../test/support/har.js";
import {
  JOB,
  nearMissOf,
  ok,
  rateLimited,
  scenario,
  tooMany,
} from "../../../../test/support/scenario.js";

export const firing = scenario({
  about: "retries before Retry-After in seconds, as an HTTP-date, and as retry-after-ms",
  calls: [
    {
      at: 0,
      method: "POST",
      url: `${CASOLA}/jobs`,
      body: JOB,
      status: 429,
      headers: { ...rateLimited(30, 30), date: dateHeader(0.1) },
      json: casolaError("rate_limit", "Too many requests"),
      caller: { fn: "ignoreRetryAfter", line: 52 },
    },
    {
      at: 1,
      method: "POST",
      url: `${CASOLA}/jobs`,
      body: JOB,
      status: 429,
      headers: { ...rateLimited(29, 30), date: dateHeader(1.1) },
      json: casolaError("rate_limit", "Too many requests"),
      caller: { fn: "ignoreRetryAfter", line: 52 },
    },
    {
      at: 40,
      url: `${CUADRA}/usage`,
      status: 429,
      headers: {
        date: dateHeader(40.1),
        "retry-after": dateHeader(100),
        "x-ratelimit-remaining": "0",
      },
      json: tooMany,
    },
    {
      at: 70,
      url: `${CUADRA}/usage`,
      status: 429,
      headers: {
        date: dateHeader(70.1),
        "retry-after": dateHeader(130),
        "x-ratelimit-remaining": "0",
      },
      json: tooMany,
    },
    {
      at: 200,
      url: `${CASOLA}/jobs/7`,
      status: 500,
      headers: { "retry-after-ms": "2500" },
      json: casolaError("internal_error", "Unexpected server error"),
    },
    { at: 201, url: `${CASOLA}/jobs/7`, status: 200, json: ok },
  ],
  findings: [
    { rule: "retry-after-ignored", entries: [0, 1] },
    { rule: "retry-after-ignored", entries: [2, 3] },
    { rule: "retry-after-ignored", entries: [4, 5] },
  ],
});

export const nearMiss = nearMissOf(firing, {
  about: "retries just inside the tolerance of Retry-After in seconds and as an HTTP-date",
  calls: {
    1: { at: 29.7, status: 200, headers: undefined, json: ok },
    3: { at: 99.5, status: 200, headers: undefined, json: { credits: 10 } },
    4: "drop",
    5: "drop",
  },
});
