const HTTP_DATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? +\d{1,2}[ -][A-Za-z]{3}[ -]\d{2,4} +\d{2}:\d{2}:\d{2} +GMT$|^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Za-z]{3} +\d{1,2} \d{2}:\d{2}:\d{2} \d{4}$/;

/** The day of the month and the time of day, as written (IMF-fixdate, RFC 850 or asctime). */
const DAY = /(?:^|[ ,])(\d{1,2})[ -][A-Za-z]{3}[ -]|[A-Za-z]{3} +(\d{1,2}) \d{2}:/;
const TIME = /(\d{2}):(\d{2}):(\d{2})/;

// The budget and the decoder both read each response's Date: the last answer is kept.
let lastValue: string | undefined;
let lastTime: number | undefined;

/** An HTTP-date (IMF-fixdate, RFC 850 or asctime) in epoch milliseconds, or undefined. */
export function parseHttpDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value === lastValue) return lastTime;
  lastTime = parseDate(value);
  lastValue = value;
  return lastTime;
}

function parseDate(value: string): number | undefined {
  const text = value.trim();
  if (text.length > 64 || !HTTP_DATE.test(text)) return undefined;
  // asctime has no zone; it is GMT by definition.
  const ms = Date.parse(text.endsWith("GMT") ? text : `${text} GMT`);
  if (!Number.isFinite(ms)) return undefined;
  // Date.parse rolls "31 Feb" over into March and may accept 24:00: such a date is not one.
  const day = DAY.exec(text);
  const time = TIME.exec(text);
  const date = new Date(ms);
  if (Number(day?.[1] ?? day?.[2]) !== date.getUTCDate()) return undefined;
  if (
    Number(time?.[1]) !== date.getUTCHours() ||
    Number(time?.[2]) !== date.getUTCMinutes() ||
    Number(time?.[3]) !== date.getUTCSeconds()
  )
    return undefined;
  return ms;
}
