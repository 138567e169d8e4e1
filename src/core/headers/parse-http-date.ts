const HTTP_DATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? +\d{1,2}[ -][A-Za-z]{3}[ -]\d{2,4} +\d{2}:\d{2}:\d{2} +GMT$|^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Za-z]{3} +\d{1,2} \d{2}:\d{2}:\d{2} \d{4}$/;

/** An HTTP-date (IMF-fixdate, RFC 850 or asctime) in epoch milliseconds, or undefined. */
export function parseHttpDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text.length > 64 || !HTTP_DATE.test(text)) return undefined;
  // asctime has no zone; it is GMT by definition.
  const ms = Date.parse(text.endsWith("GMT") ? text : `${text} GMT`);
  return Number.isFinite(ms) ? ms : undefined;
}
