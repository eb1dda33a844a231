/**
 * The suite-wide log scan (global teardown): every line a test captures reaches the scanned file, and
 * the scan recognises each kind of leak it exists to catch.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { memoryLogger } from '../support/hook-requests.js';
import { createLogCapture } from '../support/log-capture.js';
import { SUITE_LOG_ENV } from '../support/suite-log.js';
import { findLogLeaks } from '../support/suite-log-scan.js';

describe('the suite log', () => {
  test('receives the lines of both test loggers, in every worker', () => {
    const file = process.env[SUITE_LOG_ENV];
    expect(file).toBeTruthy();
    const fromApp = randomUUID();
    const fromCapture = randomUUID();
    memoryLogger().logger.info({ marker: fromApp }, 'suite log probe');
    createLogCapture().logger.info({ marker: fromCapture }, 'suite log probe');
    const captured = readFileSync(file as string, 'utf8');
    expect(captured).toContain(fromApp);
    expect(captured).toContain(fromCapture);
  });
});

describe('findLogLeaks', () => {
  test.each([
    ['an access token', '{"msg":"fetch","token":"e2e-token"}', 'a fixture token or patient identifier'],
    ['a patient id', '{"msg":"graded","patient":"Patient/pat-1"}', 'a fixture token or patient identifier'],
    ['a patient name', '{"msg":"x","name":"Jane Doe"}', 'a fixture token or patient identifier'],
    ['a JWT', '{"h":"eyJhbGciOiJFUzM4NCJ9.eyJpc3MiOiJodHRwcyJ9.c2ln"}', 'a JWT'],
    ['a bearer credential', '{"authorization":"Bearer abc.def-123"}', 'a bearer credential'],
    ['a database password', '{"url":"postgres://crs:hunter2@db:5432/crs"}', 'a database password'],
  ])('reports %s', (_kind, line, expected) => {
    expect(findLogLeaks(line)).toEqual([`line 1: ${expected}`]);
  });

  test('accepts redacted and ordinary lines', () => {
    const clean = [
      '{"req":{"headers":{"authorization":"[redacted]"}},"msg":"request completed"}',
      '{"msg":"auth.failed","reason":"expired","header":"Bearer [redacted]"}',
      '{"service":"crs-patient-view","grade":2,"durationMs":12}',
      '{"event":"auth.failed","reason":"missing bearer token","path":"/cds-services/crs-patient-view"}',
      '{"storage":{"url":"postgres://crs:***@db:5432/crs"},"database":{"host":"db","user":"crs"}}',
    ].join('\n');
    expect(findLogLeaks(clean)).toEqual([]);
  });
});
