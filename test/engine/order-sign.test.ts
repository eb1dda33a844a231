/**
 * crs-order-sign through the engine (crs-rules.md section 5 applied at signing): every order of
 * `draftOrders` is checked, drafts and orders re-signed with another status alike, one card per problem.
 */
import type { MedicationRequest, Resource } from 'fhir/r4.js';
import { describe, expect, test } from 'vitest';
import { crsOrderSelect } from '../../hooks/crs-order-select.js';
import { crsOrderSign } from '../../hooks/crs-order-sign.js';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { buildRuntime } from '../../src/engine/build-runtime.js';
import type { Card } from '../../src/recommend/card-types.js';
import { assertValidResponse } from '../support/card-invariants.js';
import { administration, AS_OF, AS_OF_DATE, carT, DEXAMETHASONE, hoursFrom, NOREPINEPHRINE, patient, RXNORM, sbp, temperature, TOCILIZUMAB, UCUM, weight } from '../fixtures/grading/builders.js';

const h = (hours: number): string => hoursFrom(AS_OF, hours);
const runtime = buildRuntime(DEFAULT_CONFIG);

/** Grade 2 (F1 38.9 °C, H1 SBP 84), day +4 after CAR-T, 70 kg: T-D 560 mg. */
const GRADE_2: Resource[] = [
  patient('1980-01-01'),
  carT(h(-4 * 24), { id: 'cart' }),
  weight(h(-20), 70, 'kg', { id: 'wt' }),
  temperature(h(-2), 38.9, { id: 't' }),
  sbp(h(-1), 84, { id: 'bp' }),
];
/** Grade 1: fever only. */
const GRADE_1: Resource[] = [patient('1980-01-01'), carT(h(-4 * 24), { id: 'cart' }), weight(h(-20), 70, 'kg', { id: 'wt' }), temperature(h(-2), 38.9, { id: 't' })];

function order(id: string | undefined, medication: MedicationRequest['medicationCodeableConcept'], doseMg?: number, status: MedicationRequest['status'] = 'draft'): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    ...(id === undefined ? {} : { id }),
    status,
    intent: 'order',
    subject: { reference: 'Patient/p1' },
    medicationCodeableConcept: medication,
    ...(doseMg === undefined ? {} : { dosageInstruction: [{ doseAndRate: [{ doseQuantity: { value: doseMg, unit: 'mg', system: UCUM, code: 'mg' } }] }] }),
  };
}

const bundle = (...resources: Resource[]) => ({ resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) });

/** Signs `orders` for the patient of `resources`; every answer passes the CDS Hooks checker. */
function sign(resources: Resource[], ...orders: Resource[]): Card[] {
  const response = runtime.evaluate({
    service: crsOrderSign,
    context: { userId: 'Practitioner/prac-1', patientId: 'p1', draftOrders: bundle(...orders) },
    resources,
    evaluatedAt: AS_OF_DATE,
  });
  assertValidResponse(response);
  return [...response.cards];
}

const updateOf = (card: Card | undefined) => card?.suggestions?.[0]?.actions?.[0];

describe('crs-order-sign: every order being signed is checked (section 5)', () => {
  test('two problems in two orders give two cards: OS1 on the tocilizumab, OS4 on the vasopressor', () => {
    const cards = sign(GRADE_2, order('toci', TOCILIZUMAB, 900), order('ne', NOREPINEPHRINE));
    expect(cards.map((c) => c.indicator)).toEqual(['warning', 'info']);
    expect(cards[0]?.summary).toBe('Tocilizumab 900 mg is above the recommended dose: 560 mg');
    expect(cards[0]?.detail).toMatch(/^Order toci \(being signed\): tocilizumab 900 mg\./);
    expect(cards[1]?.summary).toMatch(/^Starting norepinephrine makes CRS grade ≥ 3/);
    // OS1: the update rewrites the order being signed.
    const update = updateOf(cards[0]);
    expect(update?.type).toBe('update');
    expect((update?.resource as MedicationRequest).id).toBe('toci');
    expect((update?.resource as MedicationRequest).dosageInstruction?.[0]?.doseAndRate?.[0]?.doseQuantity?.value).toBe(560);
  });

  test('order-select checks only the selection; order-sign checks the same Bundle whole', () => {
    const orders = bundle(order('toci', TOCILIZUMAB, 900), order('ne', NOREPINEPHRINE));
    const selected = runtime.evaluate({
      service: crsOrderSelect,
      context: { userId: 'Practitioner/prac-1', patientId: 'p1', selections: ['MedicationRequest/ne'], draftOrders: orders },
      resources: GRADE_2,
      evaluatedAt: AS_OF_DATE,
    });
    expect(selected.cards.map((c) => c.indicator)).toEqual(['info']);
    expect(sign(GRADE_2, ...(orders.entry.map((e) => e.resource) as Resource[])).map((c) => c.indicator)).toEqual(['warning', 'info']);
  });

  test('an order re-signed with another status than draft (active being modified, on-hold, none) is checked', () => {
    for (const status of ['active', 'on-hold', 'unknown'] as const) {
      const [card, ...rest] = sign(GRADE_2, order('toci', TOCILIZUMAB, 900, status));
      expect(rest).toEqual([]);
      expect(card?.indicator).toBe('warning');
      // Contract "Order suggestions": the update is a draft MedicationRequest.
      expect((updateOf(card)?.resource as MedicationRequest).status).toBe('draft');
    }
    const { status: _none, ...withoutStatus } = order('toci', TOCILIZUMAB, 900);
    expect(sign(GRADE_2, withoutStatus as Resource).map((c) => c.indicator)).toEqual(['warning']);
  });

  test('an order the signature ends (cancelled, stopped, completed, entered in error) gives no drug: no card', () => {
    for (const status of ['cancelled', 'stopped', 'completed', 'entered-in-error'] as const) {
      expect(sign(GRADE_2, order('toci', TOCILIZUMAB, 900, status))).toEqual([]);
    }
  });

  test('clean orders get no card: the T-D dose at grade 2, an unrelated drug, a non-medication order', () => {
    const serviceRequest = { resourceType: 'ServiceRequest', id: 'cbc', status: 'draft', intent: 'order', subject: { reference: 'Patient/p1' } } as Resource;
    const acetaminophen = order('apap', { coding: [{ system: RXNORM, code: '161', display: 'acetaminophen' }] }, 650);
    expect(sign(GRADE_2, order('toci', TOCILIZUMAB, 560), acetaminophen, serviceRequest)).toEqual([]);
  });

  test('two tocilizumab orders signed together: the second is a dose now after the first (OS2), worded as signed together', () => {
    const cards = sign(GRADE_2, order('toci-1', TOCILIZUMAB, 560), order('toci-2', TOCILIZUMAB, 560));
    expect(cards.map((c) => c.indicator)).toEqual(['critical']);
    expect(cards[0]?.detail).toMatch(/^Order toci-2 \(being signed\): giving tocilizumab now/);
    expect(cards[0]?.detail).toContain('tocilizumab order toci-1, signed together with this one, counts as a dose now, less than 8 h apart');
    expect(cards[0]?.detail).toContain('Also counted as a dose now: tocilizumab order toci-1, signed together with this one.');
    expect(cards[0]?.detail).not.toMatch(/selected/);
  });

  test('OS3 at grade 1 for each of a tocilizumab and a corticosteroid order: one card each, worded as ordered', () => {
    const cards = sign(GRADE_1, order('toci', TOCILIZUMAB, 560), order('dex', DEXAMETHASONE, 10));
    expect(cards.map((c) => [c.indicator, c.summary])).toEqual([
      ['info', 'Tocilizumab ordered at CRS grade 1 (ASTCT): not indicated for CRS at this grade'],
      ['info', 'Dexamethasone ordered at CRS grade 1 (ASTCT): not indicated for CRS at this grade'],
    ]);
  });

  test('T-S at signing: a corticosteroid ordered on top of one already given at grade 2 is a warning, worded as ordered', () => {
    const onDexamethasone = [...GRADE_2, administration(DEXAMETHASONE, h(-4), { id: 'dex-given', doseMg: 10, route: { code: '47625008' } })];
    const [card, ...rest] = sign(onDexamethasone, order('dex', DEXAMETHASONE, 10, 'active'));
    expect(rest).toEqual([]);
    expect(card?.indicator).toBe('warning');
    expect(card?.summary).toMatch(/^Dexamethasone ordered on top of dexamethasone 10 mg/);
    expect(card?.detail).toMatch(/^Order dex \(being signed\): dexamethasone\./);
  });

  test('an order without an id is still checked, named by its place, with no update that could not name it', () => {
    const [card, ...rest] = sign(GRADE_2, order('apap', { text: 'acetaminophen' }, 650), order(undefined, TOCILIZUMAB, 900));
    expect(rest).toEqual([]);
    expect(card?.indicator).toBe('warning');
    expect(card?.detail).toContain('Order draftOrders.entry[1] (being signed): tocilizumab 900 mg');
    expect(card?.suggestions).toBeUndefined();
  });

  test('an unmonitored patient gets no card for any order (OS5)', () => {
    expect(sign([patient('1980-01-01'), temperature(h(-2), 39, { id: 't' })], order('toci', TOCILIZUMAB, 900))).toEqual([]);
  });
});
