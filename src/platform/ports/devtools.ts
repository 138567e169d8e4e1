/**
 * The DevTools surfaces the panel uses, as src/platform/devtools.ts implements them and tests fake
 * them. Declared here, beside the adapters, so that src/platform never imports the panel: the
 * panel imports these types, and its entry (main.tsx) hands it the implementations.
 */
import type { HarEntry } from "../../core/types.js";

/** A response body as DevTools gives it, or undefined when it never answered. */
export interface CapturedContent {
  text: string;
  encoding?: string;
}

/** One request DevTools knows of, with the way to ask for its body. */
export interface CapturedRequest {
  entry: HarEntry;
  /**
   * Resolves to undefined when DevTools does not answer within `timeoutMs`: a body must never
   * stall capture.
   */
  content(timeoutMs: number): Promise<CapturedContent | undefined>;
}

/** The part of `devtools.network` capture needs; each subscription returns its unsubscribe. */
export interface NetworkSource {
  onRequestFinished(listener: (request: CapturedRequest) => void): () => void;
  getHar(): Promise<CapturedRequest[]>;
  onNavigated(listener: (url: string) => void): () => void;
}

/** DevTools' theme: `default` is light. */
export type ThemeName = "default" | "dark";
