/**
 * Data of another patient never drives a card (issue 14): a prefetch key, prefetched or fetched, that
 * holds a resource about another patient than `context.patientId` is refused with 412 naming the key;
 * draft orders for another patient in the context are refused with 400. The refusal is logged at warn,
 * without any identifier.
 */
import nock from 'nock';
import request from 'supertest';
import type { Resource } from 'fhir/r4.js';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { buildRuntime } from '../../src/engine/build-runtime.js';
import { patientIdOf } from '../../src/fhir/patient-scope.js';
import { createApp } from '../../src/protocol/app.js';
import { openSqliteFeedbackStore } from '../../src/storage/sqlite-feedback-store.js';
import {
  EHR_BASE,
  EVALUATED_AT,
  fhirAuthorization,
  memoryLogger,
  nullPrefetch,
  orderSelectRequest,
  orderSignRequest,
  patientViewRequest,
  searchset,
  testConfig,
} from '../support/hook-requests.js';

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());

const subject = (id: string) => ({ reference: `Patient/${id}` });
const temperature = (id: string, patient: string): Resource => ({
  resourceType: 'Observation', id, status: 'final', subject: subject(patient),
  code: { coding: [{ system: 'http://loinc.org', code: '8310-5' }] },
  effectiveDateTime: '2026-11-21T08:00:00Z', valueQuantity: { value: 38.9, unit: 'Cel', system: 'http://unitsofmeasure.org', code: 'Cel' },
}) as Resource;
const therapy = (patient: string): Resource => ({
  resourceType: 'MedicationAdministration', id: 'cart', status: 'completed', subject: subject(patient),
  medicationCodeableConcept: { text: 'axicabtagene ciloleucel (Yescarta)' }, effectiveDateTime: '2026-11-18T09:00:00Z',
}) as Resource;

/** The grade-2-like prefetch of patient `g2`. */
const prefetchOf = (patient: string) => nullPrefetch({
  patient: { resourceType: 'Patient', id: patient },
  temperature: searchset([temperature('t1', patient)]),
  medicationAdministrations: searchset([therapy(patient)]),
});

function build() {
  const { logger, lines } = memoryLogger();
  const runtime = buildRuntime(testConfig());
  const app = createApp({ runtime: () => runtime, logger, feedbackStore: openSqliteFeedbackStore(':memory:'), now: () => EVALUATED_AT });
  return { app, lines };
}

const refused = (lines: string[]) => lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((r) => r['msg'] === 'request refused');

describe('data of another patient', () => {
  test('prefetch for Patient/g2 on a call for someone-else: 412 naming the key, no card, logged at warn without ids', async () => {
    const { app, lines } = build();
    const res = await request(app)
      .post('/cds-services/crs-patient-view')
      .send(patientViewRequest({ context: { userId: 'Practitioner/1', patientId: 'someone-else' }, prefetch: prefetchOf('g2') }));
    expect(res.status).toBe(412);
    expect(res.body).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{
        severity: 'error', code: 'business-rule', expression: ['prefetch.patient'],
        diagnostics: 'Service crs-patient-view: prefetch key "patient" holds data of another patient than context.patientId',
      }],
    });
    const [line] = refused(lines);
    expect(line?.['level']).toBe(40);
    expect(lines.join('')).not.toMatch(/someone-else|"g2"|Patient\/g2/);
  });

  test('one resource of another patient among the right patient\'s data refuses the call, naming its key', async () => {
    const prefetch = { ...prefetchOf('pat-1'), temperature: searchset([temperature('t1', 'pat-1'), temperature('t2', 'pat-2')]) };
    const res = await request(build().app).post('/cds-services/crs-patient-view').send(patientViewRequest({ prefetch }));
    expect(res.status).toBe(412);
    expect(res.body.issue[0].expression).toEqual(['prefetch.temperature']);
  });

  test('fetched data of another patient is refused the same way', async () => {
    nock('https://ehr.example.org').get('/fhir/Observation').query(true).reply(200, searchset([temperature('t9', 'pat-2')]));
    const prefetch: Record<string, unknown> = prefetchOf('pat-1');
    delete prefetch['temperature'];
    const res = await request(build().app)
      .post('/cds-services/crs-patient-view')
      .send(patientViewRequest({ fhirServer: EHR_BASE, fhirAuthorization: fhirAuthorization(), prefetch }));
    expect(res.status).toBe(412);
    expect(res.body.issue[0].expression).toEqual(['prefetch.temperature']);
  });

  test('the same data for the right patient is graded (the control)', async () => {
    const res = await request(build().app).post('/cds-services/crs-patient-view').send(patientViewRequest({ prefetch: prefetchOf('pat-1') }));
    expect(res.status).toBe(200);
    expect(res.body.extension['crs-cds.assessment'].grade).toBe(1);
  });

  test('a draft order for another patient in order-select is a 400 naming context.draftOrders', async () => {
    const body = orderSelectRequest({ prefetch: prefetchOf('pat-1') }) as { context: { draftOrders: { entry: { resource: Record<string, unknown> }[] } } };
    const draft = body.context.draftOrders.entry[0]?.resource as Record<string, unknown>;
    draft['subject'] = subject('pat-2');
    const { app, lines } = build();
    const res = await request(app).post('/cds-services/crs-order-select').send(body);
    expect(res.status).toBe(400);
    expect(res.body.issue[0]).toMatchObject({ code: 'business-rule', expression: ['context.draftOrders'] });
    expect(refused(lines)[0]?.['level']).toBe(40);
  });
});

describe('order-sign with another patient\'s order', () => {
  test('an order being signed for another patient is a 400 naming context.draftOrders', async () => {
    const body = orderSignRequest({ prefetch: prefetchOf('pat-1') }) as { context: { draftOrders: { entry: { resource: Record<string, unknown> }[] } } };
    const order = body.context.draftOrders.entry[0]?.resource as Record<string, unknown>;
    order['subject'] = subject('pat-2');
    const res = await request(build().app).post('/cds-services/crs-order-sign').send(body);
    expect(res.status).toBe(400);
    expect(res.body.issue[0]).toMatchObject({ code: 'business-rule', expression: ['context.draftOrders'] });
  });
});

describe('patientIdOf', () => {
  test.each<[string, Record<string, unknown>, string | undefined]>([
    ['a Patient by its id', { resourceType: 'Patient', id: 'p1' }, 'p1'],
    ['a relative subject', { resourceType: 'Observation', subject: { reference: 'Patient/p1' } }, 'p1'],
    ['an absolute subject', { resourceType: 'Observation', subject: { reference: 'https://ehr.example.org/fhir/Patient/p1' } }, 'p1'],
    ['a versioned subject', { resourceType: 'Condition', subject: { reference: 'Patient/p1/_history/3' } }, 'p1'],
    ['a patient element', { resourceType: 'AllergyIntolerance', patient: { reference: 'Patient/p1' } }, 'p1'],
    ['a urn:uuid subject (names no id)', { resourceType: 'Observation', subject: { reference: 'urn:uuid:6f1c0b52-3b1f-4a53-9f57-0f6d1c0a7e11' } }, undefined],
    ['a Group subject', { resourceType: 'Observation', subject: { reference: 'Group/g1' } }, undefined],
    ['an identifier-only subject', { resourceType: 'Observation', subject: { identifier: { value: 'x' } } }, undefined],
    ['no subject (a Medication)', { resourceType: 'Medication', id: 'm1' }, undefined],
  ])('%s', (_name, resource, expected) => {
    expect(patientIdOf(resource as unknown as Resource)).toBe(expected);
  });
});
