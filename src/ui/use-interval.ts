import { useEffect, useRef } from "preact/hooks";

/** Calls the latest `callback` every `intervalMs` while mounted; a new callback needs no restart. */
export function useInterval(callback: () => void, intervalMs: number): void {
  const latest = useRef(callback);
  latest.current = callback;
  useEffect(() => {
    const id = setInterval(() => latest.current(), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
}
