import { parseHar, type SkippedEntry } from "../core/har/parse-har.js";
import { type EntryOrigin, Session, type SessionOptions } from "../core/session.js";
import type { HarEntry } from "../core/types.js";
import { analysedHosts, DEFAULT_SETTINGS, type Settings } from "../settings/settings.js";

function sessionOptions(settings: Settings): SessionOptions {
  return {
    hosts: analysedHosts(settings),
    limits: settings.limits,
    bodiesKept: settings.bodiesKept,
  };
}

/** Listeners are told at most this often: one frame at 60 frames a second. */
const FRAME_MS = 16;

export type ImportResult =
  /**
   * `added` requests analysed, `apiRequests` of them to API hosts; `skipped` entries left out,
   * `unreadable` of them because they could not be read (index in `log.entries` and why).
   */
  | {
      ok: true;
      added: number;
      apiRequests: number;
      skipped: number;
      unreadable: SkippedEntry[];
    }
  | { ok: false; message: string };

/**
 * The panel's state: one Session plus what the toolbar controls. Views subscribe and redraw on
 * change; capture and import feed it. No browser API here, so DOM tests drive it directly.
 */
export class PanelStore {
  #session: Session;
  #listeners = new Set<() => void>();
  #preserveLog = false;
  #scheduled = false;
  /** When listeners were last told of a change (performance.now()). */
  #toldAt = Number.NEGATIVE_INFINITY;
  /** Where the entries came from: live capture, or the name of an imported file. */
  #source: { kind: "live" } | { kind: "file"; name: string } = { kind: "live" };

  #settings: Settings;

  constructor(settings: Settings = DEFAULT_SETTINGS) {
    this.#settings = settings;
    this.#session = new Session(sessionOptions(settings));
    this.#preserveLog = settings.preserveLog;
  }

  /** The user's settings as the store last received them. */
  get settings(): Settings {
    return this.#settings;
  }

  get session(): Session {
    return this.#session;
  }

  get preserveLog(): boolean {
    return this.#preserveLog;
  }

  get source(): { kind: "live" } | { kind: "file"; name: string } {
    return this.#source;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A finished request from capture: false when it is not API traffic, or a file is open. */
  add(entry: HarEntry, origin: EntryOrigin): boolean {
    // An imported file is a recorded session: live traffic must not mix into it. Clear returns.
    if (this.#source.kind === "file") return false;
    const added = this.#session.add(entry, origin) !== undefined;
    if (added) this.#changed();
    return added;
  }

  clear(): void {
    this.#session.clear();
    this.#source = { kind: "live" };
    this.#changed();
  }

  setPreserveLog(on: boolean): void {
    this.#preserveLog = on;
    this.#changed();
  }

  /** The inspected page navigated: like the Network panel, start over unless the log is kept. */
  navigated(): void {
    if (!this.#preserveLog) this.clear();
  }

  /** New settings: the entries are analysed again under the new hosts and limits. */
  configure(settings: Settings): void {
    this.#settings = settings;
    this.#session.reconfigure(sessionOptions(settings));
    this.#changed();
  }

  /**
   * Replaces the session with a HAR file, read as the CLI reads it (every entry but CORS
   * preflights and unreadable ones); the live capture stops feeding it.
   */
  importHar(name: string, text: string): ImportResult {
    const parsed = parseHar(text);
    if (!parsed.ok) return parsed;
    const added = this.#session.import(parsed);
    this.#source = { kind: "file", name };
    this.#changed();
    return {
      ok: true,
      added,
      apiRequests: this.#session.report().summary.apiRequests,
      skipped: parsed.entries.length - added + parsed.skipped.length,
      unreadable: parsed.skipped,
    };
  }

  /**
   * Views redraw at most once a frame, however many entries arrived in it: live capture adds each
   * request in a task of its own, a thousand a second at full speed. A change after a quiet frame
   * is told in the next task.
   */
  #changed(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    const wait = Math.max(0, this.#toldAt + FRAME_MS - performance.now());
    setTimeout(() => {
      this.#scheduled = false;
      this.#toldAt = performance.now();
      for (const listener of this.#listeners) listener();
    }, wait);
  }
}
