/** A JSON object (not null, not an array): the shape foreign HARs, storage and messages are read as. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
