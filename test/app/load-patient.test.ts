/**
 * The timeline's FHIR reads: every page of every search, the Medications the server did not include,
 * and never a `next` link to another host (the SMART client would send the token there).
 */
import type { Bundle, Resource } from 'fhir/r4.js';
import { expect, test } from 'vitest';
import { FhirLoadError, loadPatientResources } from '../../app/src/fhir/load-patient.js';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';

const BASE = 'https://ehr.example.org/fhir';

/** A stand-in for fhirclient's Client: answers by URL, records what was asked. */
function fakeClient(answer: (url: string) => Bundle | Resource) {
  const asked: string[] = [];
  const client = {
    state: { serverUrl: BASE },
    patient: { id: 'p1' },
    request: async (url: string) => {
      asked.push(url);
      return answer(url);
    },
  };
  return { client: client as unknown as Parameters<typeof loadPatientResources>[0], asked };
}

const searchset = (resources: Resource[], next?: string): Bundle => ({
  resourceType: 'Bundle',
  type: 'searchset',
  entry: resources.map((resource) => ({ resource })),
  ...(next === undefined ? {} : { link: [{ relation: 'next', url: next }] }),
});

test('follows next links on the FHIR server and reads referenced Medications it did not include', async () => {
  const administration = { resourceType: 'MedicationAdministration', id: 'ma-1', status: 'completed', subject: { reference: 'Patient/p1' }, medicationReference: { reference: 'Medication/kymriah' }, effectiveDateTime: '2026-11-18T09:00:00Z' } as Resource;
  const { client, asked } = fakeClient((url) => {
    if (url === 'Patient/p1') return { resourceType: 'Patient', id: 'p1' };
    if (url === 'Medication/kymriah') return { resourceType: 'Medication', id: 'kymriah', code: { text: 'tisagenlecleucel' } } as Resource;
    if (url.startsWith('MedicationAdministration?')) return searchset([administration], `${BASE}/MedicationAdministration?page=2`);
    if (url === `${BASE}/MedicationAdministration?page=2`) return searchset([{ ...administration, id: 'ma-2' } as Resource]);
    return searchset([]);
  });
  const resources = await loadPatientResources(client, DEFAULT_CONFIG.codeLists, '2026-10-24T00:00:00Z');
  expect(resources.map((r) => `${r.resourceType}/${r.id}`).sort()).toEqual(['Medication/kymriah', 'MedicationAdministration/ma-1', 'MedicationAdministration/ma-2', 'Patient/p1']);
  expect(asked).toContain(`${BASE}/MedicationAdministration?page=2`);
});

test('refuses a next link to another host without requesting it', async () => {
  const { client, asked } = fakeClient((url) => (url.startsWith('Observation?') ? searchset([], 'https://elsewhere.example.net/fhir/Observation?page=2') : searchset([])));
  await expect(loadPatientResources(client, DEFAULT_CONFIG.codeLists, '2026-10-24T00:00:00Z')).rejects.toThrow(FhirLoadError);
  expect(asked.some((url) => url.includes('elsewhere'))).toBe(false);
});

test('stops a search that never ends', async () => {
  let page = 0;
  const { client } = fakeClient((url) => (url.startsWith('Condition?') || url.includes('/Condition?') ? searchset([], `${BASE}/Condition?page=${(page += 1)}`) : searchset([])));
  await expect(loadPatientResources(client, DEFAULT_CONFIG.codeLists, '2026-10-24T00:00:00Z')).rejects.toThrow(/more than 50 pages/);
});
