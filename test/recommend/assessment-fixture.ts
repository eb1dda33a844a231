/**
 * Assessment fixtures for the recommendation tests: a grade-2 patient (70 kg, 38.9 °C, SBP 84, day +3
 * after axicabtagene ciloleucel, evaluated 2026-11-21 10:00 UTC) with per-test overrides.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import type { Config } from '../../src/config/types.js';
import type { Assessment } from '../../src/grading/assessment.js';

const FIXTURES = new URL('../fixtures/recommend/', import.meta.url);

/** Reads a JSON fixture of test/fixtures/recommend/, without its `$comment`. */
export function readFixture(name: string): Record<string, unknown> {
  const body = JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as Record<string, unknown>;
  delete body['$comment'];
  return body;
}

/** Overrides: top-level keys replace, nested objects given here merge one level deep. */
export type AssessmentOverrides = {
  [K in keyof Assessment]?: NonNullable<Assessment[K]> extends object ? Partial<NonNullable<Assessment[K]>> | null : Assessment[K];
};

/** Optional members that an override of `null` removes. */
const REMOVABLE = new Set(['weight', 'episodeMaxGradeAt']);

/**
 * The grade-2 base assessment with `overrides` applied (`weight: null` removes the weight; an override
 * of `undefined` removes its key, as the JSON rule omits it: `grade: undefined` is indeterminate).
 */
export function assessmentWith(overrides: AssessmentOverrides = {}): Assessment {
  const base = readFixture('assessment-grade-2.json') as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) {
    const current = base[key];
    if (value === undefined || (value === null && REMOVABLE.has(key))) delete base[key];
    else if (typeof value === 'object' && !Array.isArray(value) && typeof current === 'object' && current !== null && !Array.isArray(current)) {
      base[key] = Object.fromEntries(Object.entries({ ...current, ...value }).filter(([, v]) => v !== undefined));
    } else base[key] = value;
  }
  return base as unknown as Assessment;
}

/** Hours after the base evaluation time (negative = before), as ISO. */
export function hoursFromEval(hours: number): string {
  return new Date(Date.parse('2026-11-21T10:00:00Z') + hours * 3_600_000).toISOString();
}

/** Default configuration with `grading` / `treatment` overrides merged one level deep. */
export function configWith(overrides: { grading?: Partial<Config['grading']>; treatment?: Partial<Config['treatment']> } = {}): Config {
  return {
    ...DEFAULT_CONFIG,
    grading: { ...DEFAULT_CONFIG.grading, ...overrides.grading },
    treatment: { ...DEFAULT_CONFIG.treatment, ...overrides.treatment },
  };
}

/** Deterministic uuids for tests: valid v4 shape, counting up. */
export function sequentialIds(): () => string {
  let n = 0;
  return () => {
    n += 1;
    return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  };
}
