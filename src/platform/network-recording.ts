import type { CapturedRequest, NetworkSource } from "./ports/devtools.js";

/** The two events a recording listens to, as `devtools.network` offers them. */
export interface NetworkEvents {
  onRequestFinished(listener: (request: CapturedRequest) => void): () => void;
  onNavigated(listener: (url: string) => void): () => void;
}

/** How many reported requests a recording keeps for a panel that has not read them yet. */
export const RECORDED_REQUESTS = 5000;

/**
 * DevTools' network as heard from the moment the recording starts, kept for the panel: its
 * `getHar()` lists what `onRequestFinished` reported (the newest `limit` requests), and never
 * reads DevTools' own log. Firefox drops requests under way from its log when that log is read
 * (docs/firefox.md), so there the DevTools page records from the moment the toolbox opens and the
 * panel reads this instead.
 */
export class NetworkRecording implements NetworkSource {
  readonly #requests: CapturedRequest[] = [];
  readonly #finished = new Set<(request: CapturedRequest) => void>();
  readonly #navigated = new Set<(url: string) => void>();
  readonly #limit: number;

  constructor(events: NetworkEvents, limit = RECORDED_REQUESTS) {
    this.#limit = limit;
    events.onRequestFinished((request) => {
      this.#requests.push(request);
      // Dropped a tenth at a time, so that a reader scans the shortened list again seldom.
      if (this.#requests.length > this.#limit) {
        this.#requests.splice(0, this.#requests.length - Math.floor(this.#limit * 0.9));
      }
      NetworkRecording.#tell(this.#finished, request);
    });
    events.onNavigated((url) => NetworkRecording.#tell(this.#navigated, url));
  }

  onRequestFinished(listener: (request: CapturedRequest) => void): () => void {
    this.#finished.add(listener);
    return () => this.#finished.delete(listener);
  }

  onNavigated(listener: (url: string) => void): () => void {
    this.#navigated.add(listener);
    return () => this.#navigated.delete(listener);
  }

  async getHar(): Promise<CapturedRequest[]> {
    return [...this.#requests];
  }

  /** Listeners belong to another page (the panel's): one that throws must not silence the rest. */
  static #tell<T>(listeners: Set<(value: T) => void>, value: T): void {
    for (const listener of listeners) {
      try {
        listener(value);
      } catch (error) {
        console.error("Ratelens recording:", error);
      }
    }
  }
}
