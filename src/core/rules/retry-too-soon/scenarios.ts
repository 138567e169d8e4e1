import { CASOLA, casolaError } from "../../../../test/support/har.js";
import { JOB, nearMissOf, ok, scenario } from "../../../../test/support/scenario.js";

export const firing = scenario({
  about: "model_warming_up, backlog_full and no_capacity retried before their documented waits",
  calls: [
    {
      at: 0,
      method: "POST",
      url: `${CASOLA}/generate`,
      body: JOB,
      status: 503,
      json: casolaError("model_warming_up", "Model is loading onto a GPU"),
    },
    {
      at: 5.1,
      method: "POST",
      url: `${CASOLA}/generate`,
      body: JOB,
      status: 503,
      json: casolaError("model_warming_up", "Model is loading onto a GPU"),
    },
    {
      at: 45.1,
      method: "POST",
      url: `${CASOLA}/generate`,
      body: JOB,
      status: 200,
      json: ok,
    },
    {
      at: 100,
      method: "POST",
      url: `${CASOLA}/queue`,
      body: JOB,
      status: 429,
      json: casolaError("backlog_full", "Job queue is at capacity"),
    },
    { at: 101.1, method: "POST", url: `${CASOLA}/queue`, body: JOB, status: 200, json: ok },
    {
      at: 200,
      url: `${CASOLA}/capacity`,
      status: 503,
      json: casolaError("no_capacity", "No GPU workers available"),
    },
    { at: 205.1, url: `${CASOLA}/capacity`, status: 200, json: { free: 1 } },
  ],
  findings: [
    { rule: "retry-too-soon", entries: [0, 1] },
    { rule: "retry-too-soon", entries: [3, 4] },
    { rule: "retry-too-soon", entries: [5, 6] },
  ],
});

export const nearMiss = nearMissOf(firing, {
  about: "documented waits respected, and a Retry-After that overrides the documented wait",
  calls: {
    1: { at: 30.6, status: 200, json: ok },
    2: "drop",
    4: { at: 105.2 },
    5: { headers: { "retry-after": "2" } },
    6: { at: 202.2 },
  },
});
