import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Where the report's text goes: standard output, with its back-pressure. */
export interface Output {
  /** Text, or the UTF-8 bytes of a report held in a temporary file. */
  write(text: string | Uint8Array): Promise<void>;
}

/** A spool holds this much text in memory; beyond it, the rest goes to a temporary file. */
const HOLD_CHARS = 2 * 1024 * 1024;
/** Small parts are joined into one of about this size before they are held or written. */
const FLUSH_CHARS = 256 * 1024;
/** A spooled file is read back in parts of this size, through one buffer. */
const COPY_BYTES = 1024 * 1024;

/**
 * Text written in order and read back once: in memory while small, in a temporary file beyond
 * HOLD_CHARS, so that a report of any size is held in bounded memory until it can be written
 * (nothing is printed before the whole input was read: a file found bad at its end prints no half
 * report). Synchronous, as the analysis that feeds it is.
 */
export class Spool {
  #pending: string[] = [];
  #pendingChars = 0;
  #held: string[] = [];
  #heldChars = 0;
  #file: { dir: string; path: string; fd: number; bytes: number } | undefined;

  write(text: string): void {
    if (text === "") return;
    this.#pending.push(text);
    this.#pendingChars += text.length;
    if (this.#pendingChars >= FLUSH_CHARS) this.#flush();
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    const text = this.#pending.join("");
    this.#pending = [];
    this.#pendingChars = 0;
    if (this.#file !== undefined) {
      this.#file.bytes += writeSync(this.#file.fd, text);
      return;
    }
    this.#held.push(text);
    this.#heldChars += text.length;
    if (this.#heldChars < HOLD_CHARS) return;
    const dir = mkdtempSync(join(tmpdir(), "ratelens-"));
    const path = join(dir, "spool");
    this.#file = { dir, path, fd: openSync(path, "w+"), bytes: 0 };
    for (const part of this.#held) this.#file.bytes += writeSync(this.#file.fd, part);
    this.#held = [];
    this.#heldChars = 0;
  }

  /** Everything written, in parts: held text, then the file's bytes through one reused buffer. */
  *#parts(): Generator<string | Uint8Array> {
    this.#flush();
    yield* this.#held;
    const file = this.#file;
    if (file === undefined) return;
    // As bytes through one buffer: decoded to text, or read into a fresh buffer per part, the
    // copy would be the peak of the whole run's memory.
    const buffer = Buffer.allocUnsafe(COPY_BYTES);
    for (let at = 0; at < file.bytes; ) {
      const bytes = readSync(file.fd, buffer, 0, Math.min(COPY_BYTES, file.bytes - at), at);
      if (bytes === 0) break;
      at += bytes;
      yield buffer.subarray(0, bytes);
    }
  }

  /** Appends all of this spool to another one (a part of a larger report). */
  appendTo(target: Spool): void {
    // A part read from the file may end inside a character: a streaming decoder joins it.
    const decoder = new TextDecoder();
    for (const part of this.#parts()) {
      target.write(typeof part === "string" ? part : decoder.decode(part, { stream: true }));
    }
    target.write(decoder.decode());
  }

  /** Writes all of it to the output, then removes it. */
  async writeTo(output: Output): Promise<void> {
    try {
      for (const part of this.#parts()) await output.write(part);
    } finally {
      this.dispose();
    }
  }

  /** Removes what was held. */
  dispose(): void {
    this.#pending = [];
    this.#pendingChars = 0;
    this.#held = [];
    this.#heldChars = 0;
    if (this.#file === undefined) return;
    closeSync(this.#file.fd);
    rmSync(this.#file.dir, { recursive: true, force: true });
    this.#file = undefined;
  }
}

/**
 * Elements written in any order and read back in order of a numeric key (ties in the order
 * written). Beyond HOLD_CHARS their text goes to a temporary file at once, and only each one's
 * key, offset and length stay in memory: the chains close in the order their last request ages
 * out, and are listed in the order of their first.
 */
export class KeyedSpool {
  #keys: number[] = [];
  #texts: string[] = [];
  #chars = 0;
  #file: { dir: string; fd: number; bytes: number; at: number[]; lengths: number[] } | undefined;

  get length(): number {
    return this.#keys.length;
  }

  write(text: string, key: number): void {
    this.#keys.push(key);
    if (this.#file !== undefined) {
      this.#append(text);
      return;
    }
    this.#texts.push(text);
    this.#chars += text.length;
    if (this.#chars < HOLD_CHARS) return;
    const dir = mkdtempSync(join(tmpdir(), "ratelens-"));
    this.#file = { dir, fd: openSync(join(dir, "elements"), "w+"), bytes: 0, at: [], lengths: [] };
    for (const held of this.#texts) this.#append(held);
    this.#texts = [];
    this.#chars = 0;
  }

  #append(text: string): void {
    const file = this.#file;
    if (file === undefined) return;
    const bytes = Buffer.from(text, "utf8");
    writeSync(file.fd, bytes, 0, bytes.length, file.bytes);
    file.at.push(file.bytes);
    file.lengths.push(bytes.length);
    file.bytes += bytes.length;
  }

  /** Each element in key order to `write`, with its position in that order; then removes them. */
  drain(write: (text: string, position: number) => void): void {
    const keys = this.#keys;
    const order = keys.map((_, i) => i);
    order.sort((a, b) => (keys[a] as number) - (keys[b] as number) || a - b);
    const file = this.#file;
    try {
      order.forEach((i, position) => {
        if (file === undefined) {
          write(this.#texts[i] as string, position);
          return;
        }
        // One element at a time by its offset: only the keys and one element are in memory.
        const length = file.lengths[i] as number;
        const buffer = Buffer.allocUnsafe(length);
        readSync(file.fd, buffer, 0, length, file.at[i] as number);
        write(buffer.toString("utf8"), position);
      });
    } finally {
      this.dispose();
    }
  }

  dispose(): void {
    this.#keys = [];
    this.#texts = [];
    this.#chars = 0;
    if (this.#file === undefined) return;
    closeSync(this.#file.fd);
    rmSync(this.#file.dir, { recursive: true, force: true });
    this.#file = undefined;
  }
}
