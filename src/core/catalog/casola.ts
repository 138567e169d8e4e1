/**
 * Every code of Casola's error documentation with its status, meaning and retry rule
 * (docs/decoding-and-retries.md, "What is decoded").
 */
export interface CasolaCode {
  status: number;
  meaning: string;
  retryable: boolean;
  advice: string;
  /** The documented minimum wait before a retry, when the document gives one. */
  minWaitSeconds?: number;
}

const BACKOFF =
  "Start with a 1-second delay, double on each retry, cap at 60 seconds, and add 0-500 ms of jitter.";

export const CASOLA_CODES = {
  bad_request: {
    status: 400,
    meaning: "Malformed request",
    retryable: false,
    advice: "Do not retry: fix the request.",
  },
  validation_error: {
    status: 400,
    meaning: "Request body failed schema validation",
    retryable: false,
    advice: "Do not retry: fix the request body (error.details lists what failed).",
  },
  invalid_json: {
    status: 400,
    meaning: "JSON parse failure",
    retryable: false,
    advice: "Do not retry: the request body is not valid JSON; fix how it is serialised.",
  },
  unauthorized: {
    status: 401,
    meaning: "Missing or invalid authentication token",
    retryable: false,
    advice: "Do not retry: check credentials (the token is missing or invalid).",
  },
  forbidden: {
    status: 403,
    meaning: "Token lacks required scope or role",
    retryable: false,
    advice: "Do not retry: check your token and its scopes.",
  },
  platform_invite_required: {
    status: 403,
    meaning: "Platform invite needed to create an account",
    retryable: false,
    advice: "Do not retry: a platform invite is needed to create the account.",
  },
  not_found: {
    status: 404,
    meaning: "Resource does not exist",
    retryable: false,
    advice: "Do not retry: the resource does not exist.",
  },
  conflict: {
    status: 409,
    meaning: "Resource already exists (duplicate)",
    retryable: false,
    advice: "Do not retry: the resource already exists (duplicate).",
  },
  gone: {
    status: 410,
    meaning: "Resource has expired (e.g. invite link)",
    retryable: false,
    advice: "Do not retry: the resource has expired (e.g. an invite link).",
  },
  rate_limit: {
    status: 429,
    meaning: "Too many requests",
    retryable: true,
    advice: "Retry, but honor the Retry-After header: wait for the Retry-After duration first.",
  },
  quota_exceeded: {
    status: 429,
    meaning: "Plan usage limit reached",
    retryable: false,
    advice:
      "Do not retry: the plan's usage limit is reached. Upgrade the plan or wait for the reset.",
  },
  backlog_full: {
    status: 429,
    meaning: "Job queue is at capacity",
    retryable: true,
    advice: `The queue is temporarily full: back off and retry after 5-10 seconds. ${BACKOFF}`,
    minWaitSeconds: 5,
  },
  internal_error: {
    status: 500,
    meaning: "Unexpected server error",
    retryable: true,
    advice: `Retry with backoff. ${BACKOFF}`,
  },
  bad_gateway: {
    status: 502,
    meaning: "Upstream provider returned an error",
    retryable: true,
    advice: `Transient upstream failure: retry with backoff. ${BACKOFF}`,
  },
  worker_error: {
    status: 502,
    meaning: "GPU worker reported a failure",
    retryable: true,
    advice: `Transient GPU worker failure: retry with backoff. ${BACKOFF}`,
  },
  no_capacity: {
    status: 503,
    meaning: "No GPU workers available for this model",
    retryable: true,
    advice: "No workers are free: back off and retry after 10-30 seconds.",
    minWaitSeconds: 10,
  },
  model_warming_up: {
    status: 503,
    meaning: "Model is loading onto a GPU",
    retryable: true,
    advice: "Wait 30 s to 5 min: the model is loading onto a GPU. Retry after 30-60 seconds.",
    minWaitSeconds: 30,
  },
  not_configured: {
    status: 503,
    meaning: "Model is not configured on the platform",
    retryable: false,
    advice: "Do not retry: the model is not configured on the platform.",
  },
  timeout: {
    status: 504,
    meaning: "Job exceeded its time limit",
    retryable: true,
    advice: "The job took too long: retry may help, or switch to async submission.",
  },
} as const satisfies Record<string, CasolaCode>;

export type CasolaCodeName = keyof typeof CASOLA_CODES;

export function casolaCode(code: string | null): CasolaCode | undefined {
  if (code === null || !Object.hasOwn(CASOLA_CODES, code)) return undefined;
  return CASOLA_CODES[code as CasolaCodeName];
}

export const CASOLA_BACKOFF_ADVICE = BACKOFF;
