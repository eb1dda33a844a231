/**
 * The trajectory and the timeline model, in Node: every value the chart shows comes from the engine's
 * assessments, each reading once, with its resource id and time.
 */
import type { Observation, Resource } from 'fhir/r4.js';
import { beforeAll, describe, expect, test } from 'vitest';
import { hourDetails, hourIndexAt } from '../../app/src/hour-details.js';
import { buildTimeline, type Timeline } from '../../app/src/timeline-model.js';
import { gradeTrajectory, HOUR_MS, hoursNewestFirst } from '../../app/src/trajectory.js';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { assessPatient } from '../../src/evidence/assess-patient.js';
import { timelinePatient } from '../support/timeline-patient.js';

const END = new Date('2026-11-21T10:30:00Z');
const START = Date.parse('2026-11-07T10:00:00Z');
/** Days +2 to +6 of the course: fever, hypotension, tocilizumab, pressors, oxygen, masking. */
const FROM = START + 46 * HOUR_MS;
const TO = START + 150 * HOUR_MS + 30 * 60_000;
let resources: Resource[];
let timeline: Timeline;

beforeAll(() => {
  resources = timelinePatient(END);
  timeline = buildTimeline(gradeTrajectory(resources, DEFAULT_CONFIG, FROM, TO), DEFAULT_CONFIG);
});

const ids = (items: readonly { readonly item: { readonly id?: string } }[]): (string | undefined)[] => items.map((i) => i.item.id);

describe('gradeTrajectory', () => {
  test('grades every whole hour of the range and its end, each exactly as assessPatient at that time', () => {
    expect(timeline.grades).toHaveLength(106);
    expect(timeline.grades[0]?.t).toBe(FROM);
    expect(timeline.grades.at(-1)?.t).toBe(TO);
    for (const point of timeline.grades.filter((_p, i) => i % 7 === 0)) {
      expect(point.grade).toBe(assessPatient(resources, new Date(point.t), DEFAULT_CONFIG)?.grade);
    }
  });

  test('consecutive ranges add up to the range they cover', () => {
    const whole = gradeTrajectory(resources, DEFAULT_CONFIG, FROM, FROM + 5 * HOUR_MS + 1).hours.map((h) => [h.at, h.assessment.grade]);
    const parts = [
      ...gradeTrajectory(resources, DEFAULT_CONFIG, FROM, FROM + 2 * HOUR_MS).hours,
      ...gradeTrajectory(resources, DEFAULT_CONFIG, FROM + 3 * HOUR_MS, FROM + 5 * HOUR_MS + 1).hours,
    ].map((h) => [h.at, h.assessment.grade]);
    expect(parts).toEqual(whole);
  });

  test('hour by hour from the newest, as the app draws it: the range end first, then each whole hour down to the start', () => {
    const pending = hoursNewestFirst(resources, DEFAULT_CONFIG, FROM, TO);
    const first = [pending.next().value, pending.next().value].map((h) => h?.at);
    expect(first).toEqual([TO, TO - 30 * 60_000]);
    const rest = [...pending].map((h) => h.at);
    expect(rest.at(-1)).toBe(FROM);
    expect(rest.every((at, i) => at === TO - 30 * 60_000 - (i + 1) * HOUR_MS)).toBe(true);
  });

  test('is empty for a patient who is not monitored', () => {
    const unmonitored = resources.filter((r) => r.id !== 'car-t-infusion');
    expect(gradeTrajectory(unmonitored, DEFAULT_CONFIG, FROM, TO).hours).toEqual([]);
  });
});

describe('buildTimeline', () => {
  test('shows every hourly reading of the graded hours exactly once, with its resource id', () => {
    // The graded hours cover (FROM − 1 h, TO]; a reading on the hour (temperature, hh:00) belongs to the hour it closes.
    const charted = (prefix: string): (string | undefined)[] =>
      resources
        .filter((r) => r.id?.startsWith(prefix) && /^\w+-\d+$/.test(r.id))
        .filter((r) => {
          const t = Date.parse((r as Observation).effectiveDateTime ?? "");
          return t > FROM - HOUR_MS && t <= TO;
        })
        .map((r) => r.id);
    expect(ids(timeline.temperature)).toEqual(charted('temp-'));
    expect(ids(timeline.temperature)[0]).toBe('temp-46');
    expect(ids(timeline.sbp)).toEqual(charted('bp-'));
    expect(ids(timeline.map)).toEqual(charted('map-'));
    expect(ids(timeline.spo2)).toEqual(charted('spo2-'));
    const charted60 = resources.find((r) => r.id === 'temp-60') as Observation;
    expect(timeline.temperature.find((r) => r.item.id === 'temp-60')).toMatchObject({ t: START + 60 * HOUR_MS, value: charted60.valueQuantity?.value });
  });

  test('vasopressor infusions are bars from their start to their end, overlapping when concurrent (H2)', () => {
    expect(timeline.vasopressors.map((b) => [b.concept, b.item.id, b.from, b.to])).toEqual([
      // Still running at the last graded hour of the range: the bar reaches it.
      ['norepinephrine', 'norepinephrine-1', START + 96 * HOUR_MS, TO],
      ['epinephrine', 'epinephrine-1', START + 120 * HOUR_MS, START + 126 * HOUR_MS],
    ]);
  });

  test('tocilizumab, steroid and antipyretic administrations are dose markers with their ids', () => {
    expect(timeline.doses.map((d) => `${d.kind}:${d.item.id}`)).toEqual([
      'antipyretic:acetaminophen-1',
      'antipyretic:acetaminophen-2',
      'anti-cytokine:tocilizumab-1',
      'anti-cytokine:tocilizumab-2',
      ...[100, 106, 112, 118, 124, 130, 136, 142, 148].map((h) => `corticosteroid:dexamethasone-${h}`),
    ]);
  });

  test('the oxygen band follows the engine\'s O1 tier per hour, with the device behind it', () => {
    expect(timeline.oxygen.map((s) => [s.tier, (s.from - START) / HOUR_MS, (s.to - START) / HOUR_MS])).toEqual([
      ['none', 45, 96],
      ['low-flow', 96, 108],
      ['high-flow', 108, 150.5],
    ]);
    expect(timeline.oxygen[2]?.evidence.some((e) => e.display === 'High flow nasal cannula' && e.id === 'o2-device-108')).toBe(true);
  });

  test('masked periods (F2) are the hours the engine graded without requiring fever', () => {
    // Fever from hour 48; the first masking agent after it is acetaminophen at hour 52.
    expect(timeline.masked.map((s) => [(s.from - START) / HOUR_MS, (s.to - START) / HOUR_MS])).toEqual([[52, 150.5]]);
    for (const point of timeline.grades) expect(point.masked).toBe(point.t >= START + 52 * HOUR_MS);
  });

  test('data-quality notes are the engine\'s, each once', () => {
    expect(timeline.notes.map((n) => `${n.id}:${n.code}`)).toEqual(['temp-implausible:implausible-value', 'temp-unknown-unit:unknown-unit']);
  });

  test('an hour\'s details list every datum in it with its resource', () => {
    const details = hourDetails(timeline, hourIndexAt(timeline, START + 120 * HOUR_MS + 30 * 60_000));
    expect(details?.point.t).toBe(START + 121 * HOUR_MS);
    expect(details?.point.grade).toBe(4);
    expect(details?.items.map((d) => `${d.label}:${d.item.id}`)).toEqual([
      'Temperature:temp-121',
      'SBP:bp-120',
      'MAP:map-120',
      'SpO2:spo2-120',
      'Oxygen (high-flow):o2-device-120',
      'Oxygen (high-flow):o2-flow-120',
      'Vasopressor running:norepinephrine-1',
      'Vasopressor running:epinephrine-1',
    ]);
  });

  test('the SBP threshold line is the adult sbpBelow for an adult, over the whole range (H1-P)', () => {
    expect(timeline.sbpThresholds).toEqual([{ from: FROM - HOUR_MS, to: TO, mmHg: DEFAULT_CONFIG.grading.sbpBelow }]);
  });

  test('for a child it is the age-based threshold each hour was graded with, stepping at a birthday (H1-P)', () => {
    // Six years old until the 7th birthday, on day 4 of the range: 70 + 2 × 6, then 70 + 2 × 7.
    const birthday = new Date(FROM + 4 * 24 * HOUR_MS);
    const birthDate = `${birthday.getUTCFullYear() - 7}-${String(birthday.getUTCMonth() + 1).padStart(2, '0')}-${String(birthday.getUTCDate()).padStart(2, '0')}`;
    const child = resources.map((r) => (r.resourceType === 'Patient' ? { ...r, birthDate } : r));
    const childTimeline = buildTimeline(gradeTrajectory(child, DEFAULT_CONFIG, FROM, TO), DEFAULT_CONFIG);
    const midnight = Date.parse(`${birthday.toISOString().slice(0, 10)}T00:00:00Z`);
    expect(childTimeline.sbpThresholds.map(({ mmHg, age }) => [mmHg, age?.ageYears])).toEqual([[82, 6], [84, 7]]);
    const [before, after] = childTimeline.sbpThresholds;
    expect(before?.to).toBe(after?.from);
    // Each hour is graded at its end: the hour that ends at the birthday's midnight is graded at age 7.
    expect(after?.from).toBeGreaterThanOrEqual(midnight - HOUR_MS);
    expect(after?.from).toBeLessThan(midnight);
    for (const span of childTimeline.sbpThresholds) {
      expect(assessPatient(child, new Date(span.to), DEFAULT_CONFIG)?.hypotension.sbpThreshold?.mmHg).toBe(span.mmHg);
    }
  });
});
