import type { CapturedContent } from "./ports/devtools.js";

/**
 * DevTools' `request.getContent()` answers in three shapes: `{content, encoding}` (a promise in
 * Chromium 15x), `[body, mimeType]` (Firefox), or a callback `(content, encoding)` (older Chrome).
 * Read any of them; anything else is no body.
 */
export function normaliseContent(
  result: unknown,
  encodingArg?: unknown,
): CapturedContent | undefined {
  if (typeof result === "string") {
    return typeof encodingArg === "string" && encodingArg !== ""
      ? { text: result, encoding: encodingArg }
      : { text: result };
  }
  if (Array.isArray(result)) {
    // Firefox: [body, mimeType]; the body is text, never base64.
    return typeof result[0] === "string" ? { text: result[0] } : undefined;
  }
  if (typeof result === "object" && result !== null && "content" in result) {
    const { content, encoding } = result as { content: unknown; encoding?: unknown };
    if (typeof content !== "string") return undefined;
    return typeof encoding === "string" && encoding !== ""
      ? { text: content, encoding }
      : { text: content };
  }
  return undefined;
}

interface ContentSource {
  getContent(callback?: (content: unknown, encoding?: unknown) => void): unknown;
}

/**
 * The body of a DevTools request, or undefined after `timeoutMs`: for a `no-store` response the
 * page never read, Chromium never answers at all, and capture must not wait on it.
 */
export function getContent(
  request: ContentSource,
  timeoutMs: number,
): Promise<CapturedContent | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (value: CapturedContent | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => settle(undefined), timeoutMs);
    try {
      const returned = request.getContent((content, encoding) =>
        settle(normaliseContent(content, encoding)),
      );
      if (returned && typeof (returned as Promise<unknown>).then === "function") {
        (returned as Promise<unknown>).then(
          (value) => settle(normaliseContent(value)),
          () => settle(undefined),
        );
      }
    } catch {
      settle(undefined);
    }
  });
}
