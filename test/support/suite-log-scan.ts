/**
 * Vitest global setup: opens the suite-wide log file before any test runs and, after the last one,
 * fails the run if any captured log line holds an access token, a JWT, a bearer credential or a
 * patient identifier or name used by the test fixtures.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SUITE_LOG_ENV } from './suite-log.js';

/** Secrets and identifiers the fixtures use: none may ever reach a log line. */
const FIXTURE_SECRETS: readonly string[] = [
  // access tokens
  'test-token', 'e2e-token', 'super-secret-token', 'fhir-access-token-5d1c2b7e9a0f', 'timeline-access-token-8c1f44',
  // patient ids and names (ids short enough to occur innocently, like "p1", are covered by the unit tests)
  'pat-1', 'pat-123', 'pat-124', 'synthetic-crs-1', 'p-secret', 'secret-id', 'someone-else', 'Jane Doe',
  'timeline-synthetic-1',
  // the database password of the replica tests (test/e2e/replicas.test.ts)
  'replica-db-pw-41c9',
];

const LEAK_PATTERNS: readonly [string, RegExp][] = [
  ['a JWT', /eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\./],
  // The Authorization header form; "missing bearer token" in an auth log is a reason, not a credential.
  ['a bearer credential', /Bearer\s+(?!\[redacted\])[A-Za-z0-9._~+/=-]{8,}/],
  // A connection URL with its password (issue 13); `***` is the redacted form.
  ['a database password', /postgres(?:ql)?:\/\/[^:@/\s"]*:(?!\*\*\*@)[^@\s"]+@/],
];

/**
 * The leaks in captured log text, one description per line and kind (never the secret itself).
 * @param text - captured log lines
 */
export function findLogLeaks(text: string): string[] {
  const leaks: string[] = [];
  text.split('\n').forEach((line, index) => {
    for (const secret of FIXTURE_SECRETS) {
      if (line.includes(secret)) leaks.push(`line ${index + 1}: a fixture token or patient identifier`);
    }
    for (const [kind, pattern] of LEAK_PATTERNS) {
      if (pattern.test(line)) leaks.push(`line ${index + 1}: ${kind}`);
    }
  });
  return leaks;
}

/** Global setup: returns the teardown that scans. */
export default function setup(): () => void {
  const file = join(mkdtempSync(join(tmpdir(), 'crs-suite-log-')), 'captured.log');
  writeFileSync(file, '');
  process.env[SUITE_LOG_ENV] = file;
  return () => {
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n').filter((line) => line.length > 0).length;
    // A run of a few files may capture nothing; suite-log-scan.test.ts proves lines do reach the file.
    const leaks = findLogLeaks(text);
    if (leaks.length > 0) {
      // vitest reports a teardown error but keeps exit status 0: set it, so CI fails on a leak.
      process.exitCode = 1;
      throw new Error(`suite log scan: ${leaks.length} leak(s) in ${lines} captured log lines (${file}):\n${leaks.slice(0, 20).join('\n')}`);
    }
  };
}
