import type { Resource } from 'fhir/r4.js';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { CdsServiceDefinition } from '../../hooks/types.js';
import { resolvePrefetch, type PrefetchCall } from '../../src/fhir/resolve-prefetch.js';
import { PreconditionFailedError } from '../../src/protocol/errors.js';
import { EHR_BASE, PATIENT_ID, searchset } from '../support/hook-requests.js';

const service: CdsServiceDefinition = {
  id: 'test-service',
  hook: 'patient-view',
  title: 't',
  description: 'd',
  prefetch: {
    patient: { query: 'Patient/{{context.patientId}}', onFailure: 'fail' },
    vitals: { query: 'Observation?patient=Patient/{{context.patientId}}&_count=2', onFailure: 'fail' },
    extra: { query: 'Condition?patient=Patient/{{context.patientId}}', onFailure: 'omit' },
  },
};

const patient: Resource = { resourceType: 'Patient', id: PATIENT_ID };
const obs = (id: string): Resource => ({ resourceType: 'Observation', id, status: 'final', code: {} }) as Resource;
const opts = { allowedServers: [EHR_BASE], timeoutMs: 300 };
const context = { userId: 'Practitioner/1', patientId: PATIENT_ID };
const allPrefetched = (overrides: Record<string, unknown> = {}): PrefetchCall => ({
  context,
  prefetch: { patient, vitals: searchset([obs('o1')]), extra: null, ...overrides },
});
const ehr = () => nock('https://ehr.example.org');

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
});

describe('resolvePrefetch with prefetched values', () => {
  test('uses prefetched values and treats null as known empty without calling the server', async () => {
    const result = await resolvePrefetch(service, { ...allPrefetched(), fhirServer: EHR_BASE }, opts);
    expect(result).toEqual({ resources: [patient, obs('o1')], omittedKeys: [] });
  });

  test('an empty searchset Bundle is data (no resources), not a failure', async () => {
    const result = await resolvePrefetch(service, allPrefetched({ vitals: searchset([]) }), opts);
    expect(result.resources).toEqual([patient]);
  });

  test('follows the next link of a paginated prefetch value on the FHIR server, with the token', async () => {
    const page2 = ehr()
      .get('/fhir/Observation')
      .query({ page: '2' })
      .matchHeader('authorization', 'Bearer tok')
      .reply(200, searchset([obs('o2')]));
    const call = { ...allPrefetched({ vitals: searchset([obs('o1')], `${EHR_BASE}/Observation?page=2`) }), fhirServer: EHR_BASE, accessToken: 'tok' };
    const result = await resolvePrefetch(service, call, opts);
    expect(result.resources).toEqual([patient, obs('o1'), obs('o2')]);
    expect(page2.isDone()).toBe(true);
  });

  test('never follows a foreign next link: the key is fetched from its template instead', async () => {
    const foreign = nock('https://evil.example.org').get(/.*/).reply(200, searchset([obs('evil')]));
    const template = ehr()
      .get('/fhir/Observation')
      .query({ patient: `Patient/${PATIENT_ID}`, _count: '2' })
      .reply(200, searchset([obs('o1'), obs('o3')]));
    const call = {
      ...allPrefetched({ vitals: searchset([obs('o1')], 'https://evil.example.org/fhir/Observation?page=2') }),
      fhirServer: EHR_BASE,
      accessToken: 'tok',
    };
    const result = await resolvePrefetch(service, call, opts);
    expect(result.resources).toEqual([patient, obs('o1'), obs('o3')]);
    expect(foreign.isDone()).toBe(false);
    expect(template.isDone()).toBe(true);
  });

  test('a paginated value without a FHIR server to finish it fails a required key (412)', async () => {
    const call = allPrefetched({ vitals: searchset([obs('o1')], `${EHR_BASE}/Observation?page=2`) });
    await expect(resolvePrefetch(service, call, opts)).rejects.toBeInstanceOf(PreconditionFailedError);
  });

  test('a search with more pages than the page limit is incomplete data: a required key fails (412), never truncated', async () => {
    let served = 0;
    const endless = ehr()
      .persist()
      .get(/\/fhir\/Observation/)
      .reply(() => {
        served += 1;
        return [200, searchset([obs(`o${served}`)], `${EHR_BASE}/Observation?page=${served + 1}`)];
      });
    const call = { ...allPrefetched({ vitals: undefined }), fhirServer: EHR_BASE, accessToken: 'tok' };
    await expect(resolvePrefetch(service, call, { ...opts, maxPages: 3 })).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(served).toBe(3);
    endless.persist(false);
  });

  test('leaves search-warning OperationOutcome entries out of the data', async () => {
    const warning = { resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'informational' }] } as Resource;
    const result = await resolvePrefetch(service, allPrefetched({ vitals: searchset([obs('o1'), warning]) }), opts);
    expect(result.resources).toEqual([patient, obs('o1')]);
  });

  test('de-duplicates resources by type and id across keys', async () => {
    const result = await resolvePrefetch(service, allPrefetched({ vitals: searchset([obs('o1'), obs('o1'), patient]) }), opts);
    expect(result.resources).toEqual([patient, obs('o1')]);
  });

  test('de-duplicates by type and id together, and keeps every resource whose id is not a string', async () => {
    const condition = { resourceType: 'Condition', id: 'o1' } as Resource;
    const oddId = { resourceType: 'Observation', id: 7 } as unknown as Resource;
    const result = await resolvePrefetch(service, allPrefetched({ vitals: searchset([obs('o1'), condition, oddId, oddId]) }), opts);
    expect(result.resources).toEqual([patient, obs('o1'), condition, oddId, oddId]);
  });

  test('a prefetched Bundle whose links are wrongly shaped may have unread pages: a required key fails (412)', async () => {
    const call = { ...allPrefetched({ vitals: { ...searchset([obs('o1')]), link: [null] } }), fhirServer: EHR_BASE };
    await expect(resolvePrefetch(service, call, opts)).rejects.toBeInstanceOf(PreconditionFailedError);
  });
});

describe('resolvePrefetch fetching from the FHIR server', () => {
  test('fetches absent keys and OperationOutcome keys in parallel with the bearer token', async () => {
    const scope = ehr()
      .matchHeader('authorization', 'Bearer tok')
      .get(`/fhir/Patient/${PATIENT_ID}`)
      .reply(200, patient)
      .get('/fhir/Observation')
      .query(true)
      .reply(200, searchset([obs('o9')]))
      .get('/fhir/Condition')
      .query(true)
      .reply(200, searchset([]));
    const call: PrefetchCall = {
      context,
      fhirServer: EHR_BASE,
      accessToken: 'tok',
      prefetch: { vitals: { resourceType: 'OperationOutcome', issue: [] } },
    };
    const result = await resolvePrefetch(service, call, opts);
    expect(result).toEqual({ resources: [patient, obs('o9')], omittedKeys: [] });
    expect(scope.isDone()).toBe(true);
  });

  test.each([
    ['a 401', () => ehr().get('/fhir/Observation').query(true).reply(401, { resourceType: 'OperationOutcome' })],
    ['a 500', () => ehr().get('/fhir/Observation').query(true).reply(500, 'secret body')],
    ['malformed JSON', () => ehr().get('/fhir/Observation').query(true).reply(200, '{"resourceType": "Bun', { 'content-type': 'application/fhir+json' })],
    ['an OperationOutcome', () => ehr().get('/fhir/Observation').query(true).reply(200, { resourceType: 'OperationOutcome', issue: [] })],
    ['a redirect', () => ehr().get('/fhir/Observation').query(true).reply(302, '', { location: 'https://ehr.example.org/fhir/other' })],
    ['a hanging server', () => ehr().get('/fhir/Observation').query(true).delay(5_000).reply(200, searchset([]))],
  ])('%s for a required key answers 412 with nothing leaked in the error', async (_name, setUp) => {
    setUp();
    const call: PrefetchCall = { ...allPrefetched(), prefetch: { patient, extra: null }, fhirServer: EHR_BASE, accessToken: 'tok' };
    const error: unknown = await resolvePrefetch(service, call, opts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreconditionFailedError);
    expect((error as Error).message).toBe('Service test-service: prefetch key "vitals" could neither be prefetched nor fetched');
  });

  test('an optional key that cannot be fetched is omitted and reported', async () => {
    ehr().get('/fhir/Condition').query(true).reply(500);
    const call: PrefetchCall = { context, prefetch: { patient, vitals: null }, fhirServer: EHR_BASE };
    const result = await resolvePrefetch(service, call, opts);
    expect(result).toEqual({ resources: [patient], omittedKeys: ['extra'] });
  });

  test("an 'operation-outcome' key passes the EHR's OperationOutcome on to the engine", async () => {
    const oo = { resourceType: 'OperationOutcome', id: 'oo-1', issue: [{ severity: 'error', code: 'forbidden' }] } as Resource;
    const ooService: CdsServiceDefinition = {
      ...service,
      prefetch: { extra: { query: 'Condition?patient=Patient/{{context.patientId}}', onFailure: 'operation-outcome' } },
    };
    const result = await resolvePrefetch(ooService, { context, prefetch: { extra: oo } }, opts);
    expect(result).toEqual({ resources: [oo], omittedKeys: ['extra'] });
  });

  test('a 404 on a single-resource read is known-empty, like null', async () => {
    ehr().get(`/fhir/Patient/${PATIENT_ID}`).reply(404, { resourceType: 'OperationOutcome' });
    const call: PrefetchCall = { context, prefetch: { vitals: null, extra: null }, fhirServer: EHR_BASE };
    expect((await resolvePrefetch(service, call, opts)).resources).toEqual([]);
  });

  test('never contacts a server that is not allowlisted, and answers 412', async () => {
    const scope = nock('http://ehr.example.org').get(/.*/).reply(200, patient);
    const call: PrefetchCall = { context, prefetch: { vitals: null, extra: null }, fhirServer: 'http://ehr.example.org/fhir' };
    await expect(resolvePrefetch(service, call, opts)).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(scope.isDone()).toBe(false);
  });

  test('never contacts a server the outbound guard refuses', async () => {
    const scope = ehr().get(/.*/).reply(200, patient);
    const guard = async (): Promise<void> => {
      throw new Error('blocked');
    };
    const call: PrefetchCall = { context, prefetch: { vitals: null, extra: null }, fhirServer: EHR_BASE };
    await expect(resolvePrefetch(service, call, { ...opts, checkOutboundUrl: guard })).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(scope.isDone()).toBe(false);
  });

  test('follows same-server next links of its own searches but not foreign ones', async () => {
    const foreign = nock('https://evil.example.org').get(/.*/).reply(200, searchset([]));
    ehr()
      .get('/fhir/Observation')
      .query({ patient: `Patient/${PATIENT_ID}`, _count: '2' })
      .reply(200, searchset([obs('o1')], `${EHR_BASE}/Observation?page=2`))
      .get('/fhir/Observation')
      .query({ page: '2' })
      .reply(200, searchset([obs('o2')], 'https://evil.example.org/steal'));
    const call: PrefetchCall = { context, prefetch: { patient, extra: null }, fhirServer: EHR_BASE, accessToken: 'tok' };
    await expect(resolvePrefetch(service, call, opts)).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(foreign.isDone()).toBe(false);
  });

  test('reads Medications that administrations reference but nobody included (E7)', async () => {
    const admin = {
      resourceType: 'MedicationAdministration',
      id: 'ma1',
      status: 'completed',
      medicationReference: { reference: 'Medication/med-1' },
    } as Resource;
    const medication = { resourceType: 'Medication', id: 'med-1', code: { text: 'tisagenlecleucel' } } as Resource;
    ehr().get('/fhir/Medication/med-1').reply(200, medication);
    const call: PrefetchCall = { context, prefetch: { patient, vitals: searchset([admin]), extra: null }, fhirServer: EHR_BASE };
    expect((await resolvePrefetch(service, call, opts)).resources).toEqual([patient, admin, medication]);
  });

  test('a medication reference that is not a string names nothing to read, and is never coerced', async () => {
    // Found by the hook fuzzer: an object whose own toString is not a function made String() throw (500).
    const admin = JSON.parse(
      '{"resourceType":"MedicationAdministration","id":"ma2","status":"completed","medicationReference":{"reference":{"toString":{}}}}',
    ) as Resource;
    const call: PrefetchCall = { context, prefetch: { patient, vitals: searchset([admin]), extra: null }, fhirServer: EHR_BASE };
    expect((await resolvePrefetch(service, call, opts)).resources).toEqual([patient, admin]);
  });
});
