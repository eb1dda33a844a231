/**
 * End to end with the real engine: the real app (createApp + listen) over a real FHIR search
 * implementation (medplum, in memory, on 127.0.0.1). The service fetching every template itself and
 * the EHR prefetching them must give the same assessment and the same cards (only uuids differ).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { crsPatientView } from '../../hooks/crs-patient-view.js';
import { buildRuntime } from '../../src/engine/build-runtime.js';
import { fillPrefetchTemplate } from '../../src/fhir/prefetch-template.js';
import { createApp } from '../../src/protocol/app.js';
import { openSqliteFeedbackStore } from '../../src/storage/sqlite-feedback-store.js';
import { assertValidResponse } from '../support/card-invariants.js';
import { startFhirServer, type TestFhirServer } from '../support/fhir-server.js';
import { listenOnLoopback, type Listening } from '../support/listen.js';
import { EVALUATED_AT, fhirAuthorization, memoryLogger, patientViewRequest, testConfig } from '../support/hook-requests.js';
import { SYNTHETIC_PATIENT_ID, syntheticCrsPatient } from '../support/synthetic-patient.js';

let fhir: TestFhirServer;
let service: Listening;
const context = { userId: 'Practitioner/prac-1', patientId: SYNTHETIC_PATIENT_ID };

beforeAll(async () => {
  fhir = await startFhirServer(syntheticCrsPatient());
  const runtime = buildRuntime(testConfig({ fhir: { timeoutMs: 5_000 } }));
  const app = createApp({
    runtime: () => runtime,
    logger: memoryLogger().logger,
    feedbackStore: openSqliteFeedbackStore(':memory:'),
    now: () => EVALUATED_AT,
  });
  service = await listenOnLoopback(app);
});

afterAll(async () => {
  await service.close();
  await fhir.close();
});

async function post(path: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${service.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** What an EHR would prefetch: each template run against the same FHIR server. */
async function ehrPrefetch(): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    Object.entries(crsPatientView.prefetch).map(async ([key, template]) => {
      const res = await fetch(`${fhir.baseUrl}/${fillPrefetchTemplate(template.query, context)}`);
      return [key, await res.json()] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** Cards without their uuids, which are fresh on every call. */
const withoutUuids = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value), (key, v: unknown) => (key === 'uuid' ? undefined : v));

describe('crs-patient-view end to end', () => {
  test('grades the synthetic CAR-T patient 3 with the same cards whether prefetched or fetched', async () => {
    const fetched = await post('/cds-services/crs-patient-view', patientViewRequest({
      context, fhirServer: fhir.baseUrl, fhirAuthorization: fhirAuthorization('e2e-token'),
    }));
    expect(fetched.status).toBe(200);
    assertValidResponse(fetched.body);
    const assessment = fetched.body.extension['crs-cds.assessment'];
    // F1 39.1 °C; H2 norepinephrine running; O1 high-flow nasal cannula at 8 L/min ⇒ grade 3.
    expect(assessment).toMatchObject({
      grade: 3,
      fever: { present: true },
      hypotension: { tier: 'one-vasopressor' },
      oxygen: { tier: 'high-flow' },
      monitoring: { basis: 'therapy', dayPlus: 3, indexTherapy: { concept: 'tisagenlecleucel' } },
    });
    const [card] = fetched.body.cards;
    expect(card.indicator).toBe('critical');
    // T-D 72 kg × 8 mg/kg = 576 mg; grade 3 adds dexamethasone 10 mg IV every 6 h.
    const doses = card.suggestions.map((s: any) => [
      s.actions[0].resource.medicationCodeableConcept.coding[0].code,
      s.actions[0].resource.dosageInstruction[0].doseAndRate[0].doseQuantity.value,
    ]);
    expect(doses).toEqual([['612865', 576], ['3264', 10]]);

    const prefetched = await post('/cds-services/crs-patient-view', patientViewRequest({ context, prefetch: await ehrPrefetch(), fhirServer: fhir.baseUrl }));
    expect(prefetched.status).toBe(200);
    expect(withoutUuids(prefetched.body)).toEqual(withoutUuids(fetched.body));
  });
});

describe('crs-order-select end to end', () => {
  test('rewrites a selected 900 mg tocilizumab draft to the weight-based dose (OS1)', async () => {
    const draft = {
      resourceType: 'MedicationRequest', id: 'draft-toci', status: 'draft', intent: 'order',
      subject: { reference: `Patient/${SYNTHETIC_PATIENT_ID}` },
      medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '612865', display: 'tocilizumab' }] },
      dosageInstruction: [{ doseAndRate: [{ doseQuantity: { value: 900, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' } }] }],
    };
    const { status, body } = await post('/cds-services/crs-order-select', {
      ...patientViewRequest({ fhirServer: fhir.baseUrl, fhirAuthorization: fhirAuthorization('e2e-token') }),
      hook: 'order-select',
      context: { ...context, selections: ['MedicationRequest/draft-toci'], draftOrders: { resourceType: 'Bundle', type: 'collection', entry: [{ resource: draft }] } },
    });
    expect(status).toBe(200);
    assertValidResponse(body);
    const dosing = body.cards.find((card: any) => card.suggestions?.some((s: any) => s.actions?.[0]?.type === 'update'));
    expect(dosing.indicator).toBe('warning');
    const update = dosing.suggestions[0].actions[0];
    expect(update.resource.id).toBe('draft-toci');
    expect(update.resource.dosageInstruction[0].doseAndRate[0].doseQuantity.value).toBe(576);
  });
});
