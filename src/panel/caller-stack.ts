import type { HarEntry } from "../core/types.js";

/** One frame of the caller's stack, numbered from 1 as editors and DevTools' Sources panel show it. */
export interface StackFrame {
  function: string;
  url: string;
  line: number;
  column: number;
  /** Set on the first frame after an async boundary: "Promise.then", "setTimeout", or "async". */
  asyncBoundary?: string;
}

const MAX_DEPTH = 32;
const MAX_FRAMES = 200;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** A 0-based CDP position as a 1-based one; anything else (null, -1, text) as the first. */
function oneBased(value: unknown): number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value + 1 : 1;
}

function frameOf(frame: unknown): Omit<StackFrame, "asyncBoundary"> | undefined {
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
 * script position when there is no stack. Foreign HARs put anything here, so it is read as
 * unknown data and frames without a script URL are left out.
 */
export function callerStack(entry: HarEntry): StackFrame[] {
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
      if (frames.length >= MAX_FRAMES) return frames;
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

/** "app.js" from "https://example.com/static/app.js?v=3". */

/**
 * Said where a request's calling line would be when the recording has no `_initiator` at all:
 * Chrome's DevTools records one for every request, Firefox's gives extensions none (and no other
 * extension API has the page's stack), so the line can only come from Chrome.
 */
export const NO_CALLER_NOTE =
  "The calling line is not in this recording: Chrome's DevTools records it for every request, Firefox does not give it to extensions. Open this page in Chrome to see the line.";

/** Whether the recording says anything of who made the request (Chrome's `_initiator`). */
export function recordsCaller(entry: HarEntry): boolean {
  const initiator = (entry as { _initiator?: unknown })._initiator;
  return initiator !== undefined && initiator !== null;
}
