import { closeSync, openSync, readSync } from "node:fs";
import { parseHarTime } from "../core/har/har-time.js";
import { invalidEntryReason, type SkippedEntry } from "../core/har/parse-har.js";
import { RecordedOrder } from "../core/har/recorded-order.js";
import { isRecord as isObject } from "../core/is-record.js";
import type { HarEntry } from "../core/types.js";
import { oneLine, UTF16_MESSAGE } from "../core/visible-text.js";
import { HarScanner, MAX_SKELETON_BYTES, type ScannedElement } from "./har-scanner.js";

/**
 * A HAR, file or standard input, read in chunks into its entries in order of start time, each
 * under its index in `log.entries`. Exporters write entries in that order; a bounded window
 * reorders entries that are slightly out of it. A file out of order beyond the window is read
 * again, all of it sorted by start time from the offsets of its entries
 * (docs/decisions.md, "The CLI analyses entries in order of start time"), so the analysis is the
 * same as reading the file whole.
 */

/** Entries held to reorder: this many later entries may start before an earlier one. */
const REORDER_WINDOW = 256;

export class HarInputError extends Error {}

export interface ReadOptions {
  strict: boolean;
  /** Each entry, in order of start time (ties in file order). */
  entry: (entry: HarEntry, index: number) => void;
  /** An entry that will be passed to `entry`, in file order (before its turn in start order). */
  accepted?: (index: number) => void;
  /** Bytes read so far, after each chunk. */
  progress?: (bytes: number) => void;
}

export type ReadResult =
  | { order: "sorted"; skipped: SkippedEntry[] }
  /** Out of order beyond the window: nothing more was passed to `entry`; read it by offsets. */
  | { order: "unsorted" };

function notJson(detail: string): HarInputError {
  return new HarInputError(`not valid JSON (truncated or not a HAR file): ${oneLine(detail)}`);
}

function parseElement(element: ScannedElement): unknown {
  try {
    return JSON.parse(element.bytes.toString("utf8"));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw notJson(`log.entries[${element.index}]: ${detail}`);
  }
}

/** What JSON.parse and the HAR checks say of the file outside its entries. */
function checkSkeleton(skeleton: string): void {
  let json: unknown;
  try {
    json = JSON.parse(skeleton);
  } catch (error) {
    throw notJson(error instanceof Error ? error.message : String(error));
  }
  if (!isObject(json) || !isObject(json.log))
    throw new HarInputError('not a HAR file: no "log" object');
  if (!Array.isArray(json.log.entries))
    throw new HarInputError('not a HAR file: "log.entries" is not an array');
}

/** Usable entries and skipped ones, as parseHar decides, and the file-level messages. */
class EntryChecker {
  readonly skipped: SkippedEntry[] = [];
  usable = 0;
  readonly #strict: boolean;

  constructor(strict: boolean) {
    this.#strict = strict;
  }

  /** The entry when it can be analysed; undefined (and noted) when not. */
  check(element: ScannedElement, value: unknown): HarEntry | undefined {
    const reason = invalidEntryReason(value);
    if (reason === undefined) {
      this.usable++;
      return value as HarEntry;
    }
    if (this.#strict)
      throw new HarInputError(`invalid HAR: log.entries[${element.index}] ${reason}`);
    this.skipped.push({ index: element.index, reason });
    return undefined;
  }

  finish(scanner: HarScanner): void {
    const end = scanner.end();
    if (end.state === "utf-16") throw new HarInputError(UTF16_MESSAGE);
    if (end.state === "empty") throw new HarInputError("the file is empty");
    if (end.state === "too-large") {
      const mb = MAX_SKELETON_BYTES / 1024 / 1024;
      throw new HarInputError(`not a HAR file: no "log.entries" array in its first ${mb} MB`);
    }
    if (end.state === "truncated") {
      if (!end.inEntries) checkSkeleton(end.skeleton);
      throw notJson(`the input ends inside log.entries[${end.elements}]`);
    }
    if (!scanner.separatorsValid) throw notJson("a missing or extra comma between log.entries");
    checkSkeleton(end.skeleton);
    const [first] = this.skipped;
    if (this.usable === 0 && first !== undefined) {
      const more = this.skipped.length > 1 ? ` (and ${this.skipped.length - 1} more)` : "";
      throw new HarInputError(
        `no entry could be read: log.entries[${first.index}] ${first.reason}${more}`,
      );
    }
  }
}

/** An entry held for its turn, under its index in `log.entries`. */
interface Held {
  entry: HarEntry;
  index: number;
}

/** Reads the HAR's chunks; entries go to `options.entry` in order of start time. */
export async function readEntries(
  chunks: AsyncIterable<Buffer>,
  options: ReadOptions,
): Promise<ReadResult> {
  const checker = new EntryChecker(options.strict);
  const order = new RecordedOrder<Held>(REORDER_WINDOW);
  let unsorted = false;
  const scanner = new HarScanner((element) => {
    if (unsorted) return;
    const entry = checker.check(element, parseElement(element));
    if (entry === undefined) return;
    if (!order.add(parseHarTime(entry.startedDateTime), { entry, index: element.index })) {
      unsorted = true;
      return;
    }
    options.accepted?.(element.index);
    const due = order.due();
    if (due !== undefined) options.entry(due.entry, due.index);
  });
  for await (const chunk of chunks) {
    scanner.push(chunk);
    // Nothing in it will be read: say so now, not after reading the rest of a large file.
    if (scanner.utf16) throw new HarInputError(UTF16_MESSAGE);
    options.progress?.(scanner.offset);
    if (unsorted) {
      // Drain the input (standard input is being spooled) without parsing it.
      for await (const rest of chunks) options.progress?.(scanner.offset + rest.length);
      return { order: "unsorted" };
    }
  }
  checker.finish(scanner);
  for (let held = order.next(); held !== undefined; held = order.next())
    options.entry(held.entry, held.index);
  return { order: "sorted", skipped: checker.skipped };
}

/**
 * A file out of order beyond the window: one pass for each entry's start, offset and length,
 * then the entries read by offset in order of start time. Memory: about 40 bytes per entry.
 */
export async function readEntriesByOffset(
  path: string,
  chunks: AsyncIterable<Buffer>,
  options: ReadOptions,
): Promise<SkippedEntry[]> {
  const checker = new EntryChecker(options.strict);
  // Each entry's position in these arrays goes through the order, not the entry itself.
  const order = new RecordedOrder<number>();
  let offsets = new Float64Array(1024);
  let lengths = new Float64Array(1024);
  let indices = new Float64Array(1024);
  let count = 0;
  const scanner = new HarScanner((element) => {
    const entry = checker.check(element, parseElement(element));
    if (entry === undefined) return;
    if (count === offsets.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      offsets = grow(offsets);
      lengths = grow(lengths);
      indices = grow(indices);
    }
    options.accepted?.(element.index);
    order.add(parseHarTime(entry.startedDateTime), count);
    offsets[count] = element.offset;
    lengths[count] = element.bytes.length;
    indices[count] = element.index;
    count++;
  });
  for await (const chunk of chunks) {
    scanner.push(chunk);
    options.progress?.(scanner.offset / 2);
  }
  checker.finish(scanner);
  const fd = openSync(path, "r");
  try {
    let buffer = Buffer.alloc(1024 * 1024);
    let done = 0;
    for (let i = order.next(); i !== undefined; i = order.next()) {
      const length = lengths[i] as number;
      if (buffer.length < length) buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, offsets[i] as number);
      const entry = JSON.parse(buffer.toString("utf8", 0, length)) as HarEntry;
      options.entry(entry, indices[i] as number);
      done += length;
      options.progress?.(scanner.offset / 2 + done / 2);
    }
  } finally {
    closeSync(fd);
  }
  return checker.skipped;
}
