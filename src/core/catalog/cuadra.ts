/**
 * The status table of Cuadra's error documentation; codes are derived from its titles
 * (docs/decoding-and-retries.md, "What is decoded").
 */
export interface CuadraStatus {
  code: string;
  title: string;
  meaning: string;
  retryable: boolean;
  advice: string;
  /** The body the document's "Common Errors" shows for this status, where it shows one. */
  example?: { title: string; detail: string };
}

const BACKOFF =
  "Implement exponential backoff for 429 and 5xx errors: wait 2^attempt seconds plus jitter.";

export const CUADRA_STATUSES: Readonly<Record<number, CuadraStatus>> = {
  400: {
    code: "bad_request",
    title: "Bad Request",
    meaning: "Invalid request format",
    retryable: false,
    advice: "Do not retry: fix the request format.",
  },
  401: {
    code: "unauthorized",
    title: "Unauthorized",
    meaning: "Invalid or missing token",
    retryable: false,
    advice: "Do not retry: refresh your M2M token or verify the JWT session is valid.",
    example: { title: "Unauthorized", detail: "Invalid or expired token." },
  },
  402: {
    code: "insufficient_credits",
    title: "Payment Required",
    meaning: "Insufficient credits",
    retryable: false,
    advice:
      "Do not retry: purchase credits at dashboard.cuadra.ai, upgrade the plan or wait for the monthly reset.",
    // The example's title is not the table's ("Payment Required").
    example: {
      title: "Insufficient Credits",
      detail: "Insufficient credits. Required: 75 credits. Available: 50 credits.",
    },
  },
  403: {
    code: "forbidden",
    title: "Forbidden",
    meaning: "Valid token, insufficient permissions",
    retryable: false,
    advice: "Do not retry: request credentials with the required scope.",
    example: { title: "Forbidden", detail: "Missing required scope: chat:invoke" },
  },
  404: {
    code: "not_found",
    title: "Not Found",
    meaning: "Resource doesn't exist",
    retryable: false,
    advice: "Do not retry: the resource doesn't exist.",
  },
  409: {
    code: "conflict",
    title: "Conflict",
    meaning: "Resource already exists",
    retryable: false,
    advice: "Do not retry: the resource already exists.",
  },
  422: {
    code: "unprocessable_entity",
    title: "Unprocessable Entity",
    meaning: "Validation failed",
    retryable: false,
    advice: "Do not retry: validation failed; fix the request body.",
  },
  429: {
    code: "too_many_requests",
    title: "Too Many Requests",
    meaning: "Rate limit exceeded",
    retryable: true,
    advice: `Wait for Retry-After seconds, then retry. ${BACKOFF}`,
    example: { title: "Too Many Requests", detail: "Rate limit exceeded. Retry after 60 seconds." },
  },
  500: {
    code: "internal_server_error",
    title: "Internal Server Error",
    meaning: "Server error",
    retryable: true,
    advice: `Retry with backoff. ${BACKOFF}`,
  },
};

/** Documented rate limits: 60 requests/minute per user (the one a browser session hits first), 300 per organization. */
export const CUADRA_LIMITS = { perUser: 60, perOrganization: 300, windowSeconds: 60 } as const;

export const CUADRA_BACKOFF_ADVICE = BACKOFF;
