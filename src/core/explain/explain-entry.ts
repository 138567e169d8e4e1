import { toExchange } from "../har/exchange.js";
import { callerStack, recordsCaller, type StackFrame } from "../har/initiator.js";
import type { DecodedError, HarEntry } from "../types.js";
import { type BodyContent, requestBody, responseBody } from "./body.js";
import { explainHeaders, type HeaderExplanation } from "./explain-headers.js";
import { type Issue, validationIssues } from "./validation-issues.js";

/** What a view shows of one request beyond its analysis, worked out by the core. */
export interface EntryExplanation {
  /** Epoch milliseconds. */
  start: number;
  end: number;
  headers: HeaderExplanation[];
  /** The calling code, innermost frame first; empty when the recording names none. */
  stack: StackFrame[];
  /** Whether the recording says who made the request at all (Firefox's never does). */
  callerRecorded: boolean;
  /** The decoded error's `details` as field and message, when they have that shape. */
  issues: Issue[] | undefined;
  responseBody: BodyContent;
  /** Undefined when the request sent no body. */
  requestBody: BodyContent | undefined;
}

/** Explains entry `index` of a session or file: timing, headers, caller, error details, bodies. */
export function explainEntry(
  entry: HarEntry,
  index: number,
  error: DecodedError | undefined,
): EntryExplanation {
  const exchange = toExchange(entry, index);
  return {
    start: exchange.start,
    end: exchange.end,
    headers: explainHeaders(exchange),
    stack: callerStack(entry),
    callerRecorded: recordsCaller(entry),
    issues: error?.details === undefined ? undefined : validationIssues(error.details),
    responseBody: responseBody(entry),
    requestBody: requestBody(entry),
  };
}
