import express from 'express';
import request from 'supertest';
import { describe, expect, test } from 'vitest';
import { assertValidCdsCard, assertValidResponse, jsonRuleViolations } from '../support/card-invariants.js';
import { takeViolations } from '../support/response-audit.js';

const UUID1 = '00000000-0000-4000-8000-000000000001';
const UUID2 = '00000000-0000-4000-8000-000000000002';
const UUID3 = '00000000-0000-4000-8000-000000000003';
const good = { uuid: UUID1, summary: 'CRS grade 2', indicator: 'warning', source: { label: 'crs-cds' } };
const order = {
  resourceType: 'MedicationRequest',
  status: 'draft',
  intent: 'proposal',
  subject: { reference: 'Patient/p1' },
  medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '612865' }] },
  dosageInstruction: [{ doseAndRate: [{ doseQuantity: { value: 560, unit: 'mg' } }] }],
};
const create = { type: 'create', description: 'Create', resource: order };
/** A card whose one suggestion carries `resource`. */
const suggesting = (resource: unknown) => ({ ...good, selectionBehavior: 'any', suggestions: [{ label: 'a', uuid: UUID2, actions: [{ type: 'update', description: 'Fix', resource }] }] });

describe('assertValidCdsCard', () => {
  test('accepts a minimal valid card and one with suggestions', () => {
    expect(() => assertValidCdsCard(good)).not.toThrow();
    const withSuggestion = { ...good, suggestions: [{ label: 'Order', uuid: UUID2, actions: [create] }], selectionBehavior: 'any' };
    expect(() => assertValidCdsCard(withSuggestion)).not.toThrow();
    const deleting = { ...good, suggestions: [{ label: 'Cancel', uuid: UUID2, actions: [{ type: 'delete', description: 'Cancel', resourceId: 'MedicationRequest/draft-1' }] }], selectionBehavior: 'any' };
    expect(() => assertValidCdsCard(deleting)).not.toThrow();
  });

  test.each([
    { name: 'summary of 140 characters', card: { ...good, summary: 'x'.repeat(140) }, message: 'summary: 140 characters' },
    { name: 'missing uuid', card: { ...good, uuid: 'abc' }, message: 'uuid: not a uuid' },
    { name: 'bad indicator', card: { ...good, indicator: 'hard-stop' }, message: 'indicator' },
    { name: 'no source label', card: { ...good, source: {} }, message: 'source.label' },
    { name: 'null member', card: { ...good, detail: null }, message: 'card.detail: null' },
    { name: 'empty array', card: { ...good, links: [] }, message: 'card.links: empty array' },
    { name: 'empty string', card: { ...good, detail: '' }, message: 'card.detail: empty string' },
    { name: 'leftover placeholder', card: { ...good, detail: 'dose {{doseMg}}' }, message: 'unrendered' },
    { name: 'suggestions without selectionBehavior', card: { ...good, suggestions: [{ label: 'a', uuid: UUID2 }] }, message: 'selectionBehavior: required' },
    { name: 'selectionBehavior without suggestions', card: { ...good, selectionBehavior: 'any' }, message: 'present without suggestions' },
    { name: 'suggestion without uuid', card: { ...good, suggestions: [{ label: 'a' }], selectionBehavior: 'any' }, message: 'suggestions[0].uuid' },
    {
      name: 'two recommended under at-most-one',
      card: { ...good, selectionBehavior: 'at-most-one', suggestions: [{ label: 'a', uuid: UUID2, isRecommended: true }, { label: 'b', uuid: UUID3, isRecommended: true }] },
      message: 'at-most-one with more than one isRecommended',
    },
    {
      name: 'delete without resourceId',
      card: { ...good, selectionBehavior: 'any', suggestions: [{ label: 'a', uuid: UUID2, actions: [{ type: 'delete', description: 'Remove' }] }] },
      message: 'delete needs the resource to delete',
    },
    {
      name: 'resourceId as an array (CDS Hooks 2.0: a string)',
      card: { ...good, selectionBehavior: 'any', suggestions: [{ label: 'a', uuid: UUID2, actions: [{ type: 'delete', description: 'Remove', resourceId: ['MedicationRequest/1'] }] }] },
      message: 'resourceId: must be a relative reference string',
    },
    { name: 'appContext on an absolute link', card: { ...good, links: [{ label: 'a', url: 'https://x.org', type: 'absolute', appContext: 'c' }] }, message: 'appContext: only on smart links' },
    { name: 'override reason without display', card: { ...good, overrideReasons: [{ code: 'x' }] }, message: 'needs code and display' },
    { name: 'unknown card field', card: { ...good, priority: 1 }, message: 'priority: not a CDS Hooks card field' },
    { name: 'a suggested order that is not a draft', card: suggesting({ ...order, status: 'active' }), message: 'status: must be draft' },
    {
      name: 'a suggested order without the RxNorm coding',
      card: suggesting({ ...order, medicationCodeableConcept: { text: 'tocilizumab' } }),
      message: 'RxNorm ingredient coding required',
    },
    {
      name: 'a suggested order naming an external Medication',
      card: suggesting({ ...order, medicationCodeableConcept: undefined, medicationReference: { reference: 'Medication/x' } }),
      message: 'RxNorm ingredient coding required',
    },
    {
      name: 'a suggested order with both medication choices',
      card: suggesting({ ...order, medicationReference: { reference: '#m' } }),
      message: 'medication[x] is a choice',
    },
    {
      name: 'a suggested order without a dose in mg',
      card: suggesting({ ...order, dosageInstruction: [{ doseAndRate: [{ doseQuantity: { value: 0.5, unit: 'g' } }] }] }),
      message: 'dose in mg required',
    },
  ])('rejects $name', ({ card, message }) => {
    expect(() => assertValidCdsCard(card)).toThrow(message);
  });
});

describe('assertValidResponse', () => {
  test('rejects duplicate uuids across cards and a missing cards array', () => {
    expect(() => assertValidResponse({ cards: [good, good] })).toThrow('uuid: duplicate');
    expect(() => assertValidResponse({})).toThrow('cards array required');
  });

  test('accepts an empty card list with an extension', () => {
    expect(() => assertValidResponse({ cards: [], extension: { 'crs-cds.assessment': { grade: 1 } } })).not.toThrow();
  });
});

describe('the JSON rule over whole responses (contract revision 2)', () => {
  test.each([
    ['a null grade in the assessment', { cards: [], extension: { 'crs-cds.assessment': { grade: null } } }, 'extension.crs-cds.assessment.grade: null'],
    ['an empty findings list', { cards: [], extension: { 'crs-cds.assessment': { findings: [] } } }, 'extension.crs-cds.assessment.findings: empty array'],
    ['an empty object', { cards: [], extension: { 'crs-cds.assessment': { corticosteroidLastDose: {} } } }, 'corticosteroidLastDose: empty object'],
    ['an empty string', { cards: [], extension: { 'crs-cds.assessment': { scale: '' } } }, 'scale: empty string'],
    ['empty systemActions', { cards: [], systemActions: [] }, 'systemActions: empty array'],
  ])('refuses %s', (_label, response, message) => {
    expect(() => assertValidResponse(response)).toThrow(message);
    expect(jsonRuleViolations(response).join('\n')).toContain(message);
  });

  test('accepts {"cards": []} and an indeterminate assessment written as the contract says', () => {
    expect(jsonRuleViolations({ cards: [] })).toEqual([]);
    expect(() => assertValidResponse({ cards: [], extension: { 'crs-cds.assessment': { scale: 'ASTCT-2019', indeterminate: true, lookbackHours: 24 } } })).not.toThrow();
  });
});

describe('the suite-wide response audit (test/support/response-audit.ts)', () => {
  test('records a hook response an in-process app sends against the JSON rule, with its path', async () => {
    const app = express();
    app.post('/cds-services/x', (_req, res) => {
      res.json({ cards: [], extension: { 'crs-cds.assessment': { dataGaps: [] } } });
    });
    await request(app).post('/cds-services/x').expect(200);
    expect(takeViolations()).toEqual(['POST /cds-services/x 200: extension.crs-cds.assessment.dataGaps: empty array']);
    app.post('/cds-services/y', (_req, res) => {
      res.json({ cards: [] });
    });
    await request(app).post('/cds-services/y').expect(200);
    expect(takeViolations()).toEqual([]);
  });
});
