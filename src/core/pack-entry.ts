import type { HarEntry } from "./types.js";

/**
 * A HAR entry packed: its shape (the entry as JSON with every leaf, a string, number, boolean or
 * null, replaced by 0), then its leaves in the order the shape lists them. Entries of one app
 * have a handful of shapes, and most of their strings (header names, an app's header values, its
 * call stack) recur: shapes and short strings are interned (PartPool), so an entry holds one
 * array of pointers to them and its own strings (URL, dates, ids). A HAR entry as objects weighs
 * about twice that.
 */
export type PackedEntry = readonly unknown[];

/** Strings this long or shorter are interned; longer ones (a URL, a body) rarely recur. */
const INTERNED_CHARS = 64;
/** Interned strings held at most: past it the pool starts over (it bounds what unique ones cost). */
const POOL_SIZE = 20_000;
/** Deeper is not a HAR entry (or has a cycle): held as it is. */
const MAX_DEPTH = 32;

/** Interns the shapes and short strings of packed entries, up to POOL_SIZE of them. */
export class PartPool {
  #strings = new Map<string, string>();
  #shapes = new Map<string, string>();

  intern(text: string): string {
    if (text.length > INTERNED_CHARS) return text;
    return internIn(this.#strings, text);
  }

  shape(text: string): string {
    return internIn(this.#shapes, text);
  }
}

function internIn(pool: Map<string, string>, text: string): string {
  const held = pool.get(text);
  if (held !== undefined) return held;
  if (pool.size >= POOL_SIZE) pool.clear();
  pool.set(text, text);
  return text;
}

/** The entry packed, or undefined when it cannot be (too deep, a cycle). */
export function packEntry(
  entry: HarEntry,
  pool: PartPool = new PartPool(),
): PackedEntry | undefined {
  const packed: unknown[] = [""];
  const skeleton = skeletonOf(entry, packed, pool, 0);
  if (skeleton === undefined) return undefined;
  packed[0] = pool.shape(JSON.stringify(skeleton));
  return packed;
}

/** `value` with its leaves replaced by 0, each pushed to `leaves`; undefined when too deep. */
function skeletonOf(value: unknown, leaves: unknown[], pool: PartPool, depth: number): unknown {
  if (depth > MAX_DEPTH) return undefined;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      if (typeof item === "object" && item !== null) {
        const inner = skeletonOf(item, leaves, pool, depth + 1);
        if (inner === undefined) return undefined;
        out.push(inner);
      } else {
        out.push(0);
        leaves.push(typeof item === "string" ? pool.intern(item) : item);
      }
    }
    return out;
  }
  // No prototype: a key "__proto__" (a hostile HAR) is a key like any other.
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value as object)) {
    const item = (value as Record<string, unknown>)[key];
    // What JSON leaves out of an object, the packed entry does too.
    if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
    if (typeof item === "object" && item !== null) {
      const inner = skeletonOf(item, leaves, pool, depth + 1);
      if (inner === undefined) return undefined;
      out[key] = inner;
    } else {
      out[key] = 0;
      leaves.push(typeof item === "string" ? pool.intern(item) : item);
    }
  }
  return out;
}

/** The entry `packEntry` packed, as a new object. */
export function unpackEntry(packed: PackedEntry): HarEntry {
  const top = JSON.parse(packed[0] as string) as Record<string, unknown>;
  fill(top, packed, { next: 1 });
  return top as unknown as HarEntry;
}

function fill(
  node: Record<string, unknown> | unknown[],
  packed: PackedEntry,
  at: { next: number },
) {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const item = node[i];
      if (typeof item === "object" && item !== null) fill(item as never, packed, at);
      else node[i] = packed[at.next++];
    }
    return;
  }
  for (const key in node) {
    const item = node[key];
    if (typeof item === "object" && item !== null) fill(item as never, packed, at);
    else node[key] = packed[at.next++];
  }
}
