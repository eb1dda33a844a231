/**
 * End to end against a real FHIR search implementation (medplum fhir-router, in memory, on
 * 127.0.0.1): the real server (createApp + listen) resolves every prefetch template itself and hands
 * the engine exactly the resources an EHR would have prefetched.
 */
import type { Resource } from 'fhir/r4.js';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { crsPatientView } from '../../hooks/crs-patient-view.js';
import { fillPrefetchTemplate } from '../../src/fhir/prefetch-template.js';
import { createApp } from '../../src/protocol/app.js';
import { openSqliteFeedbackStore } from '../../src/storage/sqlite-feedback-store.js';
import { startFhirServer, type TestFhirServer } from '../support/fhir-server.js';
import { listenOnLoopback, type Listening } from '../support/listen.js';
import { EVALUATED_AT, fhirAuthorization, memoryLogger, patientViewRequest, recordingSnapshot, testConfig } from '../support/hook-requests.js';
import { syntheticCrsPatient, SYNTHETIC_PATIENT_ID } from '../support/synthetic-patient.js';

let fhir: TestFhirServer;
let service: Listening;
const snapshot = recordingSnapshot(testConfig({ fhir: { timeoutMs: 5_000 } }));

beforeAll(async () => {
  fhir = await startFhirServer(syntheticCrsPatient());
  const { logger } = memoryLogger();
  const app = createApp({ runtime: () => snapshot, logger, feedbackStore: openSqliteFeedbackStore(':memory:'), now: () => EVALUATED_AT });
  service = await listenOnLoopback(app);
});

afterAll(async () => {
  await service.close();
  await fhir.close();
});

const sortById = (resources: readonly Resource[]): Resource[] =>
  [...resources].sort((a, b) => `${a.resourceType}/${a.id}`.localeCompare(`${b.resourceType}/${b.id}`));

/** What an EHR would prefetch: each template run against the same FHIR server. */
async function ehrPrefetch(context: Record<string, unknown>): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    Object.entries(crsPatientView.prefetch).map(async ([key, template]) => {
      const url = fillPrefetchTemplate(template.query, context) as string;
      const res = await fetch(`${fhir.baseUrl}/${url}`);
      return [key, await res.json()] as const;
    }),
  );
  return Object.fromEntries(entries);
}

async function call(body: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${service.baseUrl}/cds-services/crs-patient-view`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

test('the service fetches every prefetch template itself and the engine sees what an EHR would prefetch', async () => {
  const context = { userId: 'Practitioner/prac-1', patientId: SYNTHETIC_PATIENT_ID };
  const fetched = await call(
    patientViewRequest({ context, fhirServer: fhir.baseUrl, fhirAuthorization: fhirAuthorization('e2e-token') }),
  );
  expect(fetched).toEqual({ status: 200, body: { cards: [] } });
  const requestsBySelf = fhir.requests.length;
  // one read per template, plus one Medication read (medplum ignores _include)
  expect(requestsBySelf).toBe(Object.keys(crsPatientView.prefetch).length + 1);
  expect(new Set(fhir.authorizations)).toEqual(new Set(['Bearer e2e-token']));

  const prefetched = await call(patientViewRequest({ context, prefetch: await ehrPrefetch(context), fhirServer: fhir.baseUrl }));
  expect(prefetched.status).toBe(200);
  // with the Medication read again from the server for the prefetched administrations
  expect(fhir.requests.length - requestsBySelf - Object.keys(crsPatientView.prefetch).length).toBe(1);

  const [bySelf, byEhr] = snapshot.inputs;
  expect(sortById(bySelf?.resources ?? [])).toEqual(sortById(byEhr?.resources ?? []));
  expect(sortById(bySelf?.resources ?? []).map((r) => `${r.resourceType}/${r.id}`)).toEqual(
    sortById(syntheticCrsPatient().filter((r) => r.id !== 'unrelated-obs' && r.id !== 'other-patient')).map((r) => `${r.resourceType}/${r.id}`),
  );
});
