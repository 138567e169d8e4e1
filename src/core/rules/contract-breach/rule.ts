import { defineRule } from "../rule.js";

export const contractBreach = defineRule({
  id: "contract-breach",
  severity: "info",
  summary:
    "A response breaks the provider's documented contract (a 429 rate_limit without Retry-After, a code on the wrong status, a body that is not the documented envelope).",
  firesWhen: "a response breaks the documented contract",
  check({ error, exchange }) {
    if (error === undefined || error.contract.length === 0) return undefined;
    return {
      message: `${error.status}${error.code ? ` ${error.code}` : ""}: ${error.contract.join("; ")}`,
      entries: [exchange.index],
      advice:
        "The response does not match the provider's documentation: Ratelens fell back to the HTTP status where it had to. Report it to the provider, and do not build client logic on the undocumented shape.",
    };
  },
});
