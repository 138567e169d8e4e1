/**
 * Recorded order: a HAR's entries by start time, ties in file order, the order the CLI and the
 * panel's import analyse a file in. Items go in in file order and come out in recorded order.
 * With a window, at most that many are held: an item comes out once more than `window` later ones
 * went in, so a stream of any length is ordered in bounded memory as long as no item starts before
 * one already out (exporters write entries in start order, a few slightly out of it). Without
 * one, everything is held until the end: a whole array, or a file's entries read by offset.
 */
export class RecordedOrder<T> {
  readonly #window: number;
  // A binary min-heap by (start, position), in parallel arrays: no object per item, so that
  // holding every entry of a large file costs a few bytes each.
  readonly #starts: number[] = [];
  readonly #positions: number[] = [];
  readonly #items: T[] = [];
  #added = 0;
  #lastOut = Number.NEGATIVE_INFINITY;

  constructor(window = Number.POSITIVE_INFINITY) {
    this.#window = window;
  }

  get size(): number {
    return this.#items.length;
  }

  /**
   * The next item in file order, starting at `start` (epoch ms, not NaN). False, and nothing
   * held, when it starts before an item already out: the input is out of order beyond the window
   * (read it whole instead).
   */
  add(start: number, item: T): boolean {
    if (start < this.#lastOut) return false;
    const position = this.#added++;
    let i = this.#items.length;
    this.#put(i, start, position, item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#precedes(start, position, parent)) break;
      this.#copy(i, parent);
      i = parent;
    }
    this.#put(i, start, position, item);
    return true;
  }

  /** The item no later one can start before (more than `window` are held), if there is one. */
  due(): T | undefined {
    return this.#items.length > this.#window ? this.next() : undefined;
  }

  /** The earliest item held, whatever comes later: at the end of the input. */
  next(): T | undefined {
    const items = this.#items;
    if (items.length === 0) return undefined;
    const top = items[0] as T;
    this.#lastOut = this.#starts[0] as number;
    // The last item fills the root's place, sinking below every child that comes before it.
    const start = this.#starts.pop() as number;
    const position = this.#positions.pop() as number;
    const item = items.pop() as T;
    const size = items.length;
    if (size === 0) return top;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      const right = child + 1;
      if (
        right < size &&
        this.#precedes(this.#starts[right] as number, this.#positions[right] as number, child)
      )
        child = right;
      if (this.#precedes(start, position, child)) break;
      this.#copy(i, child);
      i = child;
    }
    this.#put(i, start, position, item);
    return top;
  }

  /** Whether an item starting at `start`, `position` in file order, comes before the one at `slot`. */
  #precedes(start: number, position: number, slot: number): boolean {
    const slotStart = this.#starts[slot] as number;
    return (
      start < slotStart || (start === slotStart && position < (this.#positions[slot] as number))
    );
  }

  #copy(to: number, from: number): void {
    this.#put(
      to,
      this.#starts[from] as number,
      this.#positions[from] as number,
      this.#items[from] as T,
    );
  }

  #put(slot: number, start: number, position: number, item: T): void {
    this.#starts[slot] = start;
    this.#positions[slot] = position;
    this.#items[slot] = item;
  }
}
