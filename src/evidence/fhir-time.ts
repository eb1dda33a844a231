/**
 * FHIR date/time parsing into epoch-millisecond ranges. A partial date ("2026-11" or "2026-11-21") covers
 * its whole month or day, so an Observation charted by day still overlaps the lookback window (section 2).
 */

/** A closed range of epoch milliseconds. */
export interface TimeRange {
  readonly start: number;
  readonly end: number;
}

const YEAR = /^\d{4}$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A FHIR dateTime with a time carries a zone (Z or ±hh:mm); without one we refuse rather than guess. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The range a FHIR date, dateTime or instant covers; undefined when it is absent or not understood.
 * @param value - the FHIR value as charted
 */
export function parseFhirTime(value: string | undefined): TimeRange | undefined {
  if (value === undefined) return undefined;
  const fast = parseFullDateTime(value);
  if (fast !== undefined) return { start: fast, end: fast };
  const text = value.trim();
  if (DATE_TIME.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : { start: ms, end: ms };
  }
  let from: number;
  let to: number;
  const day = DAY.exec(text);
  const month = MONTH.exec(text);
  if (day !== null) {
    from = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    to = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]) + 1);
  } else if (month !== null) {
    from = Date.UTC(Number(month[1]), Number(month[2]) - 1, 1);
    to = Date.UTC(Number(month[1]), Number(month[2]), 1);
  } else if (YEAR.test(text)) {
    from = Date.UTC(Number(text), 0, 1);
    to = Date.UTC(Number(text) + 1, 0, 1);
  } else {
    return undefined;
  }
  return Number.isNaN(from) ? undefined : { start: from, end: to - 1 };
}

const digit = (text: string, i: number): number => {
  const c = text.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : Number.NaN;
};
const two = (text: string, i: number): number => digit(text, i) * 10 + digit(text, i + 1);

/**
 * Fast path for the common full form `YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)`: a large record holds tens of
 * thousands of these, and Date.parse is several times slower. Anything else returns undefined and takes
 * the general path.
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
    while (i < text.length && digit(text, i) >= 0) {
      ms += digit(text, i) * scale;
      scale /= 10;
      i += 1;
    }
  }
  let offsetMinutes = 0;
  if (text[i] === 'Z' && i === text.length - 1) offsetMinutes = 0;
  else if ((text[i] === '+' || text[i] === '-') && i + 6 === text.length && text[i + 3] === ':') {
    offsetMinutes = (text[i] === '-' ? -1 : 1) * (two(text, i + 1) * 60 + two(text, i + 4));
  } else return undefined;
  const year = two(text, 0) * 100 + two(text, 2);
  const month = two(text, 5);
  const day = two(text, 8);
  const hour = two(text, 11);
  const minute = two(text, 14);
  const second = two(text, 17);
  if (Number.isNaN(year + month + day + hour + minute + second + ms + offsetMinutes)) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second) + Math.floor(ms) - offsetMinutes * 60_000;
}

/**
 * The start of a FHIR time as epoch ms (the earliest instant it may denote).
 * @param value - the FHIR value as charted
 */
export function parseFhirStart(value: string | undefined): number | undefined {
  return parseFhirTime(value)?.start;
}

/**
 * ISO 8601 text of an epoch-ms instant (UTC).
 * @param ms - epoch milliseconds
 */
export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

/** Milliseconds in one minute. */
export const MINUTE_MS = 60_000;
/** Milliseconds in one hour. */
export const HOUR_MS = 3_600_000;
/** Milliseconds in one day. */
export const DAY_MS = 24 * HOUR_MS;
