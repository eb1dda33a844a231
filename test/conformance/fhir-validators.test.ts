/**
 * The FHIR R4 validators the suite applies to every resource it emits (test/support/fhir-validators.ts,
 * run at the end of the run by emitted-resources-scan.ts): each of the three checks catches what it exists
 * for, the end-of-run scan names the test that emitted an invalid resource, and every shipped example is valid.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import request from 'supertest';
import { describe, expect, test } from 'vitest';
import { createApp } from '../../src/protocol/app.js';
import { openSqliteFeedbackStore } from '../../src/storage/sqlite-feedback-store.js';
import { EMITTED_RESOURCES_ENV, type EmittedResource } from '../support/emitted-resources.js';
import { validateEmitted } from '../support/emitted-resources-scan.js';
import { fhirProblems } from '../support/fhir-validators.js';
import { memoryLogger, nullPrefetch, patientViewRequest, recordingSnapshot, testConfig } from '../support/hook-requests.js';

const draft = {
  resourceType: 'MedicationRequest',
  status: 'draft',
  intent: 'proposal',
  subject: { reference: 'Patient/p1' },
  medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '612865' }] },
  dosageInstruction: [{ doseAndRate: [{ doseQuantity: { value: 560, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' } }] }],
};
const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: 'x', expression: ['context'] }] };

describe('fhirProblems', () => {
  // Loading both validators takes seconds on a busy machine.
  test('accepts a valid draft order and OperationOutcome', { timeout: 120_000 }, () => {
    expect(fhirProblems(draft)).toEqual([]);
    expect(fhirProblems(outcome)).toEqual([]);
  });

  test.each([
    ['an empty array (FHIR JSON rule)', { resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] }, /^Bundle\.entry: empty array$/],
    ['a null member (FHIR JSON rule)', { ...draft, note: null }, /MedicationRequest\.note: null/],
    ['a code outside its value set (schema)', { ...outcome, issue: [{ severity: 'fatalish', code: 'invalid' }] }, /fhir\.schema\.json: OperationOutcome\/issue\/0\/severity/],
    ['a missing required element (both)', { ...draft, subject: undefined }, /medplum: MedicationRequest\.subject: Missing required property/],
    ['a string where a number belongs (both)', { ...draft, dosageInstruction: [{ doseAndRate: [{ doseQuantity: { value: '560' } }] }] }, /medplum: .*doseQuantity.*|medplum: .*dose\[x\].*/],
    ['an unknown element (both)', { ...draft, dose: 560 }, /fhir\.schema\.json: MedicationRequest must NOT have additional properties/],
    ['a resource type R4 does not have', { resourceType: 'Project', name: 'x' }, /not an R4 resource type/],
  ])('reports %s', (_name, resource, problem) => {
    expect(fhirProblems(JSON.parse(JSON.stringify(resource)))).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
  });
});

describe('the end-of-run scan', () => {
  test('validates each distinct resource once and names the test that emitted an invalid one', () => {
    const lines = [
      { where: 'POST /cds-services/x 400', test: 'a > b', resource: outcome },
      { where: 'POST /cds-services/x 400', test: 'a > c', resource: outcome },
      { where: 'POST /cds-services/x 200: update action', test: 'a > d', resource: { ...draft, dose: 560 } },
    ];
    const { distinct, failures } = validateEmitted(lines.map((line) => JSON.stringify(line)).join('\n'));
    expect(distinct).toBe(2);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^a > d \(POST \/cds-services\/x 200: update action\):\n {4}fhir\.schema\.json: MedicationRequest must NOT have additional properties/);
  });
});

describe('the recorder every test file runs with', () => {
  test('records the OperationOutcome of an error answer and the draft order of a suggestion, with the test name', async () => {
    const snapshot = recordingSnapshot(testConfig(), {
      cards: [{ uuid: randomUUID(), summary: 's', indicator: 'info', source: { label: 'l' }, selectionBehavior: 'any',
        suggestions: [{ label: 'o', uuid: randomUUID(), actions: [{ type: 'create', description: 'd', resource: draft }] }] }],
    });
    const app = createApp({ runtime: () => snapshot, logger: memoryLogger().logger, feedbackStore: openSqliteFeedbackStore(':memory:') });
    await request(app).post('/cds-services/crs-patient-view').send({ hook: 'patient-view' }).expect(400);
    await request(app).post('/cds-services/crs-patient-view').send(patientViewRequest({ prefetch: nullPrefetch() })).expect(200);
    const mine = readFileSync(process.env[EMITTED_RESOURCES_ENV] as string, 'utf8')
      .split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as EmittedResource)
      .filter((entry) => entry.test.endsWith(expect.getState().currentTestName ?? '-'));
    expect(mine.map((entry) => [entry.where, (entry.resource as { resourceType: string }).resourceType])).toEqual([
      ['POST /cds-services/crs-patient-view 400', 'OperationOutcome'],
      ['POST /cds-services/crs-patient-view 200: create action', 'MedicationRequest'],
    ]);
  });
});

describe('the shipped examples', () => {
  const directory = new URL('../../examples/requests/', import.meta.url);
  const files = readdirSync(directory).filter((file) => file.endsWith('.json'));

  test.each(files)('%s: every FHIR resource in it is valid R4 (prefetch values and draft orders)', { timeout: 120_000 }, (file) => {
    const request = JSON.parse(readFileSync(new URL(file, directory), 'utf8')) as { context: Record<string, unknown>; prefetch?: Record<string, unknown> };
    const resources = [...Object.values(request.prefetch ?? {}), request.context['draftOrders']].filter((value) => value !== undefined && value !== null);
    expect(resources.length).toBeGreaterThan(0);
    for (const resource of resources) expect(fhirProblems(resource)).toEqual([]);
  });
});
