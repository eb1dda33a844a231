/**
 * The trajectory's vital-sign timeline (episode-readings.ts): at every evaluation time and episode start it
 * gives what filtering the vital signs for that time gives (`episodeReadings`), for data in time order
 * (prefixes) and out of order (filtered), and the readings that may overlap a window hold every one that
 * does, in the same order.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { overlaps } from '../../src/evidence/evidence-items.js';
import { episodeReadings, vitalsTimeline } from '../../src/evidence/episode-readings.js';
import type { DeviceReading, GradedReadings, Reading, TimedNote, VitalsFacts } from '../../src/evidence/types.js';

const H = 3_600_000;
const hour = fc.integer({ min: 0, max: 72 });
let ids = 0;
const reading = fc.record({ h: hour, len: fc.integer({ min: 0, max: 30 }), value: fc.integer({ min: 30, max: 42 }) })
  .map((r): Reading => ({ id: `r${ids++}`, start: r.h * H, end: r.len === 30 ? Number.POSITIVE_INFINITY : (r.h + r.len) * H, value: r.value }));
const device = hour.map((h): DeviceReading => ({ id: `d${ids++}`, start: h * H, end: h * H, tier: 'low-flow' }));
const note = fc.option(hour, { nil: undefined }).map((h): TimedNote => ({ note: { resourceType: 'Observation', code: 'implausible-value' }, ...(h === undefined ? {} : { at: h * H }) }));
const readings = fc.array(reading, { maxLength: 25 });

const vitals = fc
  .record({
    temperatures: readings, sbp: readings, map: readings, spo2: readings, flows: readings, fio2: readings, weights: readings,
    devices: fc.array(device, { maxLength: 6 }),
    ignoredTemperatureTimes: fc.array(hour.map((h) => h * H), { maxLength: 5 }),
    notes: fc.array(note, { maxLength: 4 }),
  })
  .chain((v) => fc.boolean().map((inOrder): VitalsFacts => {
    if (!inOrder) return v;
    const byStart = <T extends { readonly start: number }>(items: readonly T[]): T[] => [...items].sort((a, b) => a.start - b.start);
    return { ...v, temperatures: byStart(v.temperatures), sbp: byStart(v.sbp), map: byStart(v.map), spo2: byStart(v.spo2), flows: byStart(v.flows), fio2: byStart(v.fio2), weights: byStart(v.weights), devices: byStart(v.devices), ignoredTemperatureTimes: [...v.ignoredTemperatureTimes].sort((a, b) => a - b) };
  }));

const KINDS = ['temperatures', 'sbp', 'map', 'spo2', 'flows', 'fio2', 'devices'] as const;

/** What the episode reads of the vital signs up to `asOf` (the default path filters them here). */
function upTo(v: VitalsFacts, asOf: number): VitalsFacts {
  const started = <T extends { readonly start: number }>(items: readonly T[]): T[] => items.filter((r) => r.start <= asOf);
  return {
    temperatures: started(v.temperatures), sbp: started(v.sbp), map: started(v.map), spo2: started(v.spo2), flows: started(v.flows), fio2: started(v.fio2),
    weights: started(v.weights), devices: started(v.devices),
    ignoredTemperatureTimes: v.ignoredTemperatureTimes.filter((t) => t <= asOf),
    notes: v.notes.filter((n) => n.at === undefined || n.at <= asOf),
  };
}

describe('vitalsTimeline', () => {
  test('equals filtering at every evaluation time and episode start, and may-overlap holds every reading of the window in order', () => {
    fc.assert(
      fc.property(vitals, fc.array(fc.tuple(hour, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 24 })), { minLength: 1, maxLength: 12 }), (all, times) => {
        const timeline = vitalsTimeline(all, 38);
        for (const [asOfHour, startBack, lookback] of times) {
          const asOf = asOfHour * H;
          const episodeStart = Math.max(0, asOf - startBack * 24 * H);
          const got = timeline(asOf)(episodeStart);
          const want = episodeReadings(upTo(all, asOf), episodeStart, asOf, 38);
          expect(got.readings).toEqual(want.readings);
          expect(got.feverTimes).toEqual(want.feverTimes);
          expect(got.bloodPressureTimes).toEqual(want.bloodPressureTimes);
          expect(got.vitals.weights).toEqual(want.vitals.weights);
          expect(got.vitals.ignoredTemperatureTimes).toEqual(want.vitals.ignoredTemperatureTimes);
          expect(got.vitals.notes).toEqual(want.vitals.notes);
          const from = Math.max(asOf - lookback * H, episodeStart);
          const candidates: GradedReadings = got.mayOverlap(from);
          for (const kind of KINDS) {
            const inWindow = (items: readonly (Reading | DeviceReading)[]) => items.filter((r) => overlaps(r, from, asOf));
            expect(inWindow(candidates[kind]), kind).toEqual(inWindow(want.readings[kind]));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
