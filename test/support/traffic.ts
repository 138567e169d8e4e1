import { CASOLA, CUADRA, casolaError, problem, unixSeconds } from "./har.js";

/**
 * The requests and replies the scenarios share: the demo client's traffic with Casola and Cuadra,
 * named once so that a scenario shows only what sets its calls apart.
 */

/** The bodies of a Casola job and a Cuadra chat. */
export const JOB = JSON.stringify({ model: "casola/llama-3-8b", prompt: "Summarise the report" });
export const CHAT = JSON.stringify({ messages: [{ role: "user", content: "Hello" }] });
/** The POSTs the scenarios retry most: a Casola job and a Cuadra chat. */
export const postJob = { method: "POST", url: `${CASOLA}/jobs`, body: JOB };
export const postChat = { method: "POST", url: `${CUADRA}/chat`, body: CHAT };
/** Casola's reply to a job it accepted. */
export const ok = { job: { id: "job_1", status: "queued" } };
/** Casola's 429 rate_limit reply. */
export const rateLimitError = casolaError("rate_limit", "Too many requests");
/** Casola's 429 quota_exceeded reply: the plan's usage is spent, so a retry cannot succeed. */
export const quotaExceeded = casolaError("quota_exceeded", "Plan usage limit reached");
/** Casola's 500 reply. */
export const internalError = casolaError("internal_error", "Unexpected server error");
/** Casola's headers on a 429 rate_limit: Retry-After, and a budget at 0 until `resetAt`. */
export const rateLimited = (retryAfter: number, resetAt: number) => ({
  "retry-after": String(retryAfter),
  "x-ratelimit-limit": "100",
  "x-ratelimit-remaining": "0",
  "x-ratelimit-reset": unixSeconds(resetAt),
});
/** Cuadra's 500 problem document. */
export const serverError = problem(500, "Internal Server Error", "Server error");
/** Cuadra's 429 problem document. */
export const tooMany = problem(
  429,
  "Too Many Requests",
  "Rate limit exceeded. Retry after 60 seconds.",
);
