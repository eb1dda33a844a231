/**
 * The range and service filter of an analytics request, shared by `GET /analytics?from&to&service` and
 * `crs-cds report --from --to --service`. A date (YYYY-MM-DD, UTC) covers the whole day: `from` starts at
 * its midnight, `to` ends at the next midnight. An instant needs an offset. Defaults: `to` now, `from`
 * 90 days before `to`.
 */
import { ALL_SERVICES } from '../../hooks/index.js';

/** Refused input; `field` is the parameter at fault (`from`, `to` or `service`). */
export class AnalyticsRangeError extends Error {
  constructor(
    readonly field: 'from' | 'to' | 'service',
    message: string,
  ) {
    super(message);
    this.name = 'AnalyticsRangeError';
  }
}

export interface AnalyticsRange {
  readonly from: Date;
  /** Exclusive. */
  readonly to: Date;
  readonly serviceId?: string;
}

export const DEFAULT_RANGE_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function parseBound(field: 'from' | 'to', text: string): Date {
  if (DATE.test(text)) {
    const day = new Date(`${text}T00:00:00Z`);
    // Date rolls 2026-02-30 over to March: refuse a day that does not exist.
    if (!Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text) {
      return field === 'to' ? new Date(day.getTime() + DAY_MS) : day;
    }
  } else if (INSTANT.test(text)) {
    const at = new Date(text);
    if (!Number.isNaN(at.getTime())) return at;
  }
  throw new AnalyticsRangeError(field, `${field} must be a date (YYYY-MM-DD) or an ISO-8601 time with an offset`);
}

/**
 * @param raw - the parameters as given (absent = default)
 * @param now - the current time (default for `to`)
 * @throws AnalyticsRangeError naming the parameter
 */
export function parseAnalyticsRange(
  raw: { readonly from?: unknown; readonly to?: unknown; readonly service?: unknown },
  now: Date,
): AnalyticsRange {
  for (const field of ['from', 'to', 'service'] as const) {
    if (raw[field] !== undefined && typeof raw[field] !== 'string') {
      throw new AnalyticsRangeError(field, `${field} must be given once`);
    }
  }
  const to = raw.to === undefined ? now : parseBound('to', raw.to as string);
  const from = raw.from === undefined ? new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS) : parseBound('from', raw.from as string);
  if (from.getTime() >= to.getTime()) throw new AnalyticsRangeError('from', 'from must be before to');
  const service = raw.service as string | undefined;
  if (service !== undefined && !ALL_SERVICES.some((s) => s.id === service)) {
    throw new AnalyticsRangeError('service', `service must be one of ${ALL_SERVICES.map((s) => s.id).join(', ')}`);
  }
  return { from, to, ...(service === undefined ? {} : { serviceId: service }) };
}
