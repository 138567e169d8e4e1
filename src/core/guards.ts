/** A finite number: a time or a figure read back from storage, a message or a foreign file. */
export function isTime(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/** A whole number, zero or more: a count read back from storage or a message. */
export function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}
