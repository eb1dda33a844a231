/**
 * The NDJSON first pass in slices (ndjson-slices.ts, ndjson-cohort.ts): a file of more than 8 MiB is cut
 * at line starts and indexed on worker threads; the cohort it gives is the one a single pass gives (the
 * same patients, each with the same text), and a bad line is reported with the same file and line number.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { NdjsonCohort } from '../../src/replay/ndjson-cohort.js';
import { slicesOf } from '../../src/replay/ndjson-slices.js';

const dir = mkdtempSync(join(tmpdir(), 'crs-ndjson-slices-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** ~9.6 MB of Observations over 40 patients, interleaved (so ranges do not merge across patients), with blank lines. */
function observations(bad?: number): string {
  const lines: string[] = [];
  for (let i = 0; i < 32_000; i++) {
    if (i === bad) lines.push('{"resourceType": "Observation", "subject": ');
    else if (i % 997 === 0) lines.push('');
    else {
      const patient = i % 40 < 30 ? `p${i % 40}` : `p${Math.floor(i / 800)}`;
      lines.push(JSON.stringify({ resourceType: 'Observation', id: `o${i}`, status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '8310-5' }] }, subject: { reference: `Patient/${patient}` }, effectiveDateTime: '2026-11-01T00:00:00Z', valueQuantity: { value: 37 + (i % 30) / 10, unit: 'Cel', system: 'http://unitsofmeasure.org', code: 'Cel' }, note: [{ text: 'x'.repeat(120) }] }));
    }
  }
  return `${lines.join('\n')}\n`;
}

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function contents(files: readonly string[], threads: number): Promise<[string, string][]> {
  const cohort = await NdjsonCohort.open(files, threads);
  try {
    return cohort.patientIds().map((id) => [id, cohort.read(id).text]);
  } finally {
    cohort.close();
  }
}

describe('NDJSON first pass in slices', () => {
  test('a large file is cut at line starts, and 3 threads index what one pass does', async () => {
    const big = write('Observation.ndjson', observations());
    const small = write('Patient.ndjson', Array.from({ length: 40 }, (_, i) => JSON.stringify({ resourceType: 'Patient', id: `p${i}` })).join('\n'));
    const slices = slicesOf([big, small], 3);
    expect(slices.filter((s) => s.path === big)).toHaveLength(3);
    expect(slices.filter((s) => s.path === small)).toHaveLength(1);
    const single = await contents([big, small], 1);
    expect(single).toHaveLength(40);
    expect(await contents([big, small], 3)).toEqual(single);
  }, 60_000);

  test('a bad line in a later slice is reported with its line number in the file, as one pass reports it', async () => {
    const big = write('Observation.ndjson', observations(30_001));
    await expect(NdjsonCohort.open([big], 1)).rejects.toThrow('Observation.ndjson:30002: not valid JSON');
    await expect(NdjsonCohort.open([big], 3)).rejects.toThrow('Observation.ndjson:30002: not valid JSON');
  }, 60_000);
});

describe('NDJSON first pass: the first problem in file order, whatever the threads', () => {
  test('a bad line in the first file is reported before a later file that cannot be read', async () => {
    const first = write('A.ndjson', ['{"resourceType": "Patient", "id": "p1"}', '{"resourceType": "Patient", "id": "p2"}', 'not json'].join('\n'));
    const missing = join(dir, 'B.ndjson');
    for (const threads of [1, 2]) await expect(NdjsonCohort.open([first, missing], threads)).rejects.toThrow(/^A\.ndjson:3: not valid JSON$/);
    const fine = write('C.ndjson', '{"resourceType": "Patient", "id": "p3"}\n');
    for (const threads of [1, 2]) await expect(NdjsonCohort.open([fine, missing], threads)).rejects.toThrow(/^cannot read B\.ndjson$/);
  });

  test('a directory named like a file is reported as unreadable, the same on one thread and several', async () => {
    const fine = write('D.ndjson', '{"resourceType": "Patient", "id": "p4"}\n');
    const folder = join(dir, 'E.ndjson');
    mkdirSync(folder);
    for (const threads of [1, 2]) await expect(NdjsonCohort.open([fine, folder], threads)).rejects.toThrow(/^cannot read E\.ndjson$/);
  });

  test('a large file with CRLF line ends and no final newline indexes as one pass does', async () => {
    const big = write('F.ndjson', observations().trimEnd().split('\n').join('\r\n'));
    const single = await contents([big], 1);
    expect(single.length).toBeGreaterThan(30);
    expect(await contents([big], 3)).toEqual(single);
  }, 60_000);
});
