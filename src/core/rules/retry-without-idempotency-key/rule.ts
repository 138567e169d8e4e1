import { errorLabel, seconds } from "../describe.js";
import { defineRule } from "../rule.js";

export const retryWithoutIdempotencyKey = defineRule({
  id: "retry-without-idempotency-key",
  severity: "info",
  summary: "A POST to Cuadra is retried without an Idempotency-Key header.",
  firesWhen: "a POST to Cuadra retried without `Idempotency-Key`",
  check({ retry, exchange, hostProvider }) {
    const previous = retry?.previous;
    if (
      retry === undefined ||
      previous === undefined ||
      hostProvider !== "cuadra" ||
      exchange.method !== "POST"
    ) {
      return undefined;
    }
    if (exchange.requestHeaders.get("idempotency-key")?.trim()) return undefined;
    return {
      message: `POST ${exchange.parts?.hostname ?? exchange.host} retried ${seconds(retry.waitMs)} after a ${errorLabel(previous.error, previous.status)} without an Idempotency-Key header`,
      entries: [previous.index, exchange.index],
      advice:
        "Send the same Idempotency-Key header on every attempt of a POST, so that a retry of a request that did reach the server cannot run twice.",
    };
  },
});
