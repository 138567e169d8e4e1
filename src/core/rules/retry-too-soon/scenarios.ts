import { CASOLA, casolaError } from "../../../../test/support/har.js";
import { nearMissOf, scenario, sent } from "../../../../test/support/scenario.js";
import { JOB, ok } from "../../../../test/support/traffic.js";

export const firing = scenario({
  about: "model_warming_up, backlog_full and no_capacity retried before their documented waits",
  calls: [
    ...sent(
      {
        method: "POST",
        url: `${CASOLA}/generate`,
        body: JOB,
        status: 503,
        json: casolaError("model_warming_up", "Model is loading onto a GPU"),
      },
      { at: 0 },
      { at: 5.1 },
      { at: 45.1, status: 200, json: ok },
    ),
    ...sent(
      {
        method: "POST",
        url: `${CASOLA}/queue`,
        body: JOB,
        status: 429,
        json: casolaError("backlog_full", "Job queue is at capacity"),
      },
      { at: 100 },
      { at: 101.1, status: 200, json: ok },
    ),
    ...sent(
      {
        url: `${CASOLA}/capacity`,
        status: 503,
        json: casolaError("no_capacity", "No GPU workers available"),
      },
      { at: 200 },
      { at: 205.1, status: 200, json: { free: 1 } },
    ),
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
