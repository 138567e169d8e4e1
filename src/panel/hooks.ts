import type { RefObject } from "preact";
import { useCallback, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { PanelStore } from "./store.js";

/** Redraws on every store change; returns a number that changes with it, for memo keys. */
export function useStore(store: PanelStore): number {
  const [changes, setChanges] = useState(0);
  // Subscribed as the component commits, not after paint: entries that capture adds right after
  // the first render would otherwise notify before anyone listens. One redraw covers that gap.
  useLayoutEffect(() => {
    const unsubscribe = store.subscribe(() => setChanges((n) => n + 1));
    setChanges((n) => n + 1);
    return () => {
      unsubscribe();
    };
  }, [store]);
  return changes;
}

export interface VisibleRange {
  /** First rendered position (overscan included). */
  start: number;
  /** One past the last rendered position. */
  end: number;
}

/** The rows a viewport shows at a scroll offset, widened by `overscan` rows on each side. */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan: number,
): VisibleRange {
  const maxScroll = Math.max(0, count * rowHeight - viewportHeight);
  const top = Math.min(Math.max(0, scrollTop), maxScroll);
  const first = Math.floor(top / rowHeight);
  const shown = Math.ceil(viewportHeight / rowHeight) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + shown + overscan);
  return { start, end: Math.max(start, end) };
}

/** Before layout (or in a DOM without one) the list assumes a viewport this tall. */
const FALLBACK_VIEWPORT = 600;

export interface VirtualWindow extends VisibleRange {
  onScroll: () => void;
  /** Scrolls the least distance that shows the row at `position` whole. */
  scrollIntoView: (position: number) => void;
}

/**
 * A fixed-row-height window over `count` rows in the scroll container `ref`, whose first
 * `reserved` pixels (a sticky header) hide rows beneath them.
 */
export function useVirtualWindow(
  ref: RefObject<HTMLElement | null>,
  count: number,
  rowHeight: number,
  reserved = 0,
  overscan = 10,
): VirtualWindow {
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(FALLBACK_VIEWPORT);
  const current = useRef({ scrollTop: 0, viewport: FALLBACK_VIEWPORT });

  useLayoutEffect(() => {
    const element = ref.current;
    if (element === null) return;
    const measure = () => {
      const height = element.clientHeight > 0 ? element.clientHeight - reserved : FALLBACK_VIEWPORT;
      current.current.viewport = height;
      setViewport(height);
    };
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, reserved]);

  const onScroll = useCallback(() => {
    const top = ref.current?.scrollTop ?? 0;
    current.current.scrollTop = top;
    setScrollTop(top);
  }, [ref]);

  const scrollIntoView = useCallback(
    (position: number) => {
      const { scrollTop: top, viewport: height } = current.current;
      const rowTop = position * rowHeight;
      let next = top;
      if (rowTop < top) next = rowTop;
      else if (rowTop + rowHeight > top + height) next = rowTop + rowHeight - height;
      if (next === top) return;
      current.current.scrollTop = next;
      if (ref.current !== null) ref.current.scrollTop = next;
      setScrollTop(next);
    },
    [ref, rowHeight],
  );

  return {
    ...visibleRange(scrollTop, viewport, rowHeight, count, overscan),
    onScroll,
    scrollIntoView,
  };
}
