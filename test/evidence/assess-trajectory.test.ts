/**
 * The correctness anchor of the trajectory engine: at every instant, `assessTrajectory` (one extraction
 * of the Observations, limited per instant) gives exactly what `assessPatient` (a fresh extraction at
 * that instant) gives: the whole assessment, so the grade, the episode maximum (G-M), masking (F2), the
 * scope (S1–S3, S1-E) and the treatment inputs the recommendations read. On the published FHIR shapes,
 * the revision 2 scenarios and generated cohort patients, under the defaults and a changed configuration.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Resource } from 'fhir/r4.js';
import { describe, expect, test } from 'vitest';
import { planCourse } from '../../src/cohort/course-plan.js';
import { courseResources } from '../../src/cohort/course-resources.js';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { parseConfig } from '../../src/config/load-config.js';
import { assessPatient } from '../../src/evidence/assess-patient.js';
import { assessTrajectory, type SharedVitals } from '../../src/evidence/assess-trajectory.js';
import { hourGrid } from '../../src/replay/hour-grid.js';
import { administration, AS_OF, carT, hoursFrom, namedMed, sbp, temperature } from '../fixtures/grading/builders.js';
import { SCENARIOS } from '../fixtures/grading/revision-2-scenarios.js';
import { EVALUATED_AT } from '../support/hook-requests.js';

const HOUR_MS = 3_600_000;
/** A configuration that moves grades: lower fever threshold, shorter lookback and masking. */
const CHANGED = parseConfig({ grading: { feverCelsius: 37.8, lookbackHours: 12, maskingMaxHours: 24, sbpBelow: 95 } });

/** Every `step` hours from `from` to `to`, plus 17 minutes past each (instants between the hours). */
function instants(from: number, to: number, stepHours: number): number[] {
  const out: number[] = [];
  for (let at = from; at <= to; at += stepHours * HOUR_MS) out.push(at, at + 17 * 60_000);
  return out;
}

/** Asserts the trajectory equals assessPatient at every instant; returns how many were monitored. */
function expectSameAsAssessPatient(resources: readonly Resource[], at: readonly number[], config = DEFAULT_CONFIG): number {
  const points = [...assessTrajectory(resources, at, config)];
  expect(points.map((p) => p.at)).toEqual(at);
  let monitored = 0;
  for (const point of points) {
    expect(point.assessment, new Date(point.at).toISOString()).toEqual(assessPatient(resources, new Date(point.at), config));
    if (point.assessment !== null) monitored += 1;
  }
  return monitored;
}

describe('assessTrajectory equals assessPatient at every instant', () => {
  test('the published FHIR shapes (US Core, FHIR core, Cerner), after a CAR-T infusion, every 2 h over 8 days', () => {
    const dir = new URL('../fixtures/real-shapes/', import.meta.url);
    const shapes = readdirSync(dir).map((name) => {
      const body = JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as Record<string, unknown>;
      delete body['$comment'];
      return body as unknown as Resource;
    });
    const resources = [carT(hoursFrom(AS_OF, -5 * 24), { id: 'cart' }), temperature(hoursFrom(AS_OF, -30), 38.4, { id: 'fever' }), ...shapes];
    const asOf = Date.parse(AS_OF);
    for (const config of [DEFAULT_CONFIG, CHANGED]) {
      expect(expectSameAsAssessPatient(resources, instants(asOf - 6 * 24 * HOUR_MS, asOf + 2 * 24 * HOUR_MS, 2), config)).toBeGreaterThan(80);
    }
  });

  test.each(Object.keys(SCENARIOS))('revision 2 scenario %s, hourly over 12 days', (name) => {
    const now = EVALUATED_AT.getTime();
    const at = instants(now - 11 * 24 * HOUR_MS, now + 24 * HOUR_MS, 3);
    expect(expectSameAsAssessPatient(SCENARIOS[name] ?? [], [...at, now])).toBeGreaterThan(0);
    expectSameAsAssessPatient(SCENARIOS[name] ?? [], [...at, now], CHANGED);
  });

  test.each([
    ['vitals every 1–4 h', undefined],
    ['hourly vitals', 1],
  ])('generated cohort patients (%s), every 5 h over the course', (_name, vitalsEveryHours) => {
    const options = { seed: 5, start: new Date('2026-11-01T00:00:00Z'), days: 14, ...(vitalsEveryHours === undefined ? {} : { vitalsEveryHours }) };
    for (let index = 0; index < 3; index++) {
      const plan = planCourse(options, index);
      // As a reader receives them: parsed from JSON.
      const resources = JSON.parse(JSON.stringify(courseResources(plan, options.seed))) as Resource[];
      const at = instants(plan.infusionAt - 2 * HOUR_MS, plan.courseEnd, 5);
      expect(expectSameAsAssessPatient(resources, at, index % 2 === 0 ? DEFAULT_CONFIG : CHANGED)).toBeGreaterThan(60);
    }
  });

  test('generated cohort patients at every whole hour of their data (the replay grid), resources as written and shuffled', () => {
    const options = { seed: 21, start: new Date('2026-11-01T00:00:00Z'), days: 14, vitalsEveryHours: 1 };
    // The first block of a cohort holds every grade 0–4: take a grade 3 and a grade 4 course (vasopressors,
    // oxygen, tocilizumab, steroids, masking by acetaminophen).
    const severe = [0, 1, 2, 3, 4].map((index) => planCourse(options, index)).filter((plan) => plan.intendedGrade >= 3);
    expect(severe.length).toBe(2);
    for (const [n, plan] of severe.entries()) {
      const resources = JSON.parse(JSON.stringify(courseResources(plan, options.seed))) as Resource[];
      // Out of time order, so the trajectory's per-hour limits filter instead of taking prefixes.
      const shuffled = resources.map((r, i) => ({ r, key: (i * 7919) % resources.length })).sort((a, b) => a.key - b.key).map(({ r }) => r);
      const hours = hourGrid(resources);
      expect(expectSameAsAssessPatient(n === 0 ? resources : shuffled, hours, n === 0 ? CHANGED : DEFAULT_CONFIG)).toBeGreaterThan(300);
    }
  });

  test('a running T-cell engager infusion (S1 counts it at each instant) and one that ends, hourly over 40 days', () => {
    const h = (hours: number): string => hoursFrom(AS_OF, hours);
    const resources = [
      administration(namedMed('blinatumomab (Blincyto) continuous infusion'), h(-30 * 24), { id: 'blin-1', period: true, end: h(-26 * 24) }),
      administration(namedMed('blinatumomab (Blincyto) continuous infusion'), h(-3 * 24), { id: 'blin-2', period: true, status: 'in-progress' }),
      temperature(h(-29 * 24), 38.6, { id: 'early-fever' }),
      temperature(h(-2), 38.9, { id: 'fever' }),
      sbp(h(-1), 84, { id: 'bp' }),
    ];
    const asOf = Date.parse(AS_OF);
    expect(expectSameAsAssessPatient(resources, instants(asOf - 32 * 24 * HOUR_MS, asOf + 8 * 24 * HOUR_MS, 4))).toBeGreaterThan(100);
  });

  test('vital signs shared between configurations that extract alike; one that extracts otherwise gets its own', () => {
    const now = EVALUATED_AT.getTime();
    const resources = SCENARIOS['one-dose'] ?? [];
    const at = instants(now - 4 * 24 * HOUR_MS, now, 6);
    // E6: no temperature is plausible above 37 °C here, so this configuration's extraction differs.
    const narrow = parseConfig({ grading: { plausible: { temperatureCelsius: { min: 30, max: 37 } } } });
    const shared: SharedVitals = new Map();
    const alone = (config: typeof DEFAULT_CONFIG) => [...assessTrajectory(resources, at, config)];
    expect([...assessTrajectory(resources, at, DEFAULT_CONFIG, shared)]).toEqual(alone(DEFAULT_CONFIG));
    expect([...assessTrajectory(resources, at, CHANGED, shared)]).toEqual(alone(CHANGED));
    expect(shared.size).toBe(1);
    const narrowed = [...assessTrajectory(resources, at, narrow, shared)];
    expect(narrowed).toEqual(alone(narrow));
    expect(shared.size).toBe(2);
    expect(narrowed.map((p) => p.assessment?.grade)).not.toEqual(alone(DEFAULT_CONFIG).map((p) => p.assessment?.grade));
  });

  test('yields instants in the order given, an instant before the infusion as not monitored', () => {
    const now = EVALUATED_AT.getTime();
    const resources = SCENARIOS['one-dose'] ?? [];
    const at = [now, now - 30 * 24 * HOUR_MS, now - 3 * HOUR_MS];
    const points = [...assessTrajectory(resources, at, DEFAULT_CONFIG)];
    expect(points.map((p) => p.at)).toEqual(at);
    expect(points[1]?.assessment).toBeNull();
    expect(points[0]?.assessment?.grade).toBe(2);
  });
});
