/**
 * Every log line any test captures is also appended to one file for the whole run, which the global
 * teardown (suite-log-scan.ts) scans for tokens, JWTs and patient identifiers (issue 6: PHI-safe logs).
 */
import { appendFileSync } from 'node:fs';

/** Set by the global setup for the whole run; absent when a test file runs outside vitest's setup. */
export const SUITE_LOG_ENV = 'CRS_CDS_SUITE_LOG';

/** @param line - one captured log line (JSON text) */
export function recordSuiteLogLine(line: string): void {
  const file = process.env[SUITE_LOG_ENV];
  if (file !== undefined && file !== '') {
    appendFileSync(file, line.endsWith('\n') ? line : `${line}\n`);
  }
}
