/**
 * `crs-cds replay` end to end (in process, as bin/crs-cds.mjs runs it): two hand-built patients whose
 * changed hours follow from the rules by hand (F1 with a lower fever threshold, the 24 h lookback of
 * section 2), as Bundles and as shuffled NDJSON; generated cohorts in both formats; identical
 * configurations; the alert burden against the hook evaluator itself; and every kind of bad input.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resource } from 'fhir/r4.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { writeCohort } from '../../src/cohort/write-cohort.js';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { buildRuntime } from '../../src/engine/build-runtime.js';
import { hourGrid } from '../../src/replay/hour-grid.js';
import { carT, hoursFrom, patient, temperature, weight } from '../fixtures/grading/builders.js';
import { captureIo } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'crs-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = (...parts: string[]): string => join(dir, ...parts);

const START = '2026-11-01T08:00:00Z';
const h = (hours: number): string => hoursFrom(START, hours);

/** One patient: CAR-T at START, 70 kg, a temperature every hour for 48 h (37.0 °C, or 37.6 °C at the given hours). */
function handPatient(id: string, warmHours: readonly number[]): Resource[] {
  const resources: Resource[] = [patient('1980-05-01', id), carT(START, { id: `${id}-cart` }), weight(START, 70, 'kg', { id: `${id}-wt` })];
  for (let hour = 0; hour <= 48; hour++) resources.push(temperature(h(hour), warmHours.includes(hour) ? 37.6 : 37.0, { id: `${id}-t${hour}` }));
  return resources.map((r) => (r.resourceType === 'Patient' ? r : ({ ...r, subject: { reference: `Patient/${id}` } } as Resource)));
}

const HAND = { 'p-warm': handPatient('p-warm', [12, 13]), 'p-steady': handPatient('p-steady', []) };

function writeBundles(out: string, patients: Record<string, Resource[]>): void {
  mkdirSync(out, { recursive: true });
  for (const [id, resources] of Object.entries(patients)) {
    writeFileSync(join(out, `${id}.json`), JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) }));
  }
}

/** A deterministic shuffle (the order of Bulk Data lines is not guaranteed). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** NDJSON, one file per resource type, lines shuffled across patients. */
function writeNdjson(out: string, resources: readonly Resource[], seed: number): void {
  mkdirSync(out, { recursive: true });
  const byType = new Map<string, string[]>();
  for (const r of resources) byType.set(r.resourceType, [...(byType.get(r.resourceType) ?? []), JSON.stringify(r)]);
  for (const [type, lines] of byType) writeFileSync(join(out, `${type}.ndjson`), `${shuffled(lines, seed).join('\n')}\n`);
}

/** Shuffles the lines of every NDJSON file of a directory into a new one. */
function shuffleNdjsonDir(from: string, to: string): void {
  mkdirSync(to);
  for (const name of readdirSync(from)) {
    const lines = readFileSync(join(from, name), 'utf8').split('\n').filter((l) => l !== '');
    writeFileSync(join(to, name), `${shuffled(lines, 7).join('\n')}\n`);
  }
}

/** In this thread unless the arguments name workers. */
async function replay(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  const code = await runCli(['replay', ...(args.includes('--workers') ? [] : ['--workers', '1']), ...args], io);
  return { code, out: io.out(), err: io.err() };
}

type Burden = Record<'cards' | 'info' | 'warning' | 'critical', number>;

interface JsonReport {
  cohort: { format: string; patients: number };
  baseline: Record<string, unknown>;
  patients: { patientId: string; changes: { from: string; to: string; field: string; baseline: string; proposed: string }[] }[];
  summary: { patients: number; hours: number; episodeHours: number; patientsChanged: Record<string, number>; baseline: Burden; proposed: Burden };
}

async function replayJson(...args: string[]): Promise<JsonReport> {
  const result = await replay('--json', ...args);
  expect(result.err).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.out) as JsonReport;
}

beforeAll(async () => {
  writeFileSync(path('fever-37.5.yaml'), 'grading:\n  feverCelsius: 37.5\n');
  writeFileSync(path('defaults.yaml'), '# the defaults\n{}\n');
  writeBundles(path('hand-bundles'), HAND);
  writeNdjson(path('hand-ndjson'), Object.values(HAND).flat(), 3);
  const options = { seed: 9, start: new Date('2026-11-01T00:00:00Z'), days: 14, patients: 4 };
  mkdirSync(path('gen-bundles'));
  mkdirSync(path('gen-ndjson'));
  await writeCohort({ ...options, format: 'bundle', outDir: path('gen-bundles') });
  await writeCohort({ ...options, format: 'ndjson', outDir: path('gen-ndjson') });
  shuffleNdjsonDir(path('gen-ndjson'), path('gen-ndjson-shuffled'));
});

describe('a fever threshold of 37.5 °C on two hand-built patients', () => {
  // F1 at 37.5 °C: the 37.6 °C readings at +12 h and +13 h make grade 1 while either is in the 24 h
  // window [t − 24 h, t] (section 2): from +12 h to +13 h + 24 h = +37 h, 26 hours. G-M keeps 1 from +12 h
  // to the last hour (+48 h, 37 hours). Grade 1 shows the crs-grade-1 info card; grade 0 none.
  const expected = [
    { from: h(12), to: h(37), field: 'grade', baseline: '0', proposed: '1' },
    { from: h(12), to: h(48), field: 'episodeMax', baseline: '0', proposed: '1' },
    { from: h(12), to: h(37), field: 'card', baseline: 'none', proposed: 'crs-grade-1 (info)' },
  ];

  test('Bundles: only p-warm changes, at exactly the hours the rules give; 26 more info cards', async () => {
    const report = await replayJson('--config', path('fever-37.5.yaml'), path('hand-bundles'));
    expect(report.patients).toEqual([{ patientId: 'p-warm', changes: expected.map((c) => ({ ...c, from: new Date(c.from).toISOString(), to: new Date(c.to).toISOString() })) }]);
    expect(report.summary).toEqual({
      patients: 2,
      hours: 98,
      episodeHours: 98,
      patientsChanged: { grade: 1, episodeMax: 1, orders: 0, card: 1, any: 1 },
      baseline: { cards: 0, info: 0, warning: 0, critical: 0 },
      proposed: { cards: 26, info: 26, warning: 0, critical: 0 },
    });
    expect(report.baseline).toEqual({ default: true, configVersion: expect.stringMatching(/^[0-9a-f]{16}$/) });
  });

  test('NDJSON with the lines shuffled across patients gives the same report', async () => {
    const bundles = await replayJson('--config', path('fever-37.5.yaml'), path('hand-bundles'));
    const ndjson = await replayJson('--config', path('fever-37.5.yaml'), path('hand-ndjson'));
    expect(ndjson.cohort.format).toBe('ndjson');
    expect({ ...ndjson, cohort: undefined }).toEqual({ ...bundles, cohort: undefined });
  });

  test('the text report: the baseline named as the defaults, one line per change, the summary and burden', async () => {
    const { code, out, err } = await replay('--config', path('fever-37.5.yaml'), path('hand-bundles'));
    expect([code, err]).toEqual([0, '']);
    expect(out).toContain('baseline: the effective default configuration (no --baseline given)');
    expect(out).toContain('Patient/p-warm: 3 changes\n');
    expect(out).toMatch(/^ {2}2026-11-01T20:00Z to 2026-11-02T21:00Z \(26 h\) +grade +0 -> 1$/m);
    expect(out).toMatch(/^ {2}2026-11-01T20:00Z to 2026-11-03T08:00Z \(37 h\) +episode maximum +0 -> 1$/m);
    expect(out).toMatch(/^ {2}2026-11-01T20:00Z to 2026-11-02T21:00Z \(26 h\) +card +none -> crs-grade-1 \(info\)$/m);
    expect(out).not.toContain('p-steady');
    expect(out).toContain('patients whose current grade changes:      1 of 2');
    expect(out).toMatch(/^ {2}info +0 +26 +\+26$/m);
  });
});

describe('generated cohorts', () => {
  const proposed = (): string => {
    writeFileSync(path('sbp-100.yaml'), 'grading:\n  sbpBelow: 100\n  feverCelsius: 37.5\n');
    return path('sbp-100.yaml');
  };

  test('Bundles and NDJSON, sorted or shuffled, give the same report; the proposal changes patients', async () => {
    const config = proposed();
    const bundles = await replayJson('--config', config, path('gen-bundles'));
    const ndjson = await replayJson('--config', config, path('gen-ndjson'));
    const shuffledNdjson = await replayJson('--config', config, path('gen-ndjson-shuffled'));
    expect(bundles.summary.patients).toBe(4);
    expect(bundles.summary.patientsChanged.grade).toBeGreaterThan(0);
    expect(bundles.summary.proposed.cards).toBeGreaterThan(bundles.summary.baseline.cards);
    expect({ ...ndjson, cohort: undefined }).toEqual({ ...bundles, cohort: undefined });
    expect({ ...shuffledNdjson, cohort: undefined }).toEqual({ ...ndjson, cohort: undefined });
  }, 120_000);

  test('on two worker threads the report is the same, in cohort order', async () => {
    const config = proposed();
    const threads = await replay('--config', config, '--workers', '2', path('gen-ndjson-shuffled'));
    const alone = await replay('--config', config, path('gen-ndjson-shuffled'));
    expect(threads.code).toBe(0);
    expect(threads.out).toBe(alone.out);
    expect(threads.out).toContain('Patient/');
  }, 120_000);

  test('identical configurations: no patient changes, the same burden, and that burden is what the hook answers hour by hour', async () => {
    const report = await replayJson('--config', path('defaults.yaml'), '--baseline', path('defaults.yaml'), path('gen-bundles'));
    expect(report.patients).toEqual([]);
    expect(report.summary.patientsChanged.any).toBe(0);
    expect(report.summary.proposed).toEqual(report.summary.baseline);
    expect(report.baseline).toEqual({ file: path('defaults.yaml'), configVersion: expect.any(String) });

    // The alert burden, counted independently: the hook evaluator itself at every hour of the grid.
    const runtime = buildRuntime(DEFAULT_CONFIG);
    const service = runtime.services.find((s) => s.hook === 'patient-view');
    if (service === undefined) throw new Error('patient-view disabled');
    const counts = { cards: 0, info: 0, warning: 0, critical: 0 };
    let hours = 0;
    for (const file of readdirSync(path('gen-bundles')).sort()) {
      const bundle = JSON.parse(readFileSync(path('gen-bundles', file), 'utf8')) as { entry: { resource: Resource }[] };
      const resources = bundle.entry.map((e) => e.resource);
      const patientId = resources.find((r) => r.resourceType === 'Patient')?.id ?? '';
      for (const at of hourGrid(resources)) {
        hours += 1;
        for (const card of runtime.evaluate({ service, context: { patientId }, resources, evaluatedAt: new Date(at) }).cards) {
          counts.cards += 1;
          counts[card.indicator] += 1;
        }
      }
    }
    expect(report.summary.hours).toBe(hours);
    expect(report.summary.baseline).toEqual(counts);
    expect(counts.critical).toBeGreaterThan(0);
  }, 120_000);
});

describe('bad input exits 2 with one line naming the file, line or field', () => {
  /** NDJSON and configurations are checked before any output; a bad Bundle is met as the replay reaches it. */
  const bad = async (args: string[], reason: RegExp, partialOutput = false): Promise<void> => {
    const { code, out, err } = await replay(...args);
    expect(code).toBe(2);
    if (partialOutput) expect(out).not.toContain('Summary');
    else expect(out).toBe('');
    expect(err).toMatch(reason);
    expect(err.trimEnd().split('\n')).toHaveLength(1);
  };
  const badDir = (name: string, files: Record<string, string>): string => {
    mkdirSync(path(name));
    for (const [file, text] of Object.entries(files)) writeFileSync(path(name, file), text);
    return path(name);
  };
  const obs = (extra: Record<string, unknown>): string =>
    JSON.stringify({ resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'x' }, effectiveDateTime: START, ...extra });

  test('usage: no --config, no cohort, an unknown option, a bad --workers', async () => {
    await bad(['--config', path('fever-37.5.yaml'), '--workers', '0', path('hand-bundles')], /--workers must be a whole number from 1 to 64 \(got "0"\)/);
    await bad([path('hand-bundles')], /^crs-cds replay: usage: crs-cds replay --config/);
    await bad(['--config', path('fever-37.5.yaml')], /usage: crs-cds replay/);
    await bad(['--config', path('fever-37.5.yaml'), '--colour', path('hand-bundles')], /Unknown option '--colour'/);
  });

  test('configurations: missing file, invalid YAML, an invalid value (named by path), each option named', async () => {
    writeFileSync(path('broken.yaml'), 'grading: [unclosed\n');
    writeFileSync(path('invalid.yaml'), 'grading:\n  feverCelsius: 45\n');
    await bad(['--config', path('nope.yaml'), path('hand-bundles')], /--config .*nope\.yaml: file not found$/m);
    await bad(['--config', path('broken.yaml'), path('hand-bundles')], /--config .*broken\.yaml: is not valid YAML/);
    await bad(['--config', path('fever-37.5.yaml'), '--baseline', path('invalid.yaml'), path('hand-bundles')], /--baseline .*invalid\.yaml: invalid configuration: grading\.feverCelsius: /);
  });

  test('cohort directories: missing, empty, mixing Bundles and NDJSON', async () => {
    const config = ['--config', path('fever-37.5.yaml')];
    await bad([...config, path('missing-dir')], /cannot read the cohort directory .*missing-dir$/m);
    await bad([...config, badDir('empty', {})], /holds no patient Bundles \(\*\.json\) or Bulk Data files \(\*\.ndjson\)/);
    await bad([...config, badDir('mixed', { 'a.json': '{}', 'Patient.ndjson': '' })], /holds both \.json Bundles and \.ndjson files/);
  });

  test('NDJSON: a malformed line and a resource without a patient reference, by file and line', async () => {
    const config = ['--config', path('fever-37.5.yaml')];
    const patientLine = JSON.stringify({ resourceType: 'Patient', id: 'p1' });
    await bad([...config, badDir('bad-line', { 'Patient.ndjson': `${patientLine}\n`, 'Observation.ndjson': `${obs({ subject: { reference: 'Patient/p1' } })}\n\n{"resourceType":\n` })], /^crs-cds replay: Observation\.ndjson:3: not valid JSON$/m);
    await bad([...config, badDir('no-subject', { 'Observation.ndjson': `${obs({ subject: { reference: 'Patient/p1' } })}\n${obs({ id: 'o2' })}\n` })], /^crs-cds replay: Observation\.ndjson:2: Observation has no subject reference to a Patient \(subject\.reference\)$/m);
    await bad([...config, badDir('no-type', { 'Observation.ndjson': '[1,2]\n' })], /Observation\.ndjson:1: not a FHIR resource \(no resourceType\)/);
    await bad([...config, badDir('no-id', { 'Patient.ndjson': '{"resourceType":"Patient"}\n' })], /Patient\.ndjson:1: Patient has no id/);
  });

  test('Bundles: invalid JSON, not a Bundle, two patients, by file', async () => {
    const config = ['--config', path('fever-37.5.yaml')];
    await bad([...config, badDir('bad-json', { 'p1.json': '{"resourceType": "Bundle",' })], /^crs-cds replay: p1\.json: not valid JSON$/m, true);
    await bad([...config, badDir('not-bundle', { 'p1.json': '{"resourceType": "Patient"}' })], /p1\.json: the file is not a FHIR Bundle/, true);
    const two = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Patient', id: 'a' } }, { resource: { resourceType: 'Patient', id: 'b' } }] };
    await bad([...config, badDir('two', { 'p1.json': JSON.stringify(two) })], /p1\.json: the Bundle holds 2 patients; replay takes one patient's resources per Bundle/, true);
    // Met on a worker thread: the same line, and the replay stops.
    await bad([...config, '--workers', '2', path('two')], /^crs-cds replay: p1\.json: the Bundle holds 2 patients/, true);
  });
});

test('NDJSON: Medications (no patient) are shared, resource types the engine does not read are skipped', async () => {
  const out = path('shared-meds');
  writeNdjson(out, HAND['p-warm'] ?? [], 1);
  writeFileSync(join(out, 'Medication.ndjson'), `${JSON.stringify({ resourceType: 'Medication', id: 'm1', code: { text: 'saline' } })}\n`);
  writeFileSync(join(out, 'Practitioner.ndjson'), `${JSON.stringify({ resourceType: 'Practitioner', id: 'dr' })}\n`);
  const report = await replayJson('--config', path('fever-37.5.yaml'), out);
  expect(report.summary.patients).toBe(1);
  expect(report.patients[0]?.patientId).toBe('p-warm');
});
