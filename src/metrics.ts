/**
 * Prometheus metrics of one app instance, on its own Registry (tests build many apps in a process).
 * Labels are bounded: service ids come from the definitions, override reason codes are capped.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  /** HTTP requests by route service id (or `-`), method and status. */
  readonly requests: Counter<'service' | 'method' | 'status'>;
  readonly requestSeconds: Histogram<'service' | 'status'>;
  /** FHIR reads by outcome (`ok`, `http_500`, `timeout`, ...). */
  readonly fhirReadSeconds: Histogram<'outcome'>;
  readonly fhirReadFailures: Counter<'outcome'>;
  /** Answered hook calls by service and grade (`0`–`4`, `indeterminate`, `unmonitored`). */
  readonly assessments: Counter<'service' | 'grade'>;
  /** Feedback entries by service, outcome and override reason code. */
  readonly feedback: Counter<'service' | 'outcome' | 'reason'>;
  /** Hook calls refused by admission control (503) by service and reason (`queue-full`, `queue-timeout`). */
  readonly shed: Counter<'service' | 'reason'>;
  /** A reason code as a label: itself while fewer than 100 distinct codes were seen, else `other`. */
  readonly reasonLabel: (code: string | undefined) => string;
}

const MAX_REASON_LABELS = 100;

/**
 * Creates the metrics on a new Registry.
 * @param opts - `defaultMetrics`: also collect process metrics (server only; off in tests)
 */
export function createMetrics(opts: { readonly defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaultMetrics === true) {
    collectDefaultMetrics({ register: registry });
  }
  const seenReasons = new Set<string>();
  return {
    registry,
    requests: new Counter({
      name: 'crs_cds_http_requests_total',
      help: 'HTTP requests by service, method and status',
      labelNames: ['service', 'method', 'status'],
      registers: [registry],
    }),
    requestSeconds: new Histogram({
      name: 'crs_cds_http_request_duration_seconds',
      help: 'HTTP request latency by service and status',
      labelNames: ['service', 'status'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
      registers: [registry],
    }),
    fhirReadSeconds: new Histogram({
      name: 'crs_cds_fhir_read_duration_seconds',
      help: 'FHIR read latency by outcome',
      labelNames: ['outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
      registers: [registry],
    }),
    fhirReadFailures: new Counter({
      name: 'crs_cds_fhir_read_failures_total',
      help: 'Failed FHIR reads by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    assessments: new Counter({
      name: 'crs_cds_assessments_total',
      help: 'Answered hook calls by service and CRS grade (indeterminate, unmonitored)',
      labelNames: ['service', 'grade'],
      registers: [registry],
    }),
    feedback: new Counter({
      name: 'crs_cds_feedback_total',
      help: 'Card feedback by service, outcome and override reason code',
      labelNames: ['service', 'outcome', 'reason'],
      registers: [registry],
    }),
    shed: new Counter({
      name: 'crs_cds_admission_shed_total',
      help: 'Hook calls answered 503 by admission control, by service and reason',
      labelNames: ['service', 'reason'],
      registers: [registry],
    }),
    reasonLabel: (code) => {
      if (code === undefined) {
        return 'none';
      }
      if (seenReasons.has(code) || seenReasons.size < MAX_REASON_LABELS) {
        seenReasons.add(code);
        return code;
      }
      return 'other';
    },
  };
}
