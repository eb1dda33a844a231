import { describe, expect, test } from 'vitest';
import { vasopressorSteps, vasopressorsInWindow } from '../../src/evidence/extract-vasopressors.js';
import type { MedicationEvent } from '../../src/evidence/types.js';

const H = 3_600_000;
const ev = (concept: string, from: number, to: number): MedicationEvent => ({ concept, start: from * H, end: to * H });
const peak = (events: MedicationEvent[]) => vasopressorsInWindow(vasopressorSteps(events, 'vasopressin'), 0, 24 * H);

describe('vasopressor concurrency (H2, E3)', () => {
  test('an infusion ending at 10:00 and one starting at 10:00 are sequential, not concurrent', () => {
    expect(peak([ev('norepinephrine', 8, 10), ev('epinephrine', 10, 12)])).toEqual({ active: true, maxConcurrent: 1, concurrencyInferred: false });
  });

  test('overlapping infusions of two ingredients are concurrent', () => {
    expect(peak([ev('norepinephrine', 8, 11), ev('epinephrine', 10, 12)]).maxConcurrent).toBe(2);
  });

  test('two administrations of one ingredient count once', () => {
    expect(peak([ev('norepinephrine', 8, 11), ev('norepinephrine', 9, 12)]).maxConcurrent).toBe(1);
  });

  test('vasopressin alone is a vasopressor but never counts toward "multiple"', () => {
    expect(peak([ev('vasopressin', 8, 11)])).toMatchObject({ active: true, maxConcurrent: 0 });
    expect(peak([ev('vasopressin', 8, 11), ev('norepinephrine', 9, 12)])).toMatchObject({ active: true, maxConcurrent: 1 });
  });

  test('E3-R: "multiple" that rests only on rate-inferred activity is flagged; one charted overlap clears it', () => {
    const inferred = (concept: string, from: number, to: number): MedicationEvent => ({ ...ev(concept, from, to), rateInferred: true });
    expect(peak([inferred('norepinephrine', 8, 11), ev('epinephrine', 10, 12)])).toEqual({ active: true, maxConcurrent: 2, concurrencyInferred: true });
    expect(peak([ev('norepinephrine', 8, 11), ev('epinephrine', 10, 12)]).concurrencyInferred).toBe(false);
    expect(peak([ev('norepinephrine', 1, 3), ev('epinephrine', 2, 4), inferred('norepinephrine', 8, 11), ev('epinephrine', 10, 12)]).concurrencyInferred).toBe(false);
    expect(peak([inferred('norepinephrine', 8, 9), ev('epinephrine', 10, 12)]).concurrencyInferred).toBe(false);
  });

  test('a running infusion (no end) stays active', () => {
    const steps = vasopressorSteps([{ concept: 'norepinephrine', start: 2 * H, end: Number.POSITIVE_INFINITY }], 'vasopressin');
    expect(vasopressorsInWindow(steps, 100 * H, 101 * H).active).toBe(true);
  });

  test('a window after the infusion ended sees nothing; the half-open end does not reach the window start', () => {
    const steps = vasopressorSteps([ev('norepinephrine', 1, 2)], 'vasopressin');
    expect(vasopressorsInWindow(steps, 2 * H, 5 * H)).toMatchObject({ active: false, maxConcurrent: 0 });
    expect(vasopressorsInWindow(steps, 2 * H - 1, 5 * H).active).toBe(true);
  });
});
