import type { Resource } from 'fhir/r4.js';
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { assessPatient } from '../../src/evidence/assess-patient.js';
import {
  ACETAMINOPHEN,
  administration,
  AS_OF,
  AS_OF_DATE,
  carT,
  DEXAMETHASONE,
  DOBUTAMINE,
  EPINEPHRINE,
  hoursFrom,
  NOREPINEPHRINE,
  o2Device,
  o2Flow,
  pulseOx,
  qty,
  sbp,
  temperature,
  TOCILIZUMAB,
  VASOPRESSIN,
  weight,
} from '../fixtures/grading/builders.js';

const h = (hours: number): string => hoursFrom(AS_OF, hours);
const iso = (hours: number): string => new Date(h(hours)).toISOString();
const infusion = carT(h(-6 * 24), { id: 'cart' });
const assess = (...resources: Resource[]) => assessPatient([infusion, ...resources], AS_OF_DATE, DEFAULT_CONFIG);

describe('F2 fever masking', () => {
  test('an antipyretic given before the first fever does not mask', () => {
    const a = assess(administration(ACETAMINOPHEN, h(-40)), temperature(h(-30), 38.6), temperature(h(-2), 37.1), sbp(h(-2), 80));
    expect(a?.fever.masked).toBe(false);
    expect(a?.grade).toBe(0);
    expect(a?.findings?.map((f) => f.code)).toEqual(['not-attributable-without-fever']);
  });

  test('an antipyretic given after the first fever masks: hypotension alone grades 2', () => {
    const a = assess(temperature(h(-30), 38.6, { id: 'fever' }), administration(ACETAMINOPHEN, h(-29), { id: 'apap' }), temperature(h(-2), 37.1), sbp(h(-2), 80));
    expect(a?.fever).toMatchObject({ present: false, masked: true, firstFeverAt: iso(-30) });
    expect(a?.fever.maskedBy).toMatchObject({ id: 'apap', kind: 'acetaminophen' });
    expect(a?.grade).toBe(2);
  });

  test('masking by tocilizumab lasts while the event goes on, even with no temperature in the window (G-I does not apply)', () => {
    const a = assess(temperature(h(-60), 39), administration(TOCILIZUMAB, h(-59)), o2Device(h(-1), { text: 'nasal cannula' }));
    expect(a?.grade).toBe(2);
    expect(a?.dataGaps?.map((g) => g.code)).not.toContain('no-temperature');
  });

  test('a masked patient with neither hypotension nor oxygen need is grade 0', () => {
    expect(assess(temperature(h(-30), 38.6), administration(DEXAMETHASONE, h(-28)), temperature(h(-1), 36.9))?.grade).toBe(0);
  });
});

describe('G-I indeterminate grade', () => {
  test('no temperature charted in the window: grade omitted, indeterminate: true, the gap named (contract revision 2)', () => {
    const a = assess(temperature(h(-30), 38.5), sbp(h(-1), 80));
    expect(a).not.toHaveProperty('grade');
    expect(a?.indeterminate).toBe(true);
    expect(a?.dataGaps).toContainEqual({ code: 'no-temperature' });
    expect(a).not.toHaveProperty('findings');
  });

  test('only unusable temperatures (E5/E6) give an indeterminate grade with "no-usable-temperature" and a data-quality note', () => {
    const a = assess(temperature(h(-1), 0, { id: 't-bad', quantity: qty(99, 'Cel') }));
    expect(a?.indeterminate).toBe(true);
    expect(a?.dataGaps).toContainEqual({ code: 'no-usable-temperature' });
    expect(a?.dataQuality).toEqual([
      { resourceType: 'Observation', id: 't-bad', code: 'implausible-value', value: 99, unit: 'Cel', kind: 'temperature' },
    ]);
  });

  test('the episode maximum is omitted when every window was indeterminate', () => {
    const a = assess(sbp(h(-1), 80));
    expect(a).not.toHaveProperty('episodeMaxGrade');
    expect(a).not.toHaveProperty('episodeMaxGradeAt');
  });
});

describe('H2 vasopressors end to end', () => {
  const fever = temperature(h(-1), 38.4);

  test('sequential vasopressors (10:00 end, 10:00 start) are one vasopressor: grade 3', () => {
    const a = assess(fever, administration(NOREPINEPHRINE, h(-6), { end: h(-4) }), administration(EPINEPHRINE, h(-4), { end: h(-2) }));
    expect(a?.hypotension.tier).toBe('one-vasopressor');
    expect(a?.hypotension.maxConcurrentVasopressors).toBe(1);
    expect(a?.grade).toBe(3);
  });

  test('concurrent vasopressors are grade 4', () => {
    const a = assess(fever, administration(NOREPINEPHRINE, h(-6), { end: h(-3) }), administration(EPINEPHRINE, h(-4), { end: h(-2) }));
    expect(a?.grade).toBe(4);
    expect(a?.hypotension.vasopressors?.map((v) => v.kind)).toEqual(['norepinephrine', 'epinephrine']);
  });

  test('vasopressin with one vasopressor stays grade 3; vasopressin alone is grade 3', () => {
    expect(assess(fever, administration(NOREPINEPHRINE, h(-6), { end: h(-2) }), administration(VASOPRESSIN, h(-5), { end: h(-2) }))?.grade).toBe(3);
    expect(assess(fever, administration(VASOPRESSIN, h(-5), { end: h(-2) }))?.grade).toBe(3);
  });

  test('a vasopressor fills the hypotension column without a charted low pressure; an inotrope does not by default', () => {
    expect(assess(fever, sbp(h(-2), 120), administration(NOREPINEPHRINE, h(-3)))?.hypotension.tier).toBe('one-vasopressor');
    expect(assess(fever, administration(DOBUTAMINE, h(-3)))?.grade).toBe(1);
  });

  test('a point administration is active 60 minutes: given 25 h ago it is outside the 24 h window', () => {
    expect(assess(fever, administration(NOREPINEPHRINE, h(-25)))?.grade).toBe(1);
    expect(assess(fever, administration(NOREPINEPHRINE, h(-24.5)))?.grade).toBe(3);
  });
});

describe('O1 oxygen', () => {
  const fever = temperature(h(-1), 38.4);

  test('"blow-by oxygen mask" is low-flow (6.1: blow-by)', () => {
    const a = assess(fever, o2Device(h(-1), { text: 'blow-by oxygen mask' }));
    expect(a?.oxygen.tier).toBe('low-flow');
    expect(a?.grade).toBe(2);
  });

  test('every device and flow contributes: nasal cannula charted with 8 L/min is high-flow', () => {
    const a = assess(fever, o2Device(h(-2), { code: '336623009' }), o2Flow(h(-2), 8, { id: 'f8' }));
    expect(a?.oxygen.tier).toBe('high-flow');
    expect(a?.oxygen.evidence?.map((e) => e.id)).toEqual(['f8']);
  });

  test('room air and flow 0 add nothing; low SpO2 without oxygen is a finding, not a grade', () => {
    const a = assess(fever, o2Device(h(-2), { code: '722742002' }), o2Flow(h(-2), 0), pulseOx(h(-2), 86, { id: 'sat' }));
    expect(a?.grade).toBe(1);
    expect(a?.findings).toEqual([{ code: 'low-spo2-without-oxygen', evidence: [expect.objectContaining({ id: 'sat', value: 86 })] }]);
  });

  test('low SpO2 with oxygen support documented is graded by the support, not reported as a finding', () => {
    const a = assess(fever, o2Device(h(-2), { text: 'nasal cannula' }), pulseOx(h(-2), 86));
    expect(a?.grade).toBe(2);
    expect(a).not.toHaveProperty('findings');
  });

  test('O1: an unrecognised device is supplemental oxygen of unknown tier: at least low-flow, and reported', () => {
    const a = assess(fever, o2Device(h(-2), { string: 'humidifier' }));
    expect(a?.oxygen.tier).toBe('low-flow');
    expect(a?.grade).toBe(2);
    expect(a?.oxygen.unrecognisedDevices).toEqual([expect.objectContaining({ kind: 'o2-device', display: 'humidifier', unrecognised: true })]);
  });
});

describe('G-M episode maximum', () => {
  test('reports the highest window grade of the episode and when it was first reached', () => {
    const a = assess(
      temperature(h(-72), 38.9),
      o2Device(h(-71), { text: 'BiPAP' }),
      temperature(h(-48), 38.2),
      temperature(h(-1), 37.0),
    );
    expect(a?.grade).toBe(0);
    expect(a?.episodeMaxGrade).toBe(4);
    expect(a?.episodeMaxGradeAt).toBe(iso(-71));
  });
});

describe('treatment inputs (T-L, T-S, T-D)', () => {
  test('T-L: every tocilizumab dose counts for 24 h and last dose; only episode doses count for the episode', () => {
    const a = assess(
      administration(TOCILIZUMAB, h(-7 * 24)),
      administration(TOCILIZUMAB, h(-24)),
      administration(TOCILIZUMAB, h(-23)),
      administration(TOCILIZUMAB, h(-8)),
      administration(TOCILIZUMAB, h(-8), { status: 'not-done' }),
      administration(TOCILIZUMAB, h(2)),
      temperature(h(-1), 37),
    );
    expect(a?.tocilizumab).toEqual({
      doseTimes: [iso(-7 * 24), iso(-24), iso(-23), iso(-8)],
      dosesLast24h: 2,
      dosesInEpisode: 3,
      lastDoseAt: iso(-8),
    });
  });

  test('T-S: the systemic corticosteroids of the last 24 h, newest first; older ones are not listed', () => {
    const a = assess(administration(DEXAMETHASONE, h(-30)), administration(DEXAMETHASONE, h(-6), { id: 'dex' }), temperature(h(-1), 37));
    expect(a?.corticosteroids).toEqual({
      windowHours: 24,
      dexamethasoneMg: 0,
      unknownDose: true,
      doses: [{ concept: 'dexamethasone', time: iso(-6), id: 'dex', display: 'dexamethasone' }],
    });
    expect(assess(administration(DEXAMETHASONE, h(-30)), temperature(h(-1), 37))).not.toHaveProperty('corticosteroids');
  });

  test('T-D: the latest plausible weight within weightMaxAgeDays, in kg; none gives a "no-weight" gap', () => {
    const a = assess(weight(h(-20 * 24), 70), weight(h(-2 * 24), 154, '[lb_av]', { id: 'w2' }), weight(h(-24), 2000, 'kg'), temperature(h(-1), 37));
    expect(a?.weight).toEqual({ kg: 69.853, at: iso(-48), id: 'w2' });
    const old = assess(weight(h(-31 * 24), 70), temperature(h(-1), 37));
    expect(old?.weight).toBeUndefined();
    expect(old?.dataGaps).toEqual([{ code: 'no-weight' }]);
  });
});

describe('section 2 window membership', () => {
  test('an Observation period that starts before the window and ends inside it counts', () => {
    const a = assess(temperature(h(-30), 38.7, { period: { start: h(-30), end: h(-23) } }));
    expect(a?.fever.present).toBe(true);
    expect(a?.grade).toBe(1);
  });

  test('E5/E6 notes are reported for data in the window only, not for old data', () => {
    const a = assess(temperature(h(-50), 0, { id: 'old', quantity: qty(99, 'Cel') }), temperature(h(-1), 0, { id: 'new', quantity: qty(99, 'Cel') }));
    expect(a?.dataQuality?.map((n) => n.id)).toEqual(['new']);
  });
});

describe('the assessment is plain JSON', () => {
  test('it survives a JSON round trip unchanged (no undefined values, no Dates)', () => {
    const a = assess(temperature(h(-1), 38.4), sbp(h(-1), 85), weight(h(-2), 70));
    expect(JSON.parse(JSON.stringify(a))).toStrictEqual(a);
    expect(a).toMatchObject({ scale: 'ASTCT-2019', evaluatedAt: '2026-11-21T10:00:00.000Z', lookbackHours: 24, grade: 2 });
  });
});

describe('the assessment follows the JSON rule with blank ids charted', () => {
  test('a blank resource id or unit is no id or unit, never an empty string in the assessment', () => {
    const a = assessPatient(
      [carT(h(-48), { id: '' }), temperature(h(-1), 0, { id: '', quantity: { value: 99, code: 'Cel', unit: '' } }), temperature(h(-2), 38.5, { id: ' ' })],
      AS_OF_DATE,
      DEFAULT_CONFIG,
    );
    expect(JSON.stringify(a)).not.toMatch(/"(id|unit)":"\s*"/);
    expect(a?.monitoring.indexTherapy).not.toHaveProperty('id');
  });
});
