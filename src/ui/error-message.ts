/** One line for a rejected promise or a thrown value, whatever was thrown. */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split("\n", 1)[0]?.trim() ?? "";
  return line === "" ? "unknown error" : line;
}
