/**
 * The security layer in the real app: authentication in createApp's `authenticate` slot, the SSRF
 * guard in its `checkOutboundUrl` slot, and the body limits createApp applies. Network access is
 * disabled (nock); each SSRF test asserts that the target was never contacted.
 */
import nock from 'nock';
import request from 'supertest';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { createAuthenticator } from '../../src/auth/authenticate.js';
import { createOutboundGuard, type LookupAll } from '../../src/fhir/outbound-guard.js';
import { createLogCapture, type LogCapture } from '../support/log-capture.js';
import { buildApp, fhirAuthorization, PATIENT, patientViewBody, PATIENT_ID } from './support/app-harness.js';
import { AUDIENCE, ISS, makeKey, NOW, signHookJwt, type SigningKey } from './support/jwt-fixtures.js';
import { startNetGuard, type NetGuard } from './support/net-guard.js';

const HOOK = '/cds-services/crs-patient-view';
const FHIR_ORIGIN = 'http://127.0.0.1:58123';
const METADATA = 'http://169.254.169.254';

let es: SigningKey;
let rs: SigningKey;
let net: NetGuard;
let logs: LogCapture;

beforeAll(async () => {
  es = await makeKey('ES384', 'ehr-es');
  rs = await makeKey('RS384', 'ehr-rs');
});
beforeEach(() => {
  net = startNetGuard();
  logs = createLogCapture();
});
afterEach(() => net.stop());

const outcomeOf = (text: string): { resourceType: string; issue: unknown[] } =>
  JSON.parse(text) as { resourceType: string; issue: unknown[] };

const expectOutcome = (res: request.Response, status: number): void => {
  expect(res.status).toBe(status);
  expect(outcomeOf(res.text).resourceType).toBe('OperationOutcome');
};

describe('authentication through createApp', () => {
  const securedApp = () =>
    buildApp({
      logger: logs.logger,
      authenticate: createAuthenticator(
        { audience: AUDIENCE, trustedIssuers: [{ iss: ISS, jwks: { keys: [es.publicJwk, rs.publicJwk] } }] },
        { logger: logs.logger, now: () => NOW },
      ),
    });

  const discoveryApp = (requireOnDiscovery: boolean) =>
    buildApp({
      logger: logs.logger,
      authenticate: createAuthenticator(
        { audience: AUDIENCE, trustedIssuers: [{ iss: ISS, jwks: { keys: [es.publicJwk] } }], requireOnDiscovery },
        { logger: logs.logger, now: () => NOW, requireOnDiscovery },
      ),
    });

  test('leaves discovery public by default: no token needed', async () => {
    const res = await request(discoveryApp(false)).get('/cds-services').expect(200);
    expect(res.body.services.map((s: { id: string }) => s.id)).toContain('crs-patient-view');
  });

  test('with auth.requireOnDiscovery, refuses discovery without a token and serves it with one', async () => {
    const app = discoveryApp(true);
    expectOutcome(await request(app).get('/cds-services'), 401);
    const token = await signHookJwt(es, `${AUDIENCE}`);
    const res = await request(app).get('/cds-services').set('authorization', `Bearer ${token}`).expect(200);
    expect(res.body.services.map((s: { id: string }) => s.id)).toContain('crs-patient-view');
  });

  test('refuses a hook call without a token with the 401 OperationOutcome', async () => {
    const res = await request(securedApp()).post(HOOK).send(patientViewBody());
    expect(res.status).toBe(401);
    expect(outcomeOf(res.text)).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'login', diagnostics: 'Authentication failed', expression: ['http.Authorization'] }],
    });
  });

  test.each(['ES384', 'RS384'])('answers a hook call carrying a valid %s token', async (alg) => {
    const token = await signHookJwt(alg === 'ES384' ? es : rs, `${AUDIENCE}/crs-patient-view`);
    const res = await request(securedApp()).post(HOOK).set('Authorization', `Bearer ${token}`).send(patientViewBody());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ cards: [] });
  });

  test('refuses feedback without a token', async () => {
    const res = await request(securedApp()).post(`${HOOK}/feedback`).send({ feedback: [] });
    expectOutcome(res, 401);
  });

  test('answers a CORS preflight without a token', async () => {
    const res = await request(securedApp())
      .options(HOOK)
      .set('Origin', 'https://ehr.example.org')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-headers']).toMatch(/authorization/i);
  });

  test('does not parse or log the body of an unauthenticated call', async () => {
    await request(securedApp()).post(HOOK).send(patientViewBody());
    expect(logs.linesContaining(PATIENT_ID)).toEqual([]);
  });
});

describe('hostile bodies through createApp', () => {
  test('answers 413 to a body above http.bodyLimitBytes', async () => {
    const app = buildApp({ logger: logs.logger, config: { http: { ...DEFAULT_CONFIG.http, bodyLimitBytes: 2048 } } });
    const res = await request(app).post(HOOK).send(patientViewBody({ padding: 'x'.repeat(4096) }));
    expectOutcome(res, 413);
  });

  test('answers 400 to a body nested 10 000 deep', async () => {
    const res = await request(buildApp({ logger: logs.logger }))
      .post(HOOK)
      .type('json')
      .send(`{"hook":"patient-view","context":${'['.repeat(10_000)}${']'.repeat(10_000)}}`);
    expectOutcome(res, 400);
  });

  test('answers 400 to a feedback body nested deeper than the limit, parsed or not', async () => {
    const deep = `{"feedback":[{"card":"c","outcome":"accepted","extension":${'['.repeat(100)}${']'.repeat(100)}}]}`;
    const res = await request(buildApp({ logger: logs.logger })).post(`${HOOK}/feedback`).type('json').send(deep);
    expectOutcome(res, 400);
    expect(JSON.parse(res.text).issue[0].diagnostics).toBe('Request body nests too deeply');
  });

  test('answers 400 to malformed JSON', async () => {
    const res = await request(buildApp({ logger: logs.logger })).post(HOOK).type('json').send('{"hook": "patient-view",');
    expectOutcome(res, 400);
  });

  test('answers 413 to more prefetch keys than any service declares', async () => {
    const prefetch = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, null]));
    const res = await request(buildApp({ logger: logs.logger })).post(HOOK).send(patientViewBody({ prefetch }));
    expectOutcome(res, 413);
  });
});

describe('outbound requests (SSRF)', () => {
  const emptySearch = { resourceType: 'Bundle', type: 'searchset', entry: [] };
  /** A hook call with no prefetch: every key must come from `fhirServer`. */
  const fetchingBody = (fhirServer: string) => patientViewBody({ prefetch: undefined, fhirServer, fhirAuthorization: fhirAuthorization() });
  const appWith = (allowedServers: readonly string[], lookup: LookupAll = async () => [{ address: '203.0.113.10' }]) =>
    buildApp({
      logger: logs.logger,
      config: { fhir: { ...DEFAULT_CONFIG.fhir, allowedServers } },
      checkOutboundUrl: createOutboundGuard(allowedServers, { lookup }),
    });
  const metadataTrap = () => nock(METADATA).get(/.*/).reply(200, { secret: 'instance-credentials' });

  test('fetches from an allowlisted FHIR server (control: the harness sees real fetches)', async () => {
    const fhir = nock(FHIR_ORIGIN)
      .get(`/fhir/Patient/${PATIENT_ID}`)
      .reply(200, PATIENT)
      .get(/\/fhir\/(Observation|MedicationAdministration|Condition)\?.*/)
      .times(6)
      .reply(200, emptySearch);
    const res = await request(appWith(DEFAULT_CONFIG.fhir.allowedServers)).post(HOOK).send(fetchingBody(`${FHIR_ORIGIN}/fhir`));
    expect(res.status).toBe(200);
    expect(fhir.isDone()).toBe(true);
  });

  test('never contacts a fhirServer that is not allowlisted', async () => {
    const evil = nock('https://evil.example').get(/.*/).reply(200, PATIENT);
    const res = await request(appWith(DEFAULT_CONFIG.fhir.allowedServers)).post(HOOK).send(fetchingBody('https://evil.example/fhir'));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(evil.isDone()).toBe(false);
    expect(net.unmatchedHosts()).toEqual([]);
  });

  test('does not follow a redirect from the FHIR server to the metadata endpoint', async () => {
    let redirects = 0;
    nock(FHIR_ORIGIN)
      .get(/.*/)
      .times(7)
      .reply(() => {
        redirects += 1;
        return [302, '', { Location: `${METADATA}/latest/meta-data/iam/security-credentials/` }];
      });
    const trap = metadataTrap();
    const res = await request(appWith(DEFAULT_CONFIG.fhir.allowedServers)).post(HOOK).send(fetchingBody(`${FHIR_ORIGIN}/fhir`));
    expect(res.status).toBe(412);
    expect(redirects).toBeGreaterThan(0);
    expect(trap.isDone()).toBe(false);
    expect(net.unmatchedHosts()).toEqual([]);
  });

  test('does not follow a next link to another server', async () => {
    const foreignPage = { ...emptySearch, link: [{ relation: 'next', url: 'https://evil.example/fhir/Observation?page=2' }] };
    let pagesServed = 0;
    nock(FHIR_ORIGIN)
      .get(`/fhir/Patient/${PATIENT_ID}`)
      .reply(200, PATIENT)
      .get(/\/fhir\/(Observation|MedicationAdministration|Condition)\?.*/)
      .times(6)
      .reply(() => {
        pagesServed += 1;
        return [200, foreignPage];
      });
    const evil = nock('https://evil.example').get(/.*/).times(10).reply(200, emptySearch);
    await request(appWith(DEFAULT_CONFIG.fhir.allowedServers)).post(HOOK).send(fetchingBody(`${FHIR_ORIGIN}/fhir`));
    expect(pagesServed).toBeGreaterThan(0);
    expect(evil.isDone()).toBe(false);
    expect(net.unmatchedHosts()).toEqual([]);
  });

  test('never contacts the metadata address even when it is allowlisted', async () => {
    const trap = metadataTrap();
    const res = await request(appWith([`${METADATA}:*`])).post(HOOK).send(fetchingBody(`${METADATA}/fhir`));
    expect(res.status).toBe(412);
    expect(trap.isDone()).toBe(false);
    expect(net.unmatchedHosts()).toEqual([]);
  });

  test('never contacts an allowlisted name that resolves to 169.254.169.254', async () => {
    const internal = nock('http://fhir.internal.example').get(/.*/).reply(200, PATIENT);
    const res = await request(appWith(['http://fhir.internal.example:*'], async () => [{ address: '169.254.169.254' }]))
      .post(HOOK)
      .send(fetchingBody('http://fhir.internal.example/fhir'));
    expect(res.status).toBe(412);
    expect(internal.isDone()).toBe(false);
    expect(net.unmatchedHosts()).toEqual([]);
    expect(logs.linesContaining('fhir.internal.example')).toEqual([]);
  });
});
