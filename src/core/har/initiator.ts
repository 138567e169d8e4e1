import { isRecord } from "../is-record.js";
import type { CallerFrame, HarEntry } from "../types.js";

/** One frame of the caller's stack, numbered from 1 as editors and DevTools' Sources panel show it. */
export interface StackFrame extends CallerFrame {
  /** Set on the first frame after an async boundary: "Promise.then", "setTimeout", or "async". */
  asyncBoundary?: string;
}

const MAX_DEPTH = 32;
const MAX_FRAMES = 200;

/** A 0-based CDP position as a 1-based one; anything else (null, -1, text) as the first. */
function oneBased(value: unknown): number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value + 1 : 1;
}

function frameOf(frame: unknown): CallerFrame | undefined {
  if (!isRecord(frame) || typeof frame.url !== "string" || frame.url === "") return undefined;
  return {
    function: typeof frame.functionName === "string" ? frame.functionName : "",
    url: frame.url,
    line: oneBased(frame.lineNumber),
    column: oneBased(frame.columnNumber),
  };
}

/**
 * The whole call stack of Chrome's `_initiator`, async parents included, or the initiating
 * script position when there is no stack. Foreign HARs put anything here (null, strings, a null
 * parent or frame), so it is read as unknown data and frames without a script URL are left out.
 */
export function callerStack(
  entry: Pick<HarEntry, "_initiator">,
  maxFrames = MAX_FRAMES,
): StackFrame[] {
  const initiator: unknown = entry._initiator;
  if (!isRecord(initiator)) return [];
  const frames: StackFrame[] = [];
  let stack: unknown = initiator.stack;
  let boundary: string | undefined;
  for (let depth = 0; isRecord(stack) && depth < MAX_DEPTH; depth++) {
    const callFrames: unknown[] = Array.isArray(stack.callFrames) ? stack.callFrames : [];
    for (const raw of callFrames) {
      const frame = frameOf(raw);
      if (frame === undefined) continue;
      frames.push(boundary === undefined ? frame : { ...frame, asyncBoundary: boundary });
      boundary = undefined;
      if (frames.length >= maxFrames) return frames;
    }
    const parent: unknown = stack.parent;
    if (isRecord(parent)) {
      boundary =
        typeof parent.description === "string" && parent.description !== ""
          ? parent.description
          : "async";
    }
    stack = parent;
  }
  if (frames.length > 0) return frames;
  const own = frameOf(initiator);
  return own === undefined ? [] : [own];
}

/** The top caller frame of Chrome's `_initiator`, following async parents when a stack is empty. */
export function callerOf(entry: HarEntry): CallerFrame | undefined {
  const top = callerStack(entry, 1)[0];
  if (top === undefined) return undefined;
  return { url: top.url, line: top.line, column: top.column, function: top.function };
}

/**
 * Whether the recording says anything of who made the request (Chrome's `_initiator`). Chrome's
 * DevTools records one for every request; Firefox gives extensions none.
 */
export function recordsCaller(entry: HarEntry): boolean {
  const initiator = (entry as { _initiator?: unknown })._initiator;
  return initiator !== undefined && initiator !== null;
}
