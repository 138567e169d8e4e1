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
  contract: string[];
}
