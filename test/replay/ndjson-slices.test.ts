/**
 * The NDJSON first pass in slices (ndjson-slices.ts, ndjson-cohort.ts): a file of more than 8 MiB is cut
 * at line starts and indexed on worker threads; the cohort it gives is the one a single pass gives (the
 * same patients, each with the same text), and a bad line is reported with the same file and line number.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
