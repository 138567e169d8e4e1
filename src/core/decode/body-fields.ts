import type { ProviderId } from "../types.js";

/** What a provider's decoder reads from one error body. */
export interface BodyFields {
  provider: ProviderId | null;
  code: string | null;
  title: string | null;
  message: string | null;
  details?: unknown;
  credits?: { required: number; available: number };
  scope?: string;
  /** An IETF RateLimit problem's `violated-policies`. */
  violatedPolicies?: string[];
  /**
   * What the body's own vocabulary says of retrying (Google's RESOURCE_EXHAUSTED, an IETF
   * RateLimit problem type): it wins over the HTTP status, not over a provider's table.
   */
  retry?: { retryable: boolean; advice: string };
  contract: string[];
}
