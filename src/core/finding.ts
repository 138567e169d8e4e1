import type { RuleId } from "./rules/index.js";
import type { CallerFrame, Severity } from "./types.js";

/** The client library that sent a request, and its own option that fixes the finding. */
export interface LibraryAdvice {
  name: string;
  option: string;
  advice: string;
}

/** What a rule raised about a request. */
export interface Finding {
  rule: RuleId;
  severity: Severity;
  message: string;
  /** Indices into `log.entries`: the first is the request that failed, the last the offending one. */
  entries: number[];
  advice: string;
  initiator?: CallerFrame;
  /** The client library that sent the offending request, when the traffic shows it. */
  library?: LibraryAdvice;
}
