/**
 * Drives a realistic mix of calls through the real app with the service's own logger (createLogger,
 * with its redaction) writing into memory, then scans every line for the secrets and PHI of the
 * calls: the FHIR access token, every JWT presented, the patient id, name and identifier.
 */
import nock from 'nock';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { createAuthenticator } from '../../src/auth/authenticate.js';
import { createOutboundGuard } from '../../src/fhir/outbound-guard.js';
import { createLogger } from '../../src/logger.js';
import { captureOf, createCaptureStream, type LogCapture } from '../support/log-capture.js';
import {
  ACCESS_TOKEN,
  buildApp,
  fhirAuthorization,
  PATIENT,
  PATIENT_ID,
  PATIENT_MRN,
  PATIENT_NAME,
  patientViewBody,
} from './support/app-harness.js';
import { AUDIENCE, ISS, makeKey, NOW, NOW_S, signHookJwt, tamperPayload } from './support/jwt-fixtures.js';
import { startNetGuard, type NetGuard } from './support/net-guard.js';

const HOOK = '/cds-services/crs-patient-view';
const FHIR = 'http://127.0.0.1:58124/fhir';
const phiOutcome = {
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: 'processing', diagnostics: `Patient ${PATIENT_NAME} (${PATIENT_MRN}, ${PATIENT_ID}) is locked` }],
};

let capture: LogCapture;
let net: NetGuard;
const jwts: string[] = [];
const statuses: number[] = [];

beforeAll(async () => {
  net = startNetGuard();
  const stream = createCaptureStream();
  const logger = createLogger('trace', stream);
  capture = captureOf(stream.lines, logger);
  const key = await makeKey('ES384', 'ehr-es');
  const app = buildApp({
    logger,
    authenticate: createAuthenticator(
      { audience: AUDIENCE, trustedIssuers: [{ iss: ISS, jwks: { keys: [key.publicJwk] } }] },
      { logger, now: () => NOW },
    ),
    checkOutboundUrl: createOutboundGuard(DEFAULT_CONFIG.fhir.allowedServers),
  });
  const token = async (path = '/crs-patient-view'): Promise<string> => {
    const jwt = await signHookJwt(key, `${AUDIENCE}${path}`);
    jwts.push(jwt);
    return jwt;
  };
  const post = async (path: string, body: unknown, jwt?: string, raw = false): Promise<void> => {
    let req = request(app).post(path);
    if (jwt !== undefined) {
      req = req.set('Authorization', `Bearer ${jwt}`);
    }
    const res = raw ? await req.type('json').send(body as string) : await req.send(body as object);
    statuses.push(res.status);
  };

  // Valid, with prefetch.
  await post(HOOK, patientViewBody(), await token());
  // No token, then a tampered one, then a replayed one.
  await post(HOOK, patientViewBody());
  const tampered = tamperPayload(await token(), { iss: ISS, aud: `${AUDIENCE}/crs-patient-view`, iat: NOW_S, exp: NOW_S + 60, jti: PATIENT_ID });
  jwts.push(tampered);
  await post(HOOK, patientViewBody(), tampered);
  const once = await token();
  await post(HOOK, patientViewBody(), once);
  await post(HOOK, patientViewBody(), once);
  // Invalid: wrong hook, unknown service, malformed JSON holding PHI.
  await post(HOOK, patientViewBody({ hook: 'order-select' }), await token());
  await post('/cds-services/no-such-service', patientViewBody(), await token('/no-such-service'));
  await post(HOOK, `{"hook":"patient-view","context":{"patientId":"${PATIENT_ID}","name":"${PATIENT_NAME}"`, await token(), true);
  // FHIR errors whose bodies name the patient, and a next link carrying the patient id elsewhere.
  nock('http://127.0.0.1:58124')
    .get(`/fhir/Patient/${PATIENT_ID}`)
    .times(2)
    .reply(200, PATIENT)
    .get(/\/fhir\/Observation\?.*/)
    .times(8)
    .reply(500, phiOutcome)
    .get(/\/fhir\/(MedicationAdministration|Condition)\?.*/)
    .times(4)
    .reply(200, { resourceType: 'Bundle', type: 'searchset', link: [{ relation: 'next', url: `https://evil.example/fhir?patient=${PATIENT_ID}&name=${PATIENT_NAME}` }] });
  const fetching = patientViewBody({ prefetch: undefined, fhirServer: FHIR, fhirAuthorization: fhirAuthorization() });
  await post(HOOK, fetching, await token());
  // A fhirServer that is not allowlisted, with the patient id in its path.
  await post(HOOK, { ...fetching, fhirServer: `https://evil.example/fhir/${PATIENT_ID}` }, await token());
  // Feedback, valid and invalid.
  const feedback = { feedback: [{ card: 'c1', outcome: 'overridden', outcomeTimestamp: '2026-11-21T10:00:00Z', overrideReason: { userComment: `${PATIENT_NAME} refused` } }] };
  await post(`${HOOK}/feedback`, feedback, await token('/crs-patient-view/feedback'));
  await post(`${HOOK}/feedback`, { feedback: [{ card: PATIENT_NAME }] }, await token('/crs-patient-view/feedback'));
});
afterAll(() => net.stop());

describe('log scan', () => {
  test('the scenario exercised successes, refusals and FHIR failures', () => {
    expect(statuses).toContain(200);
    expect(statuses).toContain(401);
    expect(statuses).toContain(400);
    expect(statuses).toContain(404);
    expect(statuses).toContain(412);
    expect(capture.lines().length).toBeGreaterThan(10);
    const reasons = capture.records().map((record) => record['reason']);
    expect(reasons).toEqual(expect.arrayContaining(['missing bearer token', 'jti replayed']));
  });

  test.each([
    ['the FHIR access token', ACCESS_TOKEN],
    ['the patient id', PATIENT_ID],
    ['the patient name', PATIENT_NAME],
    ['the family name', PATIENT_NAME.split(' ')[1] as string],
    ['the given name', PATIENT_NAME.split(' ')[0] as string],
    ['the patient identifier', PATIENT_MRN],
  ])('no line contains %s', (_what, needle) => {
    expect(capture.linesContaining(needle)).toEqual([]);
  });

  test('no line contains any JWT presented, nor its signature', () => {
    expect(jwts.length).toBeGreaterThan(5);
    for (const jwt of jwts) {
      expect(capture.linesContaining(jwt)).toEqual([]);
      expect(capture.linesContaining(jwt.split('.')[2] as string)).toEqual([]);
    }
  });

  test('no line carries an authorization header or bearer value', () => {
    expect(capture.lines().filter((line) => /bearer\s+ey/i.test(line))).toEqual([]);
    expect(capture.lines().filter((line) => /"authorization":"(?!\[redacted\])/i.test(line))).toEqual([]);
  });
});
