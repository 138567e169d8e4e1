import type { Exchange } from "../har/exchange.js";
import { callerStack } from "../har/initiator.js";
import type { CallerFrame } from "../types.js";
import { isLibraryScript } from "./script-url.js";

/** Frames (callerStack's), or the exchange whose `_initiator` holds them. */
export type FrameSource = readonly CallerFrame[] | Pick<Exchange, "stackSource">;

/**
 * The developer's own line that made the request: the first `_initiator` frame (1-based line and
 * column) outside any library (`node_modules`, Vite's `.vite/deps`, a recognised library's
 * script), so that "open in Sources" lands on the application's call and not on `ky.js`.
 * Undefined when every frame is a library's, or there is no stack.
 */
export function ownCaller(source: FrameSource): CallerFrame | undefined {
  const frames: readonly CallerFrame[] = Array.isArray(source)
    ? source
    : callerStack({ _initiator: (source as Pick<Exchange, "stackSource">).stackSource });
  const own = frames.find((frame) => !isLibraryScript(frame.url));
  if (own === undefined) return undefined;
  return { url: own.url, line: own.line, column: own.column, function: own.function };
}
