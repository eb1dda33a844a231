import nock from 'nock';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { FhirAccessError, FhirHttpError, createFhirClient, isUnderBase } from '../../src/fhir/fhir-client.js';
import { EHR_BASE } from '../support/hook-requests.js';

const reader = (onRead?: (outcome: string) => void) =>
  createFhirClient({
    serverUrl: EHR_BASE,
    accessToken: 'tok',
    signal: new AbortController().signal,
    allowedServers: ['https://ehr.example.org'],
    onRead,
  });

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
});

describe('createFhirClient', () => {
  test('throws FhirHttpError with the status only: no URL, no body', async () => {
    nock('https://ehr.example.org').get('/fhir/Patient/p-secret').reply(500, { resourceType: 'OperationOutcome', text: 'Jane Doe' });
    const error: unknown = await reader().read('Patient/p-secret').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FhirHttpError);
    expect((error as FhirHttpError).status).toBe(500);
    expect((error as Error).message).toBe('FHIR server answered HTTP 500');
  });

  test('never sends the token outside the fhirServer base, even on an allowlisted host', async () => {
    const other = nock('https://ehr.example.org').get('/admin/secrets').reply(200, {});
    const outcomes: string[] = [];
    const error: unknown = await reader((o) => outcomes.push(o)).read('https://ehr.example.org/admin/secrets').catch((e: unknown) => e);
    expect(error).toEqual(new FhirAccessError('not-allowed'));
    expect(other.isDone()).toBe(false);
    expect(outcomes).toEqual(['not-allowed']);
  });

  test('refuses a fhirServer that is not allowlisted or carries userinfo', () => {
    const build = (serverUrl: string) => () =>
      createFhirClient({ serverUrl, signal: new AbortController().signal, allowedServers: ['https://ehr.example.org'] });
    expect(build('https://other.example.org/fhir')).toThrow(FhirAccessError);
    expect(build('https://user:pw@ehr.example.org/fhir')).toThrow(FhirAccessError);
    expect(build('not a url')).toThrow(FhirAccessError);
  });

  test('reports a non-JSON body as an invalid response', async () => {
    nock('https://ehr.example.org').get('/fhir/Patient/p1').reply(200, 'hello', { 'content-type': 'text/plain' });
    await expect(reader().read('Patient/p1')).rejects.toEqual(new FhirAccessError('invalid-response'));
  });
});

test('isUnderBase compares origin and path segments', () => {
  const base = new URL('https://ehr.example.org/fhir');
  expect(isUnderBase(new URL('https://ehr.example.org/fhir/Patient/1'), base)).toBe(true);
  expect(isUnderBase(new URL('https://ehr.example.org/fhirx/Patient/1'), base)).toBe(false);
  expect(isUnderBase(new URL('http://ehr.example.org/fhir/Patient/1'), base)).toBe(false);
});
