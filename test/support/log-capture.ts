/**
 * A pino logger writing into memory, so tests can read every line the service logged and scan it for
 * secrets and PHI.
 */
import { pino, type Logger, type LoggerOptions } from 'pino';
import { recordSuiteLogLine } from './suite-log.js';

export interface LogCapture {
  readonly logger: Logger;
  /** Every raw line written so far (JSON text, as it would reach a log file). */
  readonly lines: () => readonly string[];
  /** Every line parsed. */
  readonly records: () => readonly Record<string, unknown>[];
  /** Lines containing `needle` (case-insensitive). */
  readonly linesContaining: (needle: string) => readonly string[];
}

/** A pino destination keeping every line in memory (pass it to the service's own logger factory). */
export function createCaptureStream(): { write: (line: string) => void; lines: string[] } {
  const lines: string[] = [];
  return {
    write: (line) => {
      lines.push(line);
      recordSuiteLogLine(line);
    },
    lines,
  };
}

/**
 * Reading helpers over captured lines.
 * @param lines - the captured lines (kept live)
 * @param logger - the logger writing them
 */
export function captureOf(lines: string[], logger: Logger): LogCapture {
  return {
    logger,
    lines: () => lines,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    linesContaining: (needle) => lines.filter((line) => line.toLowerCase().includes(needle.toLowerCase())),
  };
}

/**
 * Creates a capturing logger at level `trace` (so nothing is filtered out before scanning).
 * @param options - extra pino options, e.g. the service's `redact` settings
 */
export function createLogCapture(options: LoggerOptions = {}): LogCapture {
  const stream = createCaptureStream();
  return captureOf(stream.lines, pino({ level: 'trace', ...options }, stream));
}
