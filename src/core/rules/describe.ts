import type { DecodedError } from "../types.js";

/** "2.0 s", "0.4 s", "12 min" */
export function seconds(ms: number): string {
  const s = ms / 1000;
  if (Math.abs(s) >= 120) return `${(s / 60).toFixed(1)} min`;
  return Number.isInteger(s) ? `${s} s` : `${s.toFixed(1)} s`;
}

/** "429 rate_limit", "503", "no response" */
export function errorLabel(error: DecodedError | undefined, status: number): string {
  if (status === 0) {
    const reason = error?.networkError;
    return `request that got no response${reason === undefined ? "" : ` (${reason})`}`;
  }
  return error?.code ? `${status} ${error.code}` : String(status);
}
