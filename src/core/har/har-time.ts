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

const ZERO = 0x30;

/** Where `YYYY-MM-DDTHH:MM:SS.SSSZ` has its digits. */
const DIGITS_AT = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22];

/**
 * Each ".SSS" of the fast path in milliseconds, computed exactly as parseTime computes any
 * fraction (`Number("0.SSS") * 1000`), so that both paths give the same number to the last bit.
 */
const FRACTION_MS = Array.from(
  { length: 1000 },
  (_, k) => Number(`0.${String(k).padStart(3, "0")}`) * 1000,
);

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number);
}

/**
 * `2026-11-23T10:00:00.123Z`, the form browsers write, read without the regular expression and
 * its match array: an entry's start is read when it is checked, ordered and analysed, and the
 * one-value cache above misses once 256 entries are held to reorder them, so the regular
 * expression would be a visible part of the CLI's profile. Undefined for any other form, which
 * parseTime reads with the regular expression. Only seconds up to 59 and years from 100 on: a
 * leap second rolls over into the next minute, and Date.UTC reads years 0 to 99 as 19xx.
 */
function parseCanonical(text: string): number | undefined {
  if (
    text.length !== 24 ||
    text.charCodeAt(4) !== 0x2d || // -
    text.charCodeAt(7) !== 0x2d ||
    text.charCodeAt(10) !== 0x54 || // T
    text.charCodeAt(13) !== 0x3a || // :
    text.charCodeAt(16) !== 0x3a ||
    text.charCodeAt(19) !== 0x2e || // .
    text.charCodeAt(23) !== 0x5a // Z
  )
    return undefined;
  for (const at of DIGITS_AT) {
    const c = text.charCodeAt(at);
    if (c < ZERO || c > ZERO + 9) return undefined;
  }
  const d = (at: number): number => text.charCodeAt(at) - ZERO;
  const year = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3);
  const month = d(5) * 10 + d(6);
  const day = d(8) * 10 + d(9);
  const hour = d(11) * 10 + d(12);
  const minute = d(14) * 10 + d(15);
  const second = d(17) * 10 + d(18);
  const fraction = d(20) * 100 + d(21) * 10 + d(22);
  if (year < 100 || second > 59) return undefined;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59) return Number.NaN;
  // What parseTime's Date.UTC roll-over check finds: "31 Feb" is not a date.
  if (day > daysIn(year, month)) return Number.NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second) + (FRACTION_MS[fraction] as number);
}

function parseTime(value: string): number {
  const fast = parseCanonical(value);
  if (fast !== undefined) return fast;
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
