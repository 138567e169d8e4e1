import type { RuleId } from "./rules/index.js";
import type { CallerFrame, Severity } from "./types.js";

/** What a rule raised about a request. */
export interface Finding {
  rule: RuleId;
  severity: Severity;
  message: string;
  /** Indices into `log.entries`: the first is the request that failed, the last the offending one. */
  entries: number[];
  advice: string;
  initiator?: CallerFrame;
}
