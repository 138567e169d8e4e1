/**
 * Text from a file, quoted in a message about that file (a JSON parser's error, a skipped entry's
 * reason) for a terminal, a CI log or the panel: on one line, bounded, and with nothing invisible
 * in it. A character the reader cannot see (a second byte-order mark, a zero-width space, a bidi
 * override that would reorder the rest of the line) is what made the file unreadable more often
 * than not, so it is named as `<U+XXXX>` rather than dropped or passed through.
 */

/** Line breaks and whitespace controls: each run becomes one space. */
const BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;

/**
 * What shows as nothing, or changes how the rest shows: C0 and C1 controls, Unicode's format
 * characters (category Cf: zero-width space and joiners, the bidi marks, embeddings, overrides
 * and isolates, word joiner and invisible operators, U+FEFF, soft hyphen, ...), lone surrogates,
 * the rest of U+2060-U+206F, variation selectors (which can carry hidden text), fillers that render blank, and the
 * noncharacters U+FFFE and U+FFFF (a byte-swapped byte-order mark).
 */
const HIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex lint/suspicious/noMisleadingCharacterClass: naming each of them, joined or not, is the point
  /[\u0000-\u001f\u007f-\u009f\p{Cf}\p{Cs}\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u2060-\u206f\u3164\ufe00-\ufe0f\u{e0100}-\u{e01ef}\uffa0\ufff0-\ufff8\ufffe\uffff]/gu;

/** `U+200B`, `U+1D173`: the code point as Unicode writes it, at least four hex digits. */
export function codePointLabel(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** `text` with every invisible or format character shown as `<U+XXXX>`. */
export function showInvisible(text: string): string {
  return text.replace(HIDDEN, (char) => `<${codePointLabel(char)}>`);
}

export const MAX_DETAIL_CHARS = 160;

/**
 * `detail` on one line: line breaks become spaces, invisible characters `<U+XXXX>`, and at most
 * `maxChars` characters of it are quoted (then `…`).
 */
export function oneLine(detail: string, maxChars = MAX_DETAIL_CHARS): string {
  // Not String#trim, which would drop a U+FEFF at either end unseen.
  let text = detail.replace(BREAKS, " ").replace(/^ +| +$/g, "");
  let cut = false;
  if (text.length > maxChars) {
    let end = maxChars - 1;
    // Never split a surrogate pair: half of one would be shown as a lone surrogate.
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end--;
    text = text.slice(0, end).replace(/ +$/, "");
    cut = true;
  }
  const shown = showInvisible(text);
  return cut ? `${shown}…` : shown;
}

/** What to say of a file in UTF-16, which JSON parsers (and HAR readers) take as UTF-8. */
export const UTF16_MESSAGE = "the file is UTF-16; save it as UTF-8";

/**
 * Whether a file's first bytes are UTF-16: a byte-order mark (FF FE little-endian, FE FF
 * big-endian), or, without one, a NUL next to the first character, which no UTF-8 JSON text has
 * and every UTF-16 one does (`{` is 7B 00 or 00 7B).
 */
export function startsAsUtf16(bytes: ArrayLike<number>): boolean {
  const [a, b] = [bytes[0], bytes[1]];
  if (a === undefined || b === undefined) return false;
  if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) return true;
  return (a === 0) !== (b === 0);
}

/**
 * The same, of a file already decoded as text: a UTF-16 byte-order mark read as UTF-8 is two
 * U+FFFD (then a NUL, or nothing, next to the first character), read as Latin-1 `ÿþ` or `þÿ`; a
 * UTF-16 file without one has a NUL among its first two characters.
 */
export function looksLikeUtf16(text: string): boolean {
  const head = text.slice(0, 4);
  if (head.startsWith("\ufffd\ufffd"))
    return head.length === 2 || head.charAt(2) === "\u0000" || head.charAt(3) === "\u0000";
  if (head.startsWith("\u00ff\u00fe") || head.startsWith("\u00fe\u00ff")) return true;
  return head.length >= 2 && (head.charAt(0) === "\u0000") !== (head.charAt(1) === "\u0000");
}
