import { expect, test } from 'vitest';
import { fillPrefetchTemplate } from '../../src/fhir/prefetch-template.js';

const context = { patientId: 'pat-1', userId: 'Practitioner/prac-9', encounterId: 'enc-2' };

test('fills context tokens and the user token derived from userId', () => {
  expect(fillPrefetchTemplate('Observation?patient=Patient/{{context.patientId}}&encounter={{context.encounterId}}', context)).toBe(
    'Observation?patient=Patient/pat-1&encounter=enc-2',
  );
  expect(fillPrefetchTemplate('Practitioner/{{userPractitionerId}}', context)).toBe('Practitioner/prac-9');
});

test('returns undefined when a token cannot be filled or is not a 2.0 token', () => {
  expect(fillPrefetchTemplate('Encounter/{{context.encounterId}}', { patientId: 'p' })).toBeUndefined();
  expect(fillPrefetchTemplate('PractitionerRole/{{userPractitionerRoleId}}', context)).toBeUndefined();
  expect(fillPrefetchTemplate('Observation?date=gt{{today()}}', context)).toBeUndefined();
});

test('URL-encodes values so an id cannot add parameters or path segments', () => {
  expect(fillPrefetchTemplate('Patient/{{context.patientId}}', { patientId: '1&_include=*/../x' })).toBe(
    'Patient/1%26_include%3D*%2F..%2Fx',
  );
});
