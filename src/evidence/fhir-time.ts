/**
 * FHIR date/time parsing into epoch-millisecond ranges. A partial date ("2026-11" or "2026-11-21") covers
 * its whole month or day, so an Observation charted by day still overlaps the lookback window (section 2).
 */

/** A closed range of epoch milliseconds. */
export interface TimeRange {
  readonly start: number;
  readonly end: number;
}

const YEAR = /^(\d{4})$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A FHIR dateTime with a time carries a zone (Z or ±hh:mm); without one we refuse rather than guess. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The range a FHIR date, dateTime or instant covers; undefined when it is absent, not a string (malformed
 * data is read as absent) or not a valid FHIR time (no 2026-02-31, no year 0000, no zone beyond ±14:00).
 * @param value - the FHIR value as charted
 */
export function parseFhirTime(value: unknown): TimeRange | undefined {
  if (typeof value !== 'string') return undefined;
  const fast = parseFullDateTime(value);
  if (fast !== undefined) return { start: fast, end: fast };
  const text = value.trim();
  const full = DATE_TIME.exec(text);
  if (full !== null) {
    const [y, mo, d, h, mi] = [1, 2, 3, 4, 5].map((i) => Number(full[i])) as [number, number, number, number, number];
    const second = full[6] === undefined ? 0 : Number(full[6]);
    const ms = full[7] === undefined ? 0 : Math.floor(Number(`0${full[7]}`) * 1000);
    const offset = offsetMinutes(full[8] ?? '', 0);
    if (!validDate(y, mo, d) || h > 23 || mi > 59 || second > 59 || offset === undefined) return undefined;
    const at = utc(y, mo - 1, d, h, mi, second) + ms - offset * MINUTE_MS;
    return { start: at, end: at };
  }
  const day = DAY.exec(text) ?? MONTH.exec(text) ?? YEAR.exec(text);
  if (day === null) return undefined;
  const year = Number(day[1]);
  const month = day[2] === undefined ? undefined : Number(day[2]);
  const date = day[3] === undefined ? undefined : Number(day[3]);
  if (!validDate(year, month ?? 1, date ?? 1)) return undefined;
  // A partial date covers its whole day, month or year.
  const from = utc(year, (month ?? 1) - 1, date ?? 1);
  const to =
    date !== undefined ? utc(year, (month ?? 1) - 1, date + 1) : month !== undefined ? utc(year, month, 1) : utc(year + 1, 0, 1);
  return { start: from, end: to - 1 };
}

const digit = (text: string, i: number): number => {
  const c = text.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : Number.NaN;
};
const two = (text: string, i: number): number => digit(text, i) * 10 + digit(text, i + 1);

/** Epoch ms of a UTC date and time; unlike Date.UTC, years 0–99 are those years, not 1900–1999. */
function utc(year: number, month0: number, day: number, hour = 0, minute = 0, second = 0): number {
  // The common case allocates nothing: this runs for every timestamp of a 28-day record.
  if (year >= 100) return Date.UTC(year, month0, day, hour, minute, second);
  const date = new Date(Date.UTC(2000, month0, day, hour, minute, second));
  date.setUTCFullYear(year, month0, day);
  return date.getTime();
}

const isLeap = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** FHIR years run from 0001; months 1–12; days up to the month's length (2026-02-31 is no date). */
function validDate(year: number, month: number, day: number): boolean {
  if (!(year >= 1) || !(month >= 1 && month <= 12) || !(day >= 1)) return false;
  const days = month === 2 && isLeap(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  return day <= days;
}

/**
 * Minutes east of UTC for the zone that ends `text` from index `i`: 'Z' or '±hh:mm' within FHIR's bounds
 * (at most ±14:00); undefined when invalid.
 */
function offsetMinutes(text: string, i: number): number | undefined {
  if (text[i] === 'Z' && i === text.length - 1) return 0;
  if (i + 6 !== text.length || (text[i] !== '+' && text[i] !== '-') || text[i + 3] !== ':') return undefined;
  const hours = two(text, i + 1);
  const minutes = two(text, i + 4);
  if (Number.isNaN(hours + minutes) || minutes > 59 || hours * 60 + minutes > 14 * 60) return undefined;
  return (text[i] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/**
 * Fast path for the common full form `YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)`: a large record holds tens of
 * thousands of these, and Date.parse is several times slower. Anything else returns undefined and takes
 * the general path (which validates the same way, so an invalid value is refused on both).
 */
function parseFullDateTime(text: string): number | undefined {
  if (text.length < 20 || text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':') {
    return undefined;
  }
  let i = 19;
  let ms = 0;
  if (text[i] === '.') {
    let scale = 100;
    i += 1;
    const first = i;
    while (i < text.length && digit(text, i) >= 0) {
      ms += digit(text, i) * scale;
      scale /= 10;
      i += 1;
    }
    // A '.' must be followed by at least one digit.
    if (i === first) return undefined;
  }
  const offset = offsetMinutes(text, i);
  if (offset === undefined) return undefined;
  const year = two(text, 0) * 100 + two(text, 2);
  const month = two(text, 5);
  const day = two(text, 8);
  const hour = two(text, 11);
  const minute = two(text, 14);
  const second = two(text, 17);
  if (Number.isNaN(year + month + day + hour + minute + second + ms)) return undefined;
  if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  return utc(year, month - 1, day, hour, minute, second) + Math.floor(ms) - offset * MINUTE_MS;
}

/**
 * The start of a FHIR time as epoch ms (the earliest instant it may denote).
 * @param value - the FHIR value as charted
 */
export function parseFhirStart(value: unknown): number | undefined {
  return parseFhirTime(value)?.start;
}

/**
 * ISO 8601 text of an epoch-ms instant (UTC).
 * @param ms - epoch milliseconds
 */
export function isoOf(ms: number): string {
  let iso = isoCache.get(ms);
  if (iso === undefined) {
    if (isoCache.size >= ISO_CACHE_SIZE) isoCache.clear();
    iso = new Date(ms).toISOString();
    isoCache.set(ms, iso);
  }
  return iso;
}

/**
 * The texts of recent instants: a trajectory names the same readings' times at every hour of their
 * window (formatting is a tenth of assessing). Bounded, and cleared whole when full.
 */
const isoCache = new Map<number, string>();
const ISO_CACHE_SIZE = 20_000;

/** Milliseconds in one minute. */
export const MINUTE_MS = 60_000;
/** Milliseconds in one hour. */
export const HOUR_MS = 3_600_000;
/** Milliseconds in one day. */
export const DAY_MS = 24 * HOUR_MS;
