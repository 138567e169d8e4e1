import { useEffect, useRef } from "preact/hooks";

/**
 * Calls the latest `callback` every `intervalMs` while mounted and `active`; a new callback needs
 * no restart.
 */
export function useInterval(callback: () => void, intervalMs: number, active = true): void {
  const latest = useRef(callback);
  latest.current = callback;
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => latest.current(), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs, active]);
}
