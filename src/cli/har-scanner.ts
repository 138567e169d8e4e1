/**
 * Finds the bytes of each element of `log.entries` in a HAR arriving in chunks, without parsing
 * them: the caller parses one entry at a time, so a file of any size costs one entry's memory.
 * Everything outside the entries array (the "skeleton": `{"log": {"version", "creator", "pages",
 * "entries": []}}`) is kept, with the array emptied, for the caller to check as a whole with
 * JSON.parse: so a file that is not a HAR gets JSON.parse's own message. The scanner is not a
 * validator: each element and the skeleton are parsed by JSON.parse, which finds what is wrong.
 */

import { startsAsUtf16 } from "../core/visible-text.js";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** The skeleton is small in a HAR (pages, creator); a file whose is not is not one. */
export const MAX_SKELETON_BYTES = 64 * 1024 * 1024;

export interface ScannedElement {
  /** Its position in `log.entries`. */
  index: number;
  /** The element's bytes (in the chunk, or joined from several): valid during `onElement` only. */
  bytes: Buffer;
  /** Where it starts in the input, BOM included. */
  offset: number;
}

export type ScanEnd =
  | { state: "done"; skeleton: string; elements: number }
  | { state: "truncated"; skeleton: string; elements: number; inEntries: boolean }
  | { state: "empty" }
  | { state: "too-large" }
  /** It starts as UTF-16 does (see startsAsUtf16): nothing of it was scanned. */
  | { state: "utf-16" };

export class HarScanner {
  readonly #onElement: (element: ScannedElement) => void;
  /** Bytes consumed so far. */
  #offset = 0;
  #started = false;
  #lead: Buffer | undefined;
  #sawContent = false;
  #depth = 0;
  // Inside a string: whether the next byte is escaped by a backslash at the end of the last chunk.
  #inString = false;
  #escaped = false;
  // Object or array, and whether a key comes next, for depths 1 and 2 (the only keys read).
  #isObject: boolean[] = [];
  #expectKey: boolean[] = [];
  #key: string[] = ["", "", ""];
  #keyParts: Buffer[] | undefined;
  #logDepth2 = false;
  #entriesDone = false;
  // In log.entries: between elements, or inside one that started at #elementStart.
  #inEntries = false;
  #inElement = false;
  #elementIsPrimitive = false;
  #elementParts: Buffer[] = [];
  #elementOffset = 0;
  #elements = 0;
  #skeleton: Buffer[] = [];
  #skeletonBytes = 0;
  #tooLarge = false;
  #utf16 = false;

  constructor(onElement: (element: ScannedElement) => void) {
    this.#onElement = onElement;
  }

  get offset(): number {
    return this.#offset;
  }

  /** The input starts as UTF-16: the rest is not scanned (a reader can stop at once). */
  get utf16(): boolean {
    return this.#utf16;
  }

  /**
   * Scans the next chunk. Nothing of it is referenced once push returns (what an entry or key
   * spanning chunks needs is copied), and an element's `bytes` only during `onElement`: so the
   * caller may read the next chunk into the same memory. The CLI does, so that its RSS is not
   * tens of megabytes of read chunks waiting for the collector.
   */
  push(input: Buffer): void {
    let chunk = input;
    if (!this.#started) {
      // Three bytes are needed to tell a byte-order mark: hold a shorter first chunk.
      chunk = this.#lead === undefined ? input : Buffer.concat([this.#lead, input]);
      if (chunk.length < 3) {
        this.#lead = Buffer.from(chunk);
        return;
      }
      this.#lead = undefined;
      this.#started = true;
      // A UTF-8 byte-order mark (Fiddler, some Chrome exports), which JSON forbids.
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        this.#offset += 3;
        chunk = chunk.subarray(3);
      } else if (startsAsUtf16(chunk)) {
        this.#utf16 = true;
      }
    }
    if (this.#utf16) {
      this.#offset += chunk.length;
      return;
    }
    if (this.#tooLarge) return;
    const base = this.#offset;
    this.#offset += chunk.length;
    let i = 0;
    let skeletonFrom = this.#inEntries ? -1 : 0;
    const n = chunk.length;
    if (this.#inElement && !this.#elementIsPrimitive) this.#elementParts.push(chunk);
    while (i < n) {
      if (this.#inString) {
        i = this.#stringEnd(chunk, i);
        if (i < 0) break;
        continue;
      }
      if (this.#inElement && !this.#elementIsPrimitive) {
        // The hot loop: inside an entry only brackets, quotes and escapes matter. Strings are
        // walked here rather than with indexOf: an entry has a hundred short ones (its keys).
        let depth = this.#depth;
        let inString = false;
        for (; i < n; i++) {
          const c = chunk[i] as number;
          if (inString) {
            if (c === BACKSLASH) i++;
            else if (c === QUOTE) inString = false;
            continue;
          }
          if (c === QUOTE) inString = true;
          else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
          else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
            depth--;
            if (depth === 3) break;
          }
        }
        this.#depth = depth;
        if (i >= n) {
          if (inString) {
            // A backslash as the chunk's last byte escapes the next chunk's first.
            this.#inString = true;
            this.#escaped = i > n;
          }
          break;
        }
        // The element's closing bracket.
        i++;
        this.#finishElement(chunk, i, base);
        continue;
      }
      const c = chunk[i] as number;
      if (this.#inEntries) {
        if (this.#inElement) {
          // A primitive element (null, a number, a string): up to the next comma, bracket or space.
          if (c === COMMA || c === CLOSE_ARRAY || isSpace(c)) {
            this.#finishElement(chunk, i, base);
            continue;
          }
          if (c === QUOTE) {
            this.#inString = true;
            this.#escaped = false;
          }
          i++;
          continue;
        }
        if (isSpace(c) || c === COMMA) {
          // Commas are checked by parsing: see #checkSeparator.
          this.#separator(c);
          i++;
          continue;
        }
        if (c === CLOSE_ARRAY) {
          this.#inEntries = false;
          this.#entriesDone = true;
          this.#depth = 2;
          this.#expectKey[2] = false;
          if (this.#pendingComma) this.#badSeparator = true;
          skeletonFrom = i; // the "]" belongs to the skeleton, which then reads "entries":[]
          i++;
          continue;
        }
        this.#startElement(chunk, i, base, c);
        if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
          this.#depth = 4;
          i++;
        } else if (c === QUOTE) {
          this.#inString = true;
          this.#escaped = false;
          i++;
        }
        continue;
      }
      // The skeleton: everything but the entries.
      if (!isSpace(c)) this.#sawContent = true;
      if (c === QUOTE) {
        const keyAt = this.#depth;
        if (keyAt >= 1 && keyAt <= 2 && this.#isObject[keyAt] && this.#expectKey[keyAt]) {
          this.#keyParts = [];
        }
        this.#inString = true;
        this.#escaped = false;
        i++;
        continue;
      }
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        const parent = this.#depth;
        const depth = ++this.#depth;
        if (
          c === OPEN_ARRAY &&
          depth === 3 &&
          this.#logDepth2 &&
          this.#key[2] === "entries" &&
          !this.#entriesDone
        ) {
          // log.entries: the array stays in the skeleton, its elements go to the caller.
          this.#appendSkeleton(chunk.subarray(skeletonFrom, i + 1));
          skeletonFrom = -1;
          this.#inEntries = true;
          this.#pendingComma = false;
          this.#afterElement = false;
          i++;
          continue;
        }
        if (depth <= 2) {
          this.#isObject[depth] = c === OPEN_OBJECT;
          this.#expectKey[depth] = c === OPEN_OBJECT;
          if (depth === 2)
            this.#logDepth2 = c === OPEN_OBJECT && parent === 1 && this.#key[1] === "log";
        }
        i++;
        continue;
      }
      if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        this.#depth = Math.max(0, this.#depth - 1);
      } else if (c === COLON) {
        if (this.#depth <= 2) this.#expectKey[this.#depth] = false;
      } else if (c === COMMA) {
        if (this.#depth <= 2) this.#expectKey[this.#depth] = this.#isObject[this.#depth] === true;
      }
      i++;
    }
    if (skeletonFrom >= 0) this.#appendSkeleton(chunk.subarray(skeletonFrom));
    if (this.#inElement && this.#elementIsPrimitive) {
      this.#elementParts.push(Buffer.from(chunk.subarray(this.#primitiveFrom)));
    } else if (this.#inElement) {
      // The element goes on in the next chunk: its part in this one (always the last) is copied.
      const last = this.#elementParts.length - 1;
      this.#elementParts[last] = Buffer.from(this.#elementParts[last] as Buffer);
    }
    this.#primitiveFrom = 0;
  }

  #pendingComma = false;
  #afterElement = false;
  #badSeparator = false;
  #primitiveFrom = 0;

  #separator(c: number): void {
    if (c !== COMMA) return;
    // "[,{...}]", "{...},,{...}": JSON.parse would reject the file; so does the scan.
    if (!this.#afterElement || this.#pendingComma) this.#badSeparator = true;
    this.#pendingComma = true;
  }

  #startElement(chunk: Buffer, i: number, base: number, c: number): void {
    if (this.#afterElement && !this.#pendingComma) this.#badSeparator = true;
    this.#pendingComma = false;
    this.#inElement = true;
    this.#elementIsPrimitive = c !== OPEN_OBJECT && c !== OPEN_ARRAY;
    this.#elementOffset = base + i;
    if (this.#elementIsPrimitive) {
      this.#primitiveFrom = i;
      this.#elementParts = [];
    } else {
      this.#elementParts = [chunk.subarray(i)];
    }
  }

  #finishElement(chunk: Buffer, end: number, base: number): void {
    const parts = this.#elementParts;
    let bytes: Buffer;
    if (this.#elementIsPrimitive) {
      parts.push(chunk.subarray(this.#primitiveFrom, end));
      bytes = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
    } else {
      // The last part is this chunk from the element's start (or from 0); cut it at the end.
      const last = parts.length - 1;
      const lastPart = parts[last] as Buffer;
      parts[last] = lastPart.subarray(0, end - (chunk.length - lastPart.length));
      bytes = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
    }
    this.#elementParts = [];
    this.#inElement = false;
    this.#afterElement = true;
    this.#depth = 3;
    this.#primitiveFrom = end;
    void base;
    this.#onElement({ index: this.#elements++, bytes, offset: this.#elementOffset });
  }

  /** From inside a string at `from`: the index after its closing quote, or -1 at the chunk's end. */
  #stringEnd(chunk: Buffer, from: number): number {
    let start = from;
    if (this.#escaped) {
      this.#escaped = false;
      start++;
    }
    let j = start;
    const n = chunk.length;
    for (;;) {
      j = chunk.indexOf(QUOTE, j);
      if (j < 0) {
        let k = n - 1;
        while (k >= start && chunk[k] === BACKSLASH) k--;
        this.#escaped = (n - 1 - k) % 2 === 1;
        if (this.#keyParts !== undefined) this.#keyParts.push(Buffer.from(chunk.subarray(from, n)));
        return -1;
      }
      let k = j - 1;
      while (k >= start && chunk[k] === BACKSLASH) k--;
      if ((j - 1 - k) % 2 === 0) break;
      j++;
    }
    this.#inString = false;
    if (this.#keyParts !== undefined) {
      this.#keyParts.push(chunk.subarray(from, j));
      const depth = this.#depth;
      this.#key[depth] = Buffer.concat(this.#keyParts).toString("utf8");
      this.#keyParts = undefined;
    }
    return j + 1;
  }

  #appendSkeleton(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.#skeletonBytes += bytes.length;
    if (this.#skeletonBytes > MAX_SKELETON_BYTES) {
      this.#tooLarge = true;
      this.#skeleton = [];
      return;
    }
    // Copied: the chunk it came from is otherwise released.
    this.#skeleton.push(Buffer.from(bytes));
  }

  /** Whether the separators between entries were valid JSON so far. */
  get separatorsValid(): boolean {
    return !this.#badSeparator;
  }

  end(): ScanEnd {
    if (this.#lead !== undefined) {
      const lead = this.#lead;
      this.#lead = undefined;
      this.#started = true;
      // FF FE alone: an empty UTF-16 file.
      this.#utf16 = startsAsUtf16(lead);
      this.push(lead);
    }
    if (this.#utf16) return { state: "utf-16" };
    if (this.#tooLarge) return { state: "too-large" };
    if (this.#inElement && this.#elementIsPrimitive) {
      // A primitive element at the very end: let the caller's parse say what is wrong.
      const parts = this.#elementParts;
      this.#elementParts = [];
      this.#inElement = false;
      this.#onElement({
        index: this.#elements++,
        bytes: Buffer.concat(parts),
        offset: this.#elementOffset,
      });
    }
    const skeleton = Buffer.concat(this.#skeleton).toString("utf8");
    if (!this.#sawContent && this.#elements === 0) return { state: "empty" };
    if (this.#inEntries || this.#inElement || this.#inString) {
      return { state: "truncated", skeleton, elements: this.#elements, inEntries: this.#inEntries };
    }
    return { state: "done", skeleton, elements: this.#elements };
  }
}
