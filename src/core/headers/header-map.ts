/** Header names are case-insensitive; repeated fields join with ", " as RFC 9110 allows. */
export type HeaderMap = ReadonlyMap<string, string>;

export function toHeaderMap(
  headers: readonly { name: string; value: string }[] | undefined,
): HeaderMap {
  const map = new Map<string, string>();
  if (!Array.isArray(headers)) return map;
  for (const header of headers) {
    if (typeof header?.name !== "string" || typeof header.value !== "string") continue;
    const name = header.name.toLowerCase();
    const previous = map.get(name);
    map.set(name, previous === undefined ? header.value : `${previous}, ${header.value}`);
  }
  return map;
}
