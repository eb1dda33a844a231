/**
 * `crs-cds report`: analytics CSV from the store that `--config` (else CRS_CDS_CONFIG, else the
 * defaults) names; exit 2 with one line for bad input.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { runReport } from '../../src/cli/report-command.js';
import { openSqliteAuditStore } from '../../src/storage/sqlite-audit-store.js';
import { openSqliteFeedbackStore } from '../../src/storage/sqlite-feedback-store.js';
import { auditRecord } from '../storage/audit-store-contract.js';
import { captureIo } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'crs-report-'));
const store = join(dir, 'site.sqlite');
const config = join(dir, 'site.yaml');
const NOW = new Date('2026-11-30T12:00:00Z');

beforeAll(async () => {
  writeFileSync(config, `storage:\n  sqlitePath: ${JSON.stringify(store)}\n`);
  const audit = openSqliteAuditStore(store);
  await audit.record([
    auditRecord(1, { recordedAt: '2026-11-20T10:00:00.000Z' }),
    auditRecord(2, { recordedAt: '2026-11-21T10:00:00.000Z', templateId: 'crs-grade-3', grade: 3 }),
    auditRecord(3, { recordedAt: '2026-11-22T10:00:00.000Z', serviceId: 'crs-order-select', templateId: 'crs-os-dose' }),
  ]);
  await audit.close();
  const feedback = openSqliteFeedbackStore(store);
  await feedback.save(
    'crs-patient-view',
    [{ card: auditRecord(2).cardUuid, outcome: 'overridden', overrideReason: { reason: { code: 'alternative-cause' } }, outcomeTimestamp: '2026-11-21T10:10:00Z' }],
    new Date('2026-11-21T10:10:01Z'),
  );
  await feedback.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows = (csv: string): string[] => csv.split('\r\n');

test('prints the CSV of the range and service from the configured store, reasons with their template display', async () => {
  const io = captureIo();
  expect(await runReport(['--config', config, '--from', '2026-11-01', '--to', '2026-11-30', '--service', 'crs-patient-view'], io, {}, NOW)).toBe(0);
  expect(io.err()).toBe('');
  const lines = rows(io.out());
  expect(lines[0]).toBe('section,key,label,n,accepted,overridden,ignored,accepted_pct,overridden_pct,ignored_pct');
  expect(lines).toContain('total,all,,2,0,1,1,0,50,50');
  expect(lines).toContain('template,crs-grade-3,,1,0,1,0,0,100,0');
  expect(lines).toContain('override_reason,alternative-cause,Alternative cause suspected (e.g. sepsis),1,,1,,,100');
});

test('takes the store from CRS_CDS_CONFIG when --config is absent, all services by default', async () => {
  const io = captureIo();
  expect(await runReport([], io, { CRS_CDS_CONFIG: config }, NOW)).toBe(0);
  expect(rows(io.out())).toContain('total,all,,3,0,1,2,0,33.3,66.7');
});

test.each([
  [['--from', '2026-11-31'], 'crs-cds report: --from must be a date (YYYY-MM-DD) or an ISO-8601 time with an offset\n'],
  [['--service', 'crs-other'], 'crs-cds report: --service must be one of crs-patient-view, crs-order-select, crs-order-sign\n'],
  [['--form', '2026-11-01'], /^crs-cds report: Unknown option '--form'.*; usage: crs-cds report/],
  [['--config', join(dir, 'missing.yaml')], /^crs-cds report: .*missing\.yaml/],
])('%j exits 2 with one line', async (args, message) => {
  const io = captureIo();
  expect(await runReport(args, io, {}, NOW)).toBe(2);
  expect(io.err()).toMatch(typeof message === 'string' ? new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : message);
  expect(io.err().trim().split('\n')).toHaveLength(1);
  expect(io.out()).toBe('');
});

test('refuses a store that does not exist or lives in memory, without creating it', async () => {
  const missing = join(dir, 'absent.yaml');
  writeFileSync(missing, `storage:\n  sqlitePath: ${JSON.stringify(join(dir, 'nope', 'x.sqlite'))}\n`);
  const io = captureIo();
  expect(await runCli(['report', '--config', missing], io)).toBe(2);
  expect(io.err()).toBe(`crs-cds report: no store at ${join(dir, 'nope', 'x.sqlite')} (storage.sqlitePath)\n`);
  const memory = join(dir, 'memory.yaml');
  writeFileSync(memory, 'storage:\n  sqlitePath: ":memory:"\n');
  const io2 = captureIo();
  expect(await runCli(['report', '--config', memory], io2)).toBe(2);
  expect(io2.err()).toContain('":memory:"');
});
