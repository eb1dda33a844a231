/**
 * Benchmark of the trajectory engine: one synthetic CAR-T patient (`crs-cds cohort`, hourly vitals over
 * 14 days), assessed at every hour of the course, before (`assessPatient` per hour, which extracts the
 * record again each time) and after (`assessTrajectory`, one extraction). Medians of several runs.
 * Run with `npm run bench` (under the shared lock on a shared machine).
 */
import type { Resource } from 'fhir/r4.js';
import { planCourse } from '../src/cohort/course-plan.js';
import { courseResources } from '../src/cohort/course-resources.js';
import { DEFAULT_CONFIG } from '../src/config/defaults.js';
import { assessPatient } from '../src/evidence/assess-patient.js';
import { assessTrajectory } from '../src/evidence/assess-trajectory.js';

const HOUR_MS = 3_600_000;
const RUNS = 5;

const plan = planCourse({ seed: 3, start: new Date('2026-11-01T00:00:00Z'), days: 14, vitalsEveryHours: 1 }, 4);
// As a reader receives it: parsed from JSON.
const resources = JSON.parse(JSON.stringify(courseResources(plan, 3))) as Resource[];
const hours: number[] = [];
for (let at = Math.ceil(plan.infusionAt / HOUR_MS) * HOUR_MS; at <= plan.courseEnd; at += HOUR_MS) hours.push(at);

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

function time(run: () => number): { ms: number; grades: number } {
  run();
  const times: number[] = [];
  let grades = 0;
  for (let i = 0; i < RUNS; i += 1) {
    const t0 = performance.now();
    grades = run();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), grades };
}

const before = time(() => hours.reduce((n, at) => n + (assessPatient(resources, new Date(at), DEFAULT_CONFIG)?.grade ?? 0), 0));
const after = time(() => {
  let n = 0;
  for (const point of assessTrajectory(resources, hours, DEFAULT_CONFIG)) n += point.assessment?.grade ?? 0;
  return n;
});
console.log(`trajectory: 1 patient, ${resources.length} resources, ${hours.length} hourly instants (14 days, hourly vitals)`);
console.log(`  assessPatient per hour: median of ${RUNS} ${before.ms.toFixed(0)} ms (${(before.ms / hours.length).toFixed(2)} ms per instant)`);
console.log(`  assessTrajectory:       median of ${RUNS} ${after.ms.toFixed(0)} ms (${(after.ms / hours.length).toFixed(2)} ms per instant), ${(before.ms / after.ms).toFixed(1)}× faster`);
if (before.grades !== after.grades) throw new Error('the two paths disagree');
