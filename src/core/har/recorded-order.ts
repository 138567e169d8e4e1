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
    const starts = this.#starts;
    const positions = this.#positions;
    const items = this.#items;
    const position = this.#added++;
    let i = items.length;
    starts.push(start);
    positions.push(position);
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentStart = starts[parent] as number;
      if (
        !(
          start < parentStart ||
          (start === parentStart && position < (positions[parent] as number))
        )
      )
        break;
      starts[i] = parentStart;
      positions[i] = positions[parent] as number;
      items[i] = items[parent] as T;
      i = parent;
    }
    starts[i] = start;
    positions[i] = position;
    items[i] = item;
    return true;
  }

  /** The item no later one can start before (more than `window` are held), if there is one. */
  due(): T | undefined {
    return this.#items.length > this.#window ? this.next() : undefined;
  }

  /** The earliest item held, whatever comes later: at the end of the input. */
  next(): T | undefined {
    const starts = this.#starts;
    const positions = this.#positions;
    const items = this.#items;
    const top = items[0];
    if (items.length === 0) return undefined;
    this.#lastOut = starts[0] as number;
    const lastStart = starts.pop() as number;
    const lastPosition = positions.pop() as number;
    const lastItem = items.pop() as T;
    const size = items.length;
    if (size === 0) return top;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size && this.#before(right, child)) child = right;
      const childStart = starts[child] as number;
      if (
        !(
          childStart < lastStart ||
          (childStart === lastStart && (positions[child] as number) < lastPosition)
        )
      )
        break;
      starts[i] = childStart;
      positions[i] = positions[child] as number;
      items[i] = items[child] as T;
      i = child;
    }
    starts[i] = lastStart;
    positions[i] = lastPosition;
    items[i] = lastItem;
    return top;
  }

  #before(a: number, b: number): boolean {
    const starts = this.#starts;
    const aStart = starts[a] as number;
    const bStart = starts[b] as number;
    return (
      aStart < bStart ||
      (aStart === bStart && (this.#positions[a] as number) < (this.#positions[b] as number))
    );
  }
}
