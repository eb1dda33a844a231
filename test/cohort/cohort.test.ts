/**
 * The synthetic cohort: the intended grades are what the engine finds (the evaluator `crs-cds grade`
 * uses, at the course's end and at its peak), every grade 0–4 appears, the courses hold what the issue
 * asks (fever onset day +1 to +5, tocilizumab and steroids, vitals every 1–4 h, gaps), output is
 * deterministic from the seed, and Bundles and NDJSON carry the same resources.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, MedicationAdministration, Observation, Resource } from 'fhir/r4.js';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { HOUR_MS, planCourse, type CohortOptions } from '../../src/cohort/course-plan.js';
import { courseResources } from '../../src/cohort/course-resources.js';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { buildRuntime } from '../../src/engine/build-runtime.js';
import { captureIo } from '../cli/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'crs-cohort-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OPTIONS: CohortOptions = { seed: 42, start: new Date('2026-11-01T00:00:00Z'), days: 14 };
const runtime = buildRuntime(DEFAULT_CONFIG);
const patientView = runtime.services.find((s) => s.hook === 'patient-view');

function assess(resources: readonly Resource[], patientId: string, at: number): { grade?: number | null; episodeMaxGrade?: number | null } {
  if (patientView === undefined) throw new Error('patient-view disabled');
  const response = runtime.evaluate({ service: patientView, context: { patientId }, resources, evaluatedAt: new Date(at) });
  return (response.extension?.['crs-cds.assessment'] ?? {}) as { grade?: number | null; episodeMaxGrade?: number | null };
}

describe('intended grades under the real engine', () => {
  test.each([
    ['phase-dependent vitals (1–4 h)', OPTIONS],
    ['hourly vitals', { ...OPTIONS, seed: 7, vitalsEveryHours: 1 }],
    ['vitals every 4 h', { ...OPTIONS, seed: 11, vitalsEveryHours: 4 }],
  ])('%s: the episode maximum is the intended grade for 40 patients, grades 0–4 all present', (_name, options) => {
    const seen = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const plan = planCourse(options, i);
      const resources = courseResources(plan, options.seed);
      const end = assess(resources, plan.patientId, plan.courseEnd);
      expect({ patient: plan.patientId, episodeMaxGrade: end.episodeMaxGrade }).toEqual({ patient: plan.patientId, episodeMaxGrade: plan.intendedGrade });
      seen.add(plan.intendedGrade);
      if (plan.intendedGrade >= 2) {
        // An hour into some oxygen, vasopressor or hypotension phase, the current grade is the intended one.
        const phases = [...plan.oxygen, ...plan.vasopressors, ...(plan.hypotension === undefined ? [] : [plan.hypotension])];
        const current = Math.max(...phases.map((p) => assess(resources, plan.patientId, p.start + HOUR_MS).grade ?? -1));
        expect({ patient: plan.patientId, grade: current }).toEqual({ patient: plan.patientId, grade: plan.intendedGrade });
      }
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  test('crs-cds grade itself reads a written Bundle as intended', async () => {
    const out = join(dir, 'grade-check');
    expect(await runCli(['cohort', '--patients', '5', '--out', out, '--seed', '3'], captureIo())).toBe(0);
    for (let i = 0; i < 5; i++) {
      const plan = planCourse({ ...OPTIONS, seed: 3 }, i);
      const io = captureIo();
      const file = join(out, `patient-${String(i + 1).padStart(5, '0')}.json`);
      expect(await runCli(['grade', file, '--at', new Date(plan.courseEnd).toISOString()], io)).toBe(0);
      expect(JSON.parse(io.out()).extension['crs-cds.assessment'].episodeMaxGrade).toBe(plan.intendedGrade);
    }
  });
});

describe('the courses', () => {
  const plans = Array.from({ length: 100 }, (_, i) => planCourse(OPTIONS, i));

  test('fever starts on day +1 to +5; grade 2 and above get tocilizumab, 3 dexamethasone, 4 methylprednisolone', () => {
    for (const plan of plans) {
      if (plan.fever !== undefined) {
        const day = (plan.fever.start - plan.infusionAt) / (24 * HOUR_MS);
        expect(day).toBeGreaterThanOrEqual(1);
        expect(day).toBeLessThan(6);
      }
      expect(plan.fever === undefined).toBe(plan.intendedGrade === 0);
      expect(plan.tocilizumabAt.length > 0).toBe(plan.intendedGrade >= 2);
      if (plan.intendedGrade === 3) expect(new Set(plan.steroids.map((s) => s.drug))).toEqual(new Set(['dexamethasone']));
      if (plan.intendedGrade === 4) expect(plan.steroids.map((s) => s.drug)).toEqual(['methylprednisolone', 'methylprednisolone', 'methylprednisolone']);
      // F2: any masking agent comes after a documented fever.
      const firstAgent = Math.min(...plan.acetaminophenAt, ...plan.tocilizumabAt, ...plan.steroids.map((s) => s.at));
      if (plan.fever !== undefined) expect(firstAgent).toBeGreaterThan(plan.fever.start);
    }
  });

  test('vitals come every 1 to 4 hours, with gaps of 4–10 h in some courses', () => {
    for (const plan of plans) {
      const steps = plan.vitalsAt.slice(1).map((t, i) => (t - (plan.vitalsAt[i] as number)) / HOUR_MS);
      const inGap = (s: number, i: number): boolean => plan.gaps.some((g) => (plan.vitalsAt[i] as number) < g.end && (plan.vitalsAt[i + 1] as number) > g.start) || s < 0;
      expect(steps.filter((s, i) => !inGap(s, i)).every((s) => s >= 1 && s <= 4)).toBe(true);
    }
    const withGaps = plans.filter((p) => p.gaps.length > 0).length;
    expect(withGaps).toBeGreaterThan(10);
    expect(withGaps).toBeLessThan(60);
  });

  test('resources look like US Core vital signs and FHIR administrations', () => {
    const plan = plans.find((p) => p.intendedGrade === 4 && p.vasopressors.length > 0) ?? plans[0];
    if (plan === undefined) throw new Error('no plan');
    const resources = courseResources(plan, OPTIONS.seed);
    const temps = resources.filter((r): r is Observation => r.resourceType === 'Observation' && (r as Observation).code.coding?.[0]?.code === '8310-5');
    expect(temps[0]).toMatchObject({
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '8310-5' }] },
      subject: { reference: `Patient/${plan.patientId}` },
      valueQuantity: { system: 'http://unitsofmeasure.org', code: 'Cel' },
    });
    const pressors = resources.filter((r): r is MedicationAdministration => r.resourceType === 'MedicationAdministration' && r.id?.includes('-pressor-') === true);
    expect(pressors.length).toBeGreaterThan(0);
    for (const p of pressors) expect(p.effectivePeriod?.end).toBeDefined();
    expect(new Set(resources.map((r) => r.id)).size).toBe(resources.length);
  });
});

describe('crs-cds cohort', () => {
  test('writes the same bytes for the same seed, other bytes for another seed', async () => {
    const write = async (name: string, seed: string): Promise<string> => {
      expect(await runCli(['cohort', '--patients', '3', '--out', join(dir, name), '--seed', seed], captureIo())).toBe(0);
      return readdirSync(join(dir, name)).map((f) => readFileSync(join(dir, name, f), 'utf8')).join('\n');
    };
    const first = await write('a', '9');
    expect(await write('b', '9')).toBe(first);
    expect(await write('c', '10')).not.toBe(first);
  });

  test('NDJSON holds one resource type per file, patients in order, the same resources as the Bundles', async () => {
    const io = captureIo();
    expect(await runCli(['cohort', '--patients', '4', '--out', join(dir, 'nd'), '--seed', '5', '--format', 'ndjson', '--vitals-every', '2'], io)).toBe(0);
    expect(io.err()).toMatch(/^wrote 4 patients \(\d+ resources; intended episode maximum grade 0: \d+, grade 1: \d+, grade 2: \d+, grade 3: \d+, grade 4: \d+\) to .* as ndjson\n$/);
    expect(await runCli(['cohort', '--patients', '4', '--out', join(dir, 'bd'), '--seed', '5', '--vitals-every', '2'], captureIo())).toBe(0);
    const files = readdirSync(join(dir, 'nd')).sort();
    expect(files).toEqual(['MedicationAdministration.ndjson', 'Observation.ndjson', 'Patient.ndjson']);
    const fromNdjson: Resource[] = [];
    for (const file of files) {
      const lines = readFileSync(join(dir, 'nd', file), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Resource);
      expect(new Set(lines.map((r) => r.resourceType))).toEqual(new Set([file.replace('.ndjson', '')]));
      fromNdjson.push(...lines);
    }
    const fromBundles = readdirSync(join(dir, 'bd'))
      .sort()
      .flatMap((f) => (JSON.parse(readFileSync(join(dir, 'bd', f), 'utf8')) as Bundle).entry?.map((e) => e.resource as Resource) ?? []);
    const byId = (rs: Resource[]) => [...rs].sort((a, b) => (a.id ?? '').localeCompare(b.id ?? ''));
    expect(byId(fromNdjson)).toEqual(byId(fromBundles));
    const patients = readFileSync(join(dir, 'nd', 'Patient.ndjson'), 'utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as Resource).id);
    expect(patients).toEqual(['cohort-5-00001', 'cohort-5-00002', 'cohort-5-00003', 'cohort-5-00004']);
  });

  test.each([
    [['--out', 'x'], 'crs-cds cohort: usage: crs-cds cohort --patients <N> --out <dir>'],
    [['--patients', '0', '--out', 'x'], 'crs-cds cohort: --patients must be a whole number from 1 to 1000000 (got "0")'],
    [['--patients', '2', '--out', 'x', '--format', 'csv'], 'crs-cds cohort: --format must be bundle or ndjson (got "csv")'],
    [['--patients', '2', '--out', 'x', '--vitals-every', '0.1'], 'crs-cds cohort: --vitals-every must be a number from 0.25 to 24 (got "0.1")'],
    [['--patients', '2', '--out', 'x', '--start', '2026-13-01'], 'crs-cds cohort: --start must be a date (YYYY-MM-DD) (got "2026-13-01")'],
    [['--patients', '2', '--out', 'x', '--seed', '1.5'], 'crs-cds cohort: --seed must be a whole number from 0 to 4294967295 (got "1.5")'],
  ])('%j exits 2 with one line', async (args, message) => {
    const io = captureIo();
    expect(await runCli(['cohort', ...args], io)).toBe(2);
    expect(io.err().startsWith(message)).toBe(true);
    expect(io.err().trim().split('\n')).toHaveLength(1);
  });

  test('refuses a directory that already holds files', async () => {
    writeFileSync(join(dir, 'taken.txt'), 'x');
    const io = captureIo();
    expect(await runCli(['cohort', '--patients', '1', '--out', dir], io)).toBe(2);
    expect(io.err()).toBe(`crs-cds cohort: ${dir} is not empty\n`);
  });
});
