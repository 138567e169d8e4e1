import { casolaCode } from "../../catalog/casola.js";
import { seconds } from "../describe.js";
import { defineRule } from "../rule.js";

export const retryTooSoon = defineRule({
  id: "retry-too-soon",
  severity: "warning",
  summary:
    "A Casola code with a documented minimum wait (model_warming_up 30 s, no_capacity 10 s, backlog_full 5 s) is retried sooner, with no Retry-After to go by.",
  firesWhen:
    "a Casola code with a documented minimum wait and no Retry-After: `model_warming_up` < 30 s, `no_capacity` < 10 s, `backlog_full` < 5 s",
  check({ retry, exchange }) {
    const previous = retry?.previous;
    const error = previous?.error;
    if (retry === undefined || previous === undefined || error?.provider !== "casola")
      return undefined;
    if (previous.retryAfter !== undefined) return undefined;
    const documented = casolaCode(error.code);
    const minimum = documented?.minWaitSeconds;
    if (documented === undefined || minimum === undefined || retry.waitMs >= minimum * 1000)
      return undefined;
    return {
      message: `retried ${seconds(retry.waitMs)} after a ${previous.status} ${error.code}; the documented minimum wait is ${minimum} s`,
      entries: [previous.index, exchange.index],
      advice: documented.advice,
    };
  },
});
