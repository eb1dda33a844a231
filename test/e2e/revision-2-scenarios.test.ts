/**
 * The review's scenarios (issue 9, crs-rules.md revision 2) end to end through the running service: the
 * real app (createApp + listen) over a real FHIR search implementation (medplum, in memory). Each scenario
 * runs twice, the service fetching every prefetch template itself and the EHR prefetching them; both
 * must give the same cards (uuids aside), and the card text is checked.
 */
import type { Resource } from 'fhir/r4.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { crsOrderSelect } from '../../hooks/crs-order-select.js';
import { crsPatientView } from '../../hooks/crs-patient-view.js';
import type { Config } from '../../src/config/types.js';
import { buildRuntime } from '../../src/engine/build-runtime.js';
import { fillPrefetchTemplate } from '../../src/fhir/prefetch-template.js';
import { createApp } from '../../src/protocol/app.js';
import { openSqliteFeedbackStore } from '../../src/storage/sqlite-feedback-store.js';
import { assertValidResponse } from '../support/card-invariants.js';
import { startFhirServer, type TestFhirServer } from '../support/fhir-server.js';
import { EVALUATED_AT, fhirAuthorization, memoryLogger, testConfig } from '../support/hook-requests.js';
import { listenOnLoopback, type Listening } from '../support/listen.js';
import { SCENARIOS } from '../fixtures/grading/revision-2-scenarios.js';

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

let fhir: TestFhirServer;
const services: Listening[] = [];
const base: Record<string, string> = {};

async function serve(name: string, config: Config): Promise<void> {
  const runtime = buildRuntime(config);
  const app = createApp({ runtime: () => runtime, logger: memoryLogger().logger, feedbackStore: openSqliteFeedbackStore(':memory:'), now: () => EVALUATED_AT });
  const listening = await listenOnLoopback(app);
  services.push(listening);
  base[name] = listening.baseUrl;
}

beforeAll(async () => {
  fhir = await startFhirServer(Object.values(SCENARIOS).flat());
  const config = testConfig({ fhir: { timeoutMs: 5_000 } });
  await serve('default', config);
  // Grade 0 has no card by default; its text is checked with showGradeZero.
  await serve('gradeZero', { ...config, grading: { ...config.grading, showGradeZero: true } });
});

afterAll(async () => {
  await Promise.all(services.map((s) => s.close()));
  await fhir.close();
});

/** What an EHR would prefetch for a service: each template run against the same FHIR server. */
async function ehrPrefetch(prefetch: Record<string, { query: string }>, context: Record<string, unknown>): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    Object.entries(prefetch).map(async ([key, template]) => {
      const res = await fetch(`${fhir.baseUrl}/${String(fillPrefetchTemplate(template.query, context))}`);
      return [key, await res.json()] as const;
    }),
  );
  return Object.fromEntries(entries);
}

const withoutUuids = (value: unknown): unknown => JSON.parse(JSON.stringify(value), (key, v: unknown) => (key === 'uuid' ? undefined : v));

interface Answer {
  readonly cards: any[];
  readonly assessment: any;
}

async function post(server: string, path: string, body: unknown): Promise<any> {
  const res = await fetch(`${base[server]}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  const json: unknown = await res.json();
  assertValidResponse(json);
  return json;
}

/**
 * One hook call twice: fetched by the service and prefetched by the EHR; the two answers must agree.
 * @param patientId - the scenario
 * @param options - the server (default or gradeZero) and, for order-select, the draft orders
 */
async function call(patientId: string, options: { server?: string; drafts?: Resource[] } = {}): Promise<Answer> {
  const server = options.server ?? 'default';
  const orderSelect = options.drafts !== undefined;
  const service = orderSelect ? crsOrderSelect : crsPatientView;
  const context = {
    userId: 'Practitioner/prac-1',
    patientId,
    ...(orderSelect
      ? {
          selections: (options.drafts ?? []).map((d) => `MedicationRequest/${String(d.id)}`),
          draftOrders: { resourceType: 'Bundle', type: 'collection', entry: (options.drafts ?? []).map((resource) => ({ resource })) },
        }
      : {}),
  };
  const body = { hook: service.hook, hookInstance: 'b5a1d3c2-7f4e-4a6b-9c8d-0e1f2a3b4c5d', context, fhirServer: fhir.baseUrl };
  const fetched = await post(server, `/cds-services/${service.id}`, { ...body, fhirAuthorization: fhirAuthorization('e2e-token') });
  const prefetched = await post(server, `/cds-services/${service.id}`, { ...body, prefetch: await ehrPrefetch(service.prefetch, { patientId }) });
  expect(withoutUuids(prefetched)).toEqual(withoutUuids(fetched));
  return { cards: fetched.cards, assessment: fetched.extension?.['crs-cds.assessment'] };
}

const only = (answer: Answer): any => {
  expect(answer.cards).toHaveLength(1);
  return answer.cards[0];
};
const orderCodes = (card: any): string[] =>
  (card.suggestions ?? []).map((s: any) => s.actions[0].resource.medicationCodeableConcept.coding.find((c: any) => c.system === RXNORM).code);

describe('revision 2 scenarios, prefetched and fetched', () => {
  test.each([
    ['vapotherm', 3, 'CRS grade 3 (ASTCT): 38.7 °C, high-flow O2 (Vapotherm) —'],
    ['optiflow', 3, 'CRS grade 3 (ASTCT): 38.7 °C, high-flow O2 (Optiflow) —'],
    ['hi-flow-nc', 3, 'CRS grade 3 (ASTCT): 38.7 °C, high-flow O2 (Hi flow NC) —'],
    ['nc', 2, 'CRS grade 2 (ASTCT): 38.7 °C, low-flow O2 (NC) —'],
  ])('oxygen charted as text "%s" is graded %i and named on the card, never "no support documented"', async (id, grade, summary) => {
    const answer = await call(id);
    const card = only(answer);
    expect(answer.assessment.grade).toBe(grade);
    expect(card.summary.startsWith(summary)).toBe(true);
    expect(card.detail).not.toContain('no support documented');
  });

  test('methylprednisolone 1 g an hour ago: no dexamethasone order; "continue methylprednisolone … — no second corticosteroid"', async () => {
    const card = only(await call('pulse-mp'));
    expect(card.indicator).toBe('critical');
    expect(orderCodes(card)).toEqual(['612865']);
    expect(card.detail).toContain('- Continue methylprednisolone (1000 mg at 2026-11-21 09:00 UTC) — no second corticosteroid.');
    expect(card.summary).toContain('continue methylprednisolone');
  });

  test.each([
    ['cream-day-1', 'a hydrocortisone cream (not systemic)'],
    ['apap-day-1', 'one acetaminophen dose (masking ended 168 h later)'],
  ])('%s: an afebrile day +10 hypotension after %s on day +1 is grade 0, with no tocilizumab', async (id) => {
    expect((await call(id)).cards).toEqual([]);
    const answer = await call(id, { server: 'gradeZero' });
    const card = only(answer);
    expect(answer.assessment.grade).toBe(0);
    expect(card.summary).toBe('CRS grade 0 (ASTCT): no fever in 24 h, SBP 82 — no CRS treatment indicated');
    expect(card.detail).toContain('not attributable to CRS by ASTCT; consider other causes');
    expect(card.suggestions).toBeUndefined();
  });

  test('COVID-19 CRS (D89.834, no CAR-T): grade and evidence, no CAR-T bundle, one line why', async () => {
    const answer = await call('covid');
    const card = only(answer);
    expect(answer.assessment).toMatchObject({ grade: 3, monitoring: { basis: 'condition' } });
    expect(card.summary).toBe('CRS grade 3 (ASTCT): 39.1 °C, high-flow O2 (non-rebreather) — treat the cause; no CAR-T CRS orders');
    expect(card.suggestions).toBeUndefined();
    expect(card.detail).toContain('COVID-19: dexamethasone 6 mg daily and a single tocilizumab dose');
    expect(card.detail).not.toMatch(/methylprednisolone|Tocilizumab \d+ mg IV/);
  });

  test('an oral temperature (LOINC 8331-1) is read: a febrile hypotensive patient is grade 2', async () => {
    const answer = await call('oral-temp');
    expect(answer.assessment.grade).toBe(2);
    expect(only(answer).summary).toBe('CRS grade 2 (ASTCT): 38.9 °C, SBP 84 — tocilizumab 560 mg recommended');
  });

  test('Cerner-style drips (rate point records): two running pressors are grade 4, concurrency inferred from charted rates', async () => {
    const answer = await call('drips');
    const card = only(answer);
    expect(answer.assessment.grade).toBe(4);
    expect(card.summary.startsWith('CRS grade 4 (ASTCT): 38.6 °C, on norepinephrine + epinephrine')).toBe(true);
    expect(card.detail).toContain('- Vasopressors: norepinephrine + epinephrine (concurrency inferred from charted rates)');
  });

  test('a 6-year-old with SBP 86 is not hypotensive by the age-based threshold (82): grade 1', async () => {
    const answer = await call('child-sbp-86');
    expect(answer.assessment).toMatchObject({ grade: 1, hypotension: { tier: 'none', sbpThreshold: { mmHg: 82, ageYears: 6 } } });
    const card = only(answer);
    expect(card.summary).toBe('CRS grade 1 (ASTCT): 38.6 °C — supportive care');
    expect(card.detail).toContain('- Lowest SBP: 86 mmHg at 2026-11-21 09:00 UTC (hypotension below 82 mmHg for age 6)');
  });

  test('dexamethasone 10 mg q12h and now grade 3: escalated to q6h, replacing the current order', async () => {
    const card = only(await call('dex-q12h-grade-3'));
    expect(orderCodes(card)).toEqual(['612865', '3264']);
    expect(card.detail).toContain('- **Increase to dexamethasone 10 mg IV every 6 h**; replaces the current corticosteroid order');
    expect(card.suggestions[1].label).toBe('Increase to dexamethasone 10 mg IV every 6 h (replaces the current corticosteroid order)');
  });

  test('low SpO2 on room air is named in the summary and raises the card to a warning', async () => {
    const card = only(await call('spo2-room-air'));
    expect(card.summary).toBe('CRS grade 1 (ASTCT): 38.4 °C, SpO2 86% without O2 support — supportive care');
    expect(card.indicator).toBe('warning');
    expect(card.detail).toContain('- Oxygen: room air (room air at 2026-11-21 09:00 UTC)');
  });

  test('counts read as English: "1 dose", never "dose(s)"', async () => {
    const card = only(await call('one-dose'));
    expect(card.detail).toContain('- Tocilizumab this episode: 1 dose, last 2026-11-20 04:00 UTC');
    expect(JSON.stringify(card)).not.toContain('(s)');
  });

  test('order-select: a dexamethasone draft on top of pulse methylprednisolone is flagged; an Actemra draft of 900 mg coded by NDC is dose-checked', async () => {
    const draft = (id: string, medicationCodeableConcept: Record<string, unknown>, mg: number): Resource =>
      ({
        resourceType: 'MedicationRequest',
        id,
        status: 'draft',
        intent: 'order',
        subject: { reference: 'Patient/pulse-mp' },
        medicationCodeableConcept,
        dosageInstruction: [{ doseAndRate: [{ doseQuantity: { value: mg, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' } }] }],
      }) as Resource;
    const dex = draft('draft-dex', { coding: [{ system: RXNORM, code: '3264', display: 'dexamethasone' }] }, 10);
    const actemra = draft('draft-actemra', { coding: [{ system: 'http://hl7.org/fhir/sid/ndc', code: '50242-0135-01' }], text: 'Actemra' }, 900);
    const { cards } = await call('pulse-mp', { drafts: [dex, actemra] });
    expect(cards.map((c: any) => c.summary)).toEqual([
      'Dexamethasone selected on top of methylprednisolone 1000 mg at 2026-11-21 09:00 UTC: no second corticosteroid',
      'Tocilizumab 900 mg is above the recommended dose: 560 mg',
    ]);
    expect(cards[1].suggestions[0].actions[0].resource.dosageInstruction[0].doseAndRate[0].doseQuantity.value).toBe(560);
  });
});
