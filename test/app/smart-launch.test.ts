/** The timeline's SMART launch request (SMART App Launch 2.0): EHR or standalone, patient read scopes only. */
import { describe, expect, test } from 'vitest';
import { authorizeRequest, launchScopes } from '../../app/src/smart-launch.js';

const APP = 'https://cds.example.org/app/';

describe('authorizeRequest', () => {
  test('an EHR launch passes iss and launch, and asks for launch plus patient read scopes', () => {
    expect(authorizeRequest('?iss=https%3A%2F%2Fehr.example.org%2Ffhir&launch=abc123', 'crs-cds-timeline', APP)).toEqual({
      iss: 'https://ehr.example.org/fhir',
      launch: 'abc123',
      clientId: 'crs-cds-timeline',
      scope: 'launch patient/Patient.read patient/Observation.read patient/MedicationAdministration.read patient/Medication.read patient/Condition.read',
      redirectUri: APP,
    });
  });

  test('without launch it is a standalone launch: the patient is chosen at the authorization server', () => {
    const request = authorizeRequest('?iss=https%3A%2F%2Fehr.example.org%2Ffhir', 'client-1', APP);
    expect(request?.launch).toBeUndefined();
    expect(request?.scope.split(' ')[0]).toBe('launch/patient');
  });

  test.each([[''], ['?launch=abc'], ['?iss=not%20a%20url&launch=abc']])('no FHIR server named (%s): no request', (search) => {
    expect(authorizeRequest(search, 'client-1', APP)).toBeUndefined();
  });

  test('never asks for user, write, offline or system scopes', () => {
    for (const ehr of [true, false]) {
      for (const scope of launchScopes(ehr).split(' ')) expect(scope).toMatch(/^(launch|launch\/patient|patient\/[A-Za-z]+\.read)$/);
    }
  });
});
