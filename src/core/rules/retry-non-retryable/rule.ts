import { errorLabel, seconds } from "../describe.js";
import { defineRule } from "../rule.js";

export const retryNonRetryable = defineRule({
  id: "retry-non-retryable",
  severity: "error",
  summary: "A request is retried after an error the provider documents as not retryable.",
  firesWhen: "B retries an error that is not retryable",
  check({ retry, exchange }) {
    const previous = retry?.previous;
    const error = previous?.error;
    if (retry === undefined || previous === undefined || error === undefined || error.retryable)
      return undefined;
    return {
      message: `retried ${seconds(retry.waitMs)} after a ${errorLabel(error, previous.status)}, which is not retryable`,
      entries: [previous.index, exchange.index],
      advice: error.advice,
    };
  },
});
