/**
 * The process logger: pino JSON on stdout, level from LOG_LEVEL (default `info`). Tokens, hook
 * context, prefetch and draft orders are redacted wherever they appear; we log ids, statuses and
 * durations, never resources.
 */
import { pino, type Logger } from 'pino';
import { REDACT_PATHS } from './auth/log-safety.js';

/** Paths redacted in every log line (request logs and anything logging a hook body). */
export const LOG_REDACT_PATHS: readonly string[] = [
  ...new Set([
    ...REDACT_PATHS,
    'req.headers.authorization',
    'req.body.fhirAuthorization',
    'req.body.prefetch',
    'req.body.context',
    'draftOrders',
    '*.draftOrders',
  ]),
];

/**
 * Creates the logger.
 * @param level - pino level; default `process.env.LOG_LEVEL` or `info`
 * @param destination - where lines go (tests pass a stream)
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  const options = { level, redact: { paths: [...LOG_REDACT_PATHS], censor: '[redacted]' } };
  return destination === undefined ? pino(options) : pino(options, destination);
}
