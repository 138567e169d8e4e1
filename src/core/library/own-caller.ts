import type { CallerFrame } from "../types.js";
import { isLibraryScript } from "./script-url.js";

/** Frames, or what carries them: an exchange's `callerStack`. */
export type FrameSource = readonly CallerFrame[] | { callerStack?: () => readonly CallerFrame[] };

/**
 * The developer's own line that made the request: the first `_initiator` frame (1-based line and
 * column) outside any library (`node_modules`, Vite's `.vite/deps`, a recognised library's
 * script), so that "open in Sources" lands on the application's call and not on `ky.js`.
 * Undefined when every frame is a library's, or there is no stack.
 */
export function ownCaller(source: FrameSource): CallerFrame | undefined {
  const frames = Array.isArray(source)
    ? (source as readonly CallerFrame[])
    : ((source as { callerStack?: () => readonly CallerFrame[] }).callerStack?.() ?? []);
  const own = frames.find((frame) => !isLibraryScript(frame.url));
  if (own === undefined) return undefined;
  return { url: own.url, line: own.line, column: own.column, function: own.function };
}
