import type { Entry } from "har-format";

/** How an error body is read. `problem` and `generic` are shapes, used for hosts of no known API. */
export type ProviderId = "casola" | "cuadra" | "problem" | "generic";
export const PROVIDER_IDS: readonly ProviderId[] = ["casola", "cuadra", "problem", "generic"];

export type Severity = "error" | "warning" | "info";
export const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

/** One frame of Chrome's `_initiator.stack.callFrames` (0-based line and column, as CDP sends them). */
export interface InitiatorFrame {
  functionName?: string;
  url?: string;
  lineNumber?: number;
  columnNumber?: number;
}

export interface InitiatorStack {
  callFrames?: InitiatorFrame[];
  parent?: InitiatorStack;
}

/** Chrome's HAR extension `_initiator` (with the call stack @types/har-format leaves out); Firefox's HAR has none. */
export interface Initiator {
  type?: string;
  url?: string | null;
  lineNumber?: number | null;
  columnNumber?: number | null;
  stack?: InitiatorStack;
}

/** A HAR entry as Chrome writes it: the standard fields plus `_initiator`. */
export type HarEntry = Omit<Entry, "_initiator"> & { _initiator?: Initiator | string | null };

/** The calling code of a request, 1-based line and column as editors show them. */
export interface CallerFrame {
  url: string;
  line: number;
  column: number;
  function: string;
}

export interface DecodedError {
  provider: ProviderId | null;
  status: number;
  code: string | null;
  title: string | null;
  message: string | null;
  retryable: boolean;
  /** What the provider's documentation says to do. */
  advice: string;
  details?: unknown;
  credits?: { required: number; available: number };
  scope?: string;
  /** An IETF RateLimit problem's `violated-policies`: the policies whose quota ran out. */
  violatedPolicies?: string[];
  /** The wait the server stated: a header (Retry-After, retry-after-ms, x-ms-retry-after-ms), else the body's. */
  retryAfterSeconds?: number;
  /** For a request that got no response: the recorder's reason (Chrome's `_error`, Playwright's `_failureText`). */
  networkError?: string;
  contract: string[];
}

export type BudgetSource = "headers" | "estimate";

/**
 * Where an estimated budget's limit came from: a limit rate-limit headers stated earlier, the
 * user's own setting, or the provider's documented limit.
 */
export type LimitOrigin = "headers" | "setting" | "documented";

export interface HostBudget {
  host: string;
  provider: ProviderId | null;
  limit: number | null;
  remaining: number | null;
  /** ISO 8601, local clock (skew-corrected). */
  resetAt: string | null;
  retryAfterUntil: string | null;
  source: BudgetSource;
  /** Every meter of the host, the binding one (whose figures are above) first. */
  meters: HostMeter[];
}

/** One budget of a host: `requests`, `tokens`, GitHub's `core`, an IETF policy. */
export interface HostMeter {
  name: string;
  limit: number | null;
  remaining: number | null;
  resetAt: string | null;
  source: BudgetSource;
}

/** A host the user added, e.g. `staging.casola.ai` or `127.0.0.1:8080`, read as `provider`. */
export interface HostMapping {
  host: string;
  provider: ProviderId;
}

/** A rate limit the user sets for a host, or the documented one. */
export interface LimitSetting {
  host: string;
  limit: number;
  windowSeconds: number;
}

/** One request the analysis read, as the JSON report lists it. */
export interface EntrySummary {
  index: number;
  startedDateTime: string;
  method: string;
  url: string;
  status: number;
  error: DecodedError | null;
}
