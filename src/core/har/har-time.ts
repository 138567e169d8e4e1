/**
 * ISO 8601 as HAR exporters really write it: fractional seconds of any length, written without
 * zero padding by old exporters (`10:00:00.5Z`), hours, minutes or seconds without padding, a
 * space for the `T`, and a zone as `Z`, `+01:00`, `+0100` or `+01`. A time without a zone is read
 * as UTC: `Date.parse` would take the machine's zone, so one file would sort differently in CI.
 */
const ISO =
  /^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{1,2}(?::?\d{2})?)?$/i;

// Checking an entry, ordering it and analysing it each read its time: the last answer is kept.
let lastValue: string | undefined;
let lastTime = Number.NaN;

/** Epoch milliseconds of a HAR `startedDateTime`, or NaN when it is not a time. */
export function parseHarTime(value: unknown): number {
  if (typeof value !== "string") return Number.NaN;
  if (value === lastValue) return lastTime;
  lastTime = parseTime(value);
  lastValue = value;
  return lastTime;
}

function parseTime(value: string): number {
  const text = value.trim();
  const match = text.length <= 64 ? ISO.exec(text) : null;
  if (match === null) return Number.NaN;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return Number.NaN;
  // A fraction is a fraction of a second however many digits it has: ".5" is 500 ms.
  const ms = fraction === undefined ? 0 : Number(`0.${fraction}`) * 1000;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second) + ms;
  // Date.UTC rolls "31 Feb" into March: such a date is not one.
  if (new Date(utc).getUTCDate() !== day) return Number.NaN;
  return utc - offsetMs(zone);
}

function offsetMs(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === "Z") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const hours = Number(digits.length <= 2 ? digits : digits.slice(0, -2));
  const minutes = digits.length <= 2 ? 0 : Number(digits.slice(-2));
  return sign * (hours * 60 + minutes) * 60_000;
}
