/** The timeline's FHIR searches: the service's prefetch queries over the whole monitoring window. */
import { expect, test } from 'vitest';
import { patientQueries } from '../../app/src/fhir/patient-queries.js';
import { crsPrefetch } from '../../hooks/prefetch-queries.js';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';

const SINCE = '2026-10-24T10:00:00.000Z';

test('every prefetch search of the service, for this patient, bounded by date instead of newest-first counts', () => {
  const queries = patientQueries(DEFAULT_CONFIG.codeLists, 'pat-1.a', SINCE);
  expect(queries).toHaveLength(Object.keys(crsPrefetch(DEFAULT_CONFIG.codeLists)).length);
  expect(queries[0]).toBe('Patient/pat-1.a');
  for (const query of queries.slice(1)) {
    const [path, search] = query.split('?');
    const params = new URLSearchParams(search);
    expect(params.get('patient'), query).toBe('Patient/pat-1.a');
    expect(params.has('_sort'), query).toBe(false);
    if (path === 'Observation') expect(params.get('date')).toBe(`ge${SINCE}`);
    if (path === 'MedicationAdministration') expect(params.get('effective-time')).toBe(`ge${SINCE}`);
    if (path !== 'Condition') expect(params.get('_count'), query).toBe('1000');
  }
});

test('codes a site adds to its lists are searched too', () => {
  const codeLists = {
    ...DEFAULT_CONFIG.codeLists,
    observations: { ...DEFAULT_CONFIG.codeLists.observations, bodyTemperature: [{ system: 'http://loinc.org', code: '8331-1' }] },
  };
  const temperature = patientQueries(codeLists, 'p', SINCE).find((q) => q.includes('8331-1'));
  expect(new URLSearchParams(temperature?.split('?')[1]).get('code')).toBe('http://loinc.org|8331-1');
});

test.each([['a/b'], ['x&code=1'], [''], ['a'.repeat(65)]])('a launch patient %s that is not a FHIR id is refused', (id) => {
  expect(() => patientQueries(DEFAULT_CONFIG.codeLists, id, SINCE)).toThrow(/not a FHIR id/);
});
