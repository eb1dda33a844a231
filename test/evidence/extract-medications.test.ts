import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { extractMedications } from '../../src/evidence/extract-medications.js';
import {
  ACETAMINOPHEN,
  administration,
  AS_OF,
  carT,
  DEXAMETHASONE,
  DOBUTAMINE,
  hoursFrom,
  NOREPINEPHRINE,
  rxMed,
  TOCILIZUMAB,
} from '../fixtures/grading/builders.js';

const asOf = Date.parse(AS_OF);
const at = hoursFrom(AS_OF, -3);
const extract = (...resources: Parameters<typeof extractMedications>[0]) =>
  extractMedications(resources, asOf, DEFAULT_CONFIG);

describe('extractMedications', () => {
  test.each(['completed', 'in-progress', 'on-hold', 'stopped'] as const)('E2: status %s counts', (status) => {
    expect(extract(administration(NOREPINEPHRINE, at, { status })).vasopressors).toHaveLength(1);
  });

  test.each(['not-done', 'entered-in-error', 'unknown'] as const)('E2: status %s never counts', (status) => {
    expect(extract(administration(NOREPINEPHRINE, at, { status })).vasopressors).toHaveLength(0);
  });

  test('S1: an "unknown" therapy record still counts for scope, "not-done" does not', () => {
    expect(extract(carT(at, { status: 'unknown' })).therapies).toHaveLength(1);
    expect(extract(carT(at, { status: 'not-done' })).therapies).toHaveLength(0);
  });

  test('E3: a point administration is active for pointAdministrationActiveMinutes', () => {
    const [event] = extract(administration(NOREPINEPHRINE, at)).vasopressors;
    expect(event && event.end - event.start).toBe(60 * 60_000);
  });

  test('E3: a period without end is running only while in-progress or on-hold', () => {
    const running = extract(administration(NOREPINEPHRINE, at, { status: 'in-progress', period: true })).vasopressors[0];
    const completed = extract(administration(NOREPINEPHRINE, at, { status: 'completed', period: true })).vasopressors[0];
    expect(running?.end).toBe(Number.POSITIVE_INFINITY);
    expect(completed?.end).toBe(Date.parse(at) + 60 * 60_000);
  });

  test('H2: inotropes count only when countInotropes is on', () => {
    expect(extract(administration(DOBUTAMINE, at)).vasopressors).toHaveLength(0);
    const counted = extractMedications([administration(DOBUTAMINE, at)], asOf, {
      ...DEFAULT_CONFIG,
      grading: { ...DEFAULT_CONFIG.grading, countInotropes: true },
    });
    expect(counted.vasopressors.map((e) => e.concept)).toEqual(['dobutamine']);
  });

  test('F2, T-L, T-S: anti-cytokines, steroids and antipyretics are sorted into their lists', () => {
    const facts = extract(
      administration(TOCILIZUMAB, at),
      administration(DEXAMETHASONE, at),
      administration(ACETAMINOPHEN, at),
    );
    expect(facts.maskingAgents.map((e) => e.concept).sort()).toEqual(['acetaminophen', 'dexamethasone', 'tocilizumab']);
    expect(facts.tocilizumab).toHaveLength(1);
    expect(facts.corticosteroids.map((e) => e.concept)).toEqual(['dexamethasone']);
  });

  test('6.4: a therapy is matched by name even when matchNames is off', () => {
    const facts = extractMedications([carT(at)], asOf, {
      ...DEFAULT_CONFIG,
      grading: { ...DEFAULT_CONFIG.grading, matchNames: false },
    });
    expect(facts.therapies.map((t) => t.concept)).toEqual(['tisagenlecleucel']);
  });

  test('E7: an unresolvable medicationReference is reported, and its display name still used', () => {
    const ma = administration({ reference: 'Medication/gone' }, at, { id: 'ma-x' });
    ma.medicationReference = { reference: 'Medication/gone', display: 'Yescarta' };
    const facts = extract(ma);
    expect(facts.notes.map((n) => n.note)).toEqual([
      { resourceType: 'MedicationAdministration', id: 'ma-x', code: 'unresolved-medication' },
    ]);
    expect(facts.therapies.map((t) => t.concept)).toEqual(['axicabtagene-ciloleucel']);
  });

  test('administrations starting after asOf are ignored (replay)', () => {
    expect(extract(administration(NOREPINEPHRINE, hoursFrom(AS_OF, 1))).vasopressors).toHaveLength(0);
  });
  describe('missing-time notes only for listed drugs', () => {
    const untimed = (medication: Parameters<typeof administration>[0], id: string) => {
      const ma = administration(medication, at, { id });
      delete ma.effectiveDateTime;
      return ma;
    };

    test('an administration of an unlisted drug (saline) without a time gives no note', () => {
      expect(extract(untimed(rxMed('313002', 'sodium chloride 0.9% injection'), 'saline')).notes).toEqual([]);
    });

    test('an administration of a listed drug (a vasopressor, H2) without a time is reported as missing-time', () => {
      expect(extract(untimed(NOREPINEPHRINE, 'ne')).notes).toEqual([
        { note: { resourceType: 'MedicationAdministration', id: 'ne', code: 'missing-time' } },
      ]);
    });

    test('a CRS-associated therapy (S1) without a time is reported as missing-time', () => {
      const therapy = carT(at, { id: 'kym' });
      delete therapy.effectiveDateTime;
      expect(extract(therapy).notes.map((n) => n.note.code)).toEqual(['missing-time']);
    });

    test('an unresolved medication reference without a time is still reported as unresolved', () => {
      expect(extract(untimed({ reference: 'Medication/absent' }, 'unres')).notes).toEqual([
        { note: { resourceType: 'MedicationAdministration', id: 'unres', code: 'unresolved-medication' } },
      ]);
    });
  });
});

describe('6.3 tocilizumab names on administrations (revision 2)', () => {
  test.each(['Actemra 400 mg/20 mL', 'RoActemra', 'Tofidence', 'Tyenne', 'Avtozma', 'tocilizumab-aazg'])('"%s" is a tocilizumab dose (T-L) and masks (F2)', (text) => {
    const facts = extract(administration({ text }, at, { id: 'x' }));
    expect(facts.tocilizumab.map((e) => e.id)).toEqual(['x']);
    expect(facts.maskingAgents.map((e) => e.concept)).toEqual(['tocilizumab']);
  });

  test('T-L: an on-hold administration is a counted dose, marked on hold', () => {
    expect(extract(administration(TOCILIZUMAB, at, { status: 'on-hold' })).tocilizumab.map((e) => e.onHold)).toEqual([true]);
  });
});
