/**
 * A `fhirServer` base at the server root is common in EHRs. The service joins every relative FHIR URL
 * onto the base with the URL API, so the request-target is `/Patient/...` (never `//Patient/...`, which
 * servers read as a host named "Patient"), whether the base is `http://host:port`, `http://host:port/`
 * or under a path, with or without a trailing slash. Each against a real FHIR search implementation.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { crsPatientView } from '../../hooks/crs-patient-view.js';
import { createApp } from '../../src/protocol/app.js';
import { openSqliteFeedbackStore } from '../../src/storage/sqlite-feedback-store.js';
import { startFhirServer, type TestFhirServer } from '../support/fhir-server.js';
import { EVALUATED_AT, fhirAuthorization, memoryLogger, patientViewRequest, recordingSnapshot, testConfig } from '../support/hook-requests.js';
import { listenOnLoopback, type Listening } from '../support/listen.js';
import { syntheticCrsPatient, SYNTHETIC_PATIENT_ID } from '../support/synthetic-patient.js';

let atRoot: TestFhirServer;
let underPath: TestFhirServer;
let service: Listening;
const snapshot = recordingSnapshot(testConfig({ fhir: { timeoutMs: 5_000 } }));

beforeAll(async () => {
  atRoot = await startFhirServer(syntheticCrsPatient(), { basePath: '' });
  underPath = await startFhirServer(syntheticCrsPatient(), { basePath: '/fhir/r4' });
  const app = createApp({ runtime: () => snapshot, logger: memoryLogger().logger, feedbackStore: openSqliteFeedbackStore(':memory:'), now: () => EVALUATED_AT });
  service = await listenOnLoopback(app);
});

afterAll(async () => {
  await service.close();
  await atRoot.close();
  await underPath.close();
});

describe.each([
  ['at the root, without a slash', () => atRoot, (base: string) => base],
  ['at the root, as "/"', () => atRoot, (base: string) => `${base}/`],
  ['under a path', () => underPath, (base: string) => base],
  ['under a path, with a trailing slash', () => underPath, (base: string) => `${base}/`],
])('a FHIR base %s', (_name, server, fhirServer) => {
  test('every prefetch key and the referenced Medication are fetched from it', async () => {
    const fhir = server();
    const before = fhir.requests.length;
    const inputs = snapshot.inputs.length;
    const res = await fetch(`${service.baseUrl}/cds-services/crs-patient-view`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(patientViewRequest({
        context: { userId: 'Practitioner/prac-1', patientId: SYNTHETIC_PATIENT_ID },
        fhirServer: fhirServer(fhir.baseUrl),
        fhirAuthorization: fhirAuthorization('e2e-token'),
      })),
    });
    expect(res.status).toBe(200);
    const requests = fhir.requests.slice(before);
    // One read per prefetch key plus the Medication the CAR-T administration references (E7).
    expect(requests).toHaveLength(Object.keys(crsPatientView.prefetch).length + 1);
    expect(requests.every((url) => /^\/(Patient|Observation|MedicationAdministration|Condition|Medication)[/?]/.test(url))).toBe(true);
    const resources = snapshot.inputs[inputs]?.resources ?? [];
    expect(resources.map((r) => r.resourceType)).toEqual(expect.arrayContaining(['Patient', 'Observation', 'MedicationAdministration', 'Medication', 'Condition']));
  });
});
