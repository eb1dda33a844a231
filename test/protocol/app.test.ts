import nock from 'nock';
import request from 'supertest';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createApp, type AppDeps } from '../../src/protocol/app.js';
import type { RuntimeSnapshot } from '../../src/protocol/runtime.js';
import { openSqliteFeedbackStore } from '../../src/storage/sqlite-feedback-store.js';
import {
  EHR_BASE,
  EVALUATED_AT,
  PATIENT_ID,
  fhirAuthorization,
  memoryLogger,
  nullPrefetch,
  orderSelectRequest,
  orderSignRequest,
  patientViewRequest,
  recordingSnapshot,
  searchset,
  testConfig,
} from '../support/hook-requests.js';

function buildApp(snapshot: RuntimeSnapshot = recordingSnapshot(), extra: Partial<AppDeps> = {}) {
  const { logger, lines } = memoryLogger();
  const feedbackStore = openSqliteFeedbackStore(':memory:');
  const app = createApp({ runtime: () => snapshot, logger, feedbackStore, now: () => EVALUATED_AT, ...extra });
  return { app, lines, feedbackStore };
}

const outcome = (code: string, diagnostics: string, expression?: string[]) => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code, diagnostics, ...(expression === undefined ? {} : { expression }) }],
});

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => {
  nock.cleanAll();
});

describe('discovery', () => {
  test('lists the enabled services with their prefetch templates and no internal fields', async () => {
    const res = await request(buildApp().app).get('/cds-services').expect(200);
    expect(res.body.services.map((s: { id: string; hook: string }) => [s.id, s.hook])).toEqual([
      ['crs-patient-view', 'patient-view'],
      ['crs-order-select', 'order-select'],
      ['crs-order-sign', 'order-sign'],
    ]);
    const [first] = res.body.services as Record<string, unknown>[];
    expect(Object.keys(first ?? {}).sort()).toEqual(['description', 'hook', 'id', 'prefetch', 'title', 'usageRequirements']);
    expect((first?.prefetch as Record<string, unknown>).patient).toBe('Patient/{{context.patientId}}');
    expect(JSON.stringify(res.body)).not.toContain('onFailure');
  });

  test('leaves out a service disabled in config.services.enabled', async () => {
    const config = testConfig();
    const snapshot = recordingSnapshot({ ...config, services: { enabled: { 'crs-patient-view': true, 'crs-order-select': false } } });
    const res = await request(buildApp(snapshot).app).get('/cds-services').expect(200);
    expect(res.body.services.map((s: { id: string }) => s.id)).toEqual(['crs-patient-view']);
    await request(buildApp(snapshot).app).post('/cds-services/crs-order-select').send(orderSelectRequest()).expect(404);
  });
});

describe('hook calls', () => {
  test('hands the engine the prefetched resources and answers its cards and extension unchanged', async () => {
    const response = {
      cards: [{ uuid: 'c0a8e5f6-5b1a-4f7e-9a0b-0d5c1f2e3a4b', summary: 'Résumé ✓ 日本語', indicator: 'info', source: { label: 'crs-cds' } }],
      extension: { 'crs-cds.assessment': { scale: 'ASTCT-2019', indeterminate: true } },
    };
    const snapshot = recordingSnapshot(testConfig(), response);
    const patient = { resourceType: 'Patient', id: PATIENT_ID, name: [{ text: 'Zoë Ünïcödé 患者' }] };
    const res = await request(buildApp(snapshot).app)
      .post('/cds-services/crs-patient-view')
      .send(patientViewRequest({ prefetch: nullPrefetch({ patient }), extension: { 'com.example.unknown': 1 } }))
      .expect(200);
    expect(res.body).toEqual(response);
    expect(snapshot.inputs).toHaveLength(1);
    expect(snapshot.inputs[0]).toEqual({
      service: snapshot.services[0],
      context: { userId: 'Practitioner/prac-1', patientId: PATIENT_ID },
      resources: [patient],
      evaluatedAt: EVALUATED_AT,
      // The origin called, for the timeline link (issue 12): supertest listens on 127.0.0.1.
      origin: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    });
  });

  test('answers {"cards": []} for order-select when the engine has nothing to say', async () => {
    const res = await request(buildApp().app).post('/cds-services/crs-order-select').send(orderSelectRequest({ prefetch: nullPrefetch() })).expect(200);
    expect(res.body).toEqual({ cards: [] });
  });

  test('answers 404 for an unknown service', async () => {
    const res = await request(buildApp().app).post('/cds-services/nope').send(patientViewRequest()).expect(404);
    expect(res.body).toEqual(outcome('not-found', 'Unknown CDS service'));
  });

  test('answers 400 when hook does not match the service', async () => {
    const res = await request(buildApp().app)
      .post('/cds-services/crs-patient-view')
      .send({ ...orderSelectRequest({ prefetch: nullPrefetch() }) })
      .expect(400);
    expect(res.body).toEqual(outcome('invalid', 'hook: service crs-patient-view answers patient-view', ['hook']));
    const other = await request(buildApp().app).post('/cds-services/crs-order-select').send(patientViewRequest()).expect(400);
    expect(other.body).toEqual(outcome('invalid', 'hook: service crs-order-select answers order-select', ['hook']));
  });

  test.each([
    [{ hookInstance: 'not-a-uuid' }, 'hookInstance'],
    [{ context: { userId: 'Practitioner/1' } }, 'context.patientId'],
    [{ context: { userId: 'Bob', patientId: 'p' } }, 'context.userId'],
    [{ fhirServer: EHR_BASE, fhirAuthorization: { ...fhirAuthorization(), token_type: 'MAC' } }, 'fhirAuthorization.token_type'],
    [{ fhirAuthorization: fhirAuthorization() }, 'fhirServer'], // a token with no server to use it on
    [{ fhirServer: 'ftp://ehr.example.org' }, 'fhirServer'],
  ])('answers 400 naming the bad field for %j', async (patch, field) => {
    const res = await request(buildApp().app).post('/cds-services/crs-patient-view').send(patientViewRequest(patch)).expect(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0].expression).toEqual([field]);
  });

  test.each([
    [{ draftOrders: undefined }, 'context.draftOrders', 'context.draftOrders: must have required property \'draftOrders\''],
    [{ draftOrders: { resourceType: 'Parameters' } }, 'context.draftOrders.resourceType', 'context.draftOrders.resourceType: must be equal to constant'],
    [{ patientId: undefined }, 'context.patientId', 'context.patientId: must have required property \'patientId\''],
  ])('answers crs-order-sign 400 with an OperationOutcome naming the field for %j', async (patch, field, diagnostics) => {
    const body = orderSignRequest({ prefetch: nullPrefetch() }) as { context: Record<string, unknown> };
    const { app } = buildApp();
    const res = await request(app).post('/cds-services/crs-order-sign').send({ ...body, context: { ...body.context, ...patch } }).expect(400);
    expect(res.body).toEqual(outcome('invalid', diagnostics, [field]));
    const good = await request(app).post('/cds-services/crs-order-sign').send(body).expect(200);
    expect(good.body).toEqual({ cards: [] });
  });

  test('answers 400 for malformed JSON and 413 for a body over http.bodyLimitBytes', async () => {
    const small = recordingSnapshot(testConfig({ http: { bodyLimitBytes: 1024 } }));
    const { app } = buildApp(small);
    const bad = await request(app).post('/cds-services/crs-patient-view').set('content-type', 'application/json').send('{"hook": ').expect(400);
    expect(bad.body).toEqual(outcome('structure', 'Request body is not valid JSON'));
    const big = await request(app)
      .post('/cds-services/crs-patient-view')
      .send(patientViewRequest({ extension: { pad: 'x'.repeat(2048) } }))
      .expect(413);
    expect(big.body).toEqual(outcome('too-costly', 'Request body too large'));
  });

  test('answers 412 when required data is neither prefetched nor fetchable (no fhirServer)', async () => {
    const res = await request(buildApp().app).post('/cds-services/crs-patient-view').send(patientViewRequest()).expect(412);
    expect(res.body).toEqual(outcome('incomplete', 'Service crs-patient-view: prefetch key "patient" could neither be prefetched nor fetched', ['prefetch.patient']));
  });

  test('fetches missing keys from the FHIR server with the token and never logs it or the data', async () => {
    const patient = { resourceType: 'Patient', id: PATIENT_ID, name: [{ family: 'Secret' }] };
    const scope = nock('https://ehr.example.org')
      .get(`/fhir/Patient/${PATIENT_ID}`)
      .matchHeader('authorization', 'Bearer super-secret-token')
      .reply(200, patient);
    const snapshot = recordingSnapshot();
    const { app, lines } = buildApp(snapshot);
    const prefetch = nullPrefetch();
    delete prefetch.patient;
    await request(app)
      .post('/cds-services/crs-patient-view')
      .set('authorization', 'Bearer ehr-jwt')
      .send(patientViewRequest({ fhirServer: EHR_BASE, fhirAuthorization: fhirAuthorization('super-secret-token'), prefetch }))
      .expect(200);
    expect(scope.isDone()).toBe(true);
    expect(snapshot.inputs[0]?.resources).toEqual([patient]);
    const log = lines.join('');
    expect(log).toContain('"service":"crs-patient-view"');
    expect(log).toContain('d1577c69-dfbe-44ad-ba6d-3e05e953b2ea');
    for (const secret of ['super-secret-token', 'ehr-jwt', 'Secret', PATIENT_ID]) {
      expect(log).not.toContain(secret);
    }
  });

  test('never contacts an http fhirServer that is not allowlisted', async () => {
    const scope = nock('http://ehr.example.org').get(/.*/).reply(200, {});
    await request(buildApp().app)
      .post('/cds-services/crs-patient-view')
      .send(patientViewRequest({ fhirServer: 'http://ehr.example.org/fhir', prefetch: { ...nullPrefetch(), patient: undefined } }))
      .expect(412);
    expect(scope.isDone()).toBe(false);
  });

  test.each([
    ['401', () => nock('https://ehr.example.org').get(/.*/).reply(401, { resourceType: 'OperationOutcome' })],
    ['500', () => nock('https://ehr.example.org').get(/.*/).reply(500, 'Jane Doe stack trace')],
    ['malformed JSON', () => nock('https://ehr.example.org').get(/.*/).reply(200, '{"resourceType":', { 'content-type': 'application/fhir+json' })],
    ['a redirect', () => nock('https://ehr.example.org').get(/.*/).reply(301, '', { location: 'https://evil.example.org/' })],
  ])('answers 412 with a fixed OperationOutcome when the FHIR server answers %s', async (_name, setUp) => {
    setUp();
    const evil = nock('https://evil.example.org').get(/.*/).reply(200, {});
    const res = await request(buildApp().app)
      .post('/cds-services/crs-patient-view')
      .send(patientViewRequest({ fhirServer: EHR_BASE, fhirAuthorization: fhirAuthorization(), prefetch: { ...nullPrefetch(), patient: undefined } }))
      .expect(412);
    expect(res.body).toEqual(outcome('incomplete', 'Service crs-patient-view: prefetch key "patient" could neither be prefetched nor fetched', ['prefetch.patient']));
    expect(evil.isDone()).toBe(false);
  });

  test('does not follow a foreign next link of a prefetched Bundle', async () => {
    const evil = nock('https://evil.example.org').get(/.*/).reply(200, searchset([]));
    const own = nock('https://ehr.example.org').get('/fhir/Observation').query(true).reply(200, searchset([]));
    const snapshot = recordingSnapshot();
    await request(buildApp(snapshot).app)
      .post('/cds-services/crs-patient-view')
      .send(
        patientViewRequest({
          fhirServer: EHR_BASE,
          fhirAuthorization: fhirAuthorization(),
          prefetch: nullPrefetch({ temperature: searchset([], 'https://evil.example.org/fhir/Observation?page=2') }),
        }),
      )
      .expect(200);
    expect(evil.isDone()).toBe(false);
    expect(own.isDone()).toBe(true);
  });

  test('answers 412 within the FHIR budget when the FHIR server hangs', async () => {
    nock('https://ehr.example.org').get(/.*/).delay(10_000).reply(200, {});
    const snapshot = recordingSnapshot(testConfig({ fhir: { timeoutMs: 200 } }));
    const res = await request(buildApp(snapshot).app)
      .post('/cds-services/crs-patient-view')
      .send(patientViewRequest({ fhirServer: EHR_BASE, prefetch: { ...nullPrefetch(), patient: undefined } }))
      .expect(412);
    expect(res.body.issue[0].code).toBe('incomplete');
    expect(snapshot.inputs).toEqual([]);
  });

  test('answers 500 with a generic OperationOutcome when the engine returns a malformed response', async () => {
    const snapshot = recordingSnapshot(testConfig(), { cards: [{ summary: 'no indicator' }] });
    const res = await request(buildApp(snapshot).app).post('/cds-services/crs-patient-view').send(patientViewRequest({ prefetch: nullPrefetch() })).expect(500);
    expect(res.body).toEqual(outcome('exception', 'Service crs-patient-view produced a malformed response'));
  });

  test('answers 500 without a stack trace when the engine throws', async () => {
    const snapshot = { ...recordingSnapshot(), evaluate: () => { throw new Error('boom at /secret/path'); } };
    const res = await request(buildApp(snapshot).app).post('/cds-services/crs-patient-view').send(patientViewRequest({ prefetch: nullPrefetch() })).expect(500);
    expect(res.body).toEqual(outcome('exception', 'Internal server error'));
  });

  test('reads the runtime once per request', async () => {
    let reads = 0;
    const snapshot = recordingSnapshot();
    const { logger } = memoryLogger();
    const app = createApp({ runtime: () => { reads += 1; return snapshot; }, logger, feedbackStore: openSqliteFeedbackStore(':memory:') });
    const before = reads;
    await request(app).post('/cds-services/crs-patient-view').send(patientViewRequest({ prefetch: nullPrefetch() })).expect(200);
    expect(reads - before).toBe(1);
  });
});

describe('CORS and authentication', () => {
  test('answers a CORS preflight before authentication, which guards hook, feedback and discovery calls', async () => {
    const deny: AppDeps['authenticate'] = (_req, res) => {
      res.status(401).json({ denied: true });
    };
    const { app } = buildApp(undefined, { authenticate: deny });
    const res = await request(app)
      .options('/cds-services/crs-patient-view')
      .set('origin', 'https://ehr.example.org')
      .set('access-control-request-method', 'POST')
      .expect(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    await request(app).post('/cds-services/crs-patient-view').send(patientViewRequest()).expect(401);
    await request(app).post('/cds-services/crs-patient-view/feedback').send({ feedback: [] }).expect(401);
    // The authenticator itself lets discovery through unless auth.requireOnDiscovery (test/security).
    await request(app).get('/cds-services').expect(401);
  });

  test('allows only the configured origins', async () => {
    const snapshot = recordingSnapshot(testConfig({ http: { corsOrigins: ['https://ehr.example.org'] } }));
    const res = await request(buildApp(snapshot).app).get('/cds-services').set('origin', 'https://evil.example.org').expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('feedback', () => {
  const accepted = {
    card: 'c0a8e5f6-5b1a-4f7e-9a0b-0d5c1f2e3a4b',
    outcome: 'accepted',
    acceptedSuggestions: [{ id: 'e56e1945-20b3-4393-8503-a1a20fd73152' }],
    outcomeTimestamp: '2026-11-21T10:05:00Z',
  };
  const overridden = {
    card: 'c0a8e5f6-5b1a-4f7e-9a0b-0d5c1f2e3a4b',
    outcome: 'overridden',
    overrideReason: { reason: { code: 'not-crs', system: 'https://crs-cds.example.org/override', display: 'Not CRS' }, userComment: 'sepsis' },
    outcomeTimestamp: '2026-11-21T10:06:00Z',
  };

  test('stores valid feedback, answers 200 and counts outcomes and override reasons', async () => {
    const { app, feedbackStore } = buildApp();
    await request(app).post('/cds-services/crs-patient-view/feedback').send({ feedback: [accepted, overridden] }).expect(200);
    expect(await feedbackStore.list('crs-patient-view')).toEqual([
      { serviceId: 'crs-patient-view', receivedAt: EVALUATED_AT.toISOString(), entry: accepted },
      { serviceId: 'crs-patient-view', receivedAt: EVALUATED_AT.toISOString(), entry: overridden },
    ]);
    const metrics = await request(app).get('/metrics').expect(200);
    expect(metrics.text).toContain('crs_cds_feedback_total{service="crs-patient-view",outcome="accepted",reason="none"} 1');
    expect(metrics.text).toContain('crs_cds_feedback_total{service="crs-patient-view",outcome="overridden",reason="not-crs"} 1');
  });

  test.each([
    [{ feedback: [{ ...accepted, acceptedSuggestions: undefined }] }, 'feedback[0].acceptedSuggestions'],
    [{ feedback: [{ ...accepted, outcome: 'ignored' }] }, 'feedback[0].outcome'],
    [{ feedback: [{ ...accepted, card: 'x' }] }, 'feedback[0].card'],
    [{ feedback: [{ ...overridden, outcomeTimestamp: 'yesterday' }] }, 'feedback[0].outcomeTimestamp'],
    [{}, 'feedback'],
  ])('answers 400 and stores nothing for %j', async (body, field) => {
    const { app, feedbackStore } = buildApp();
    const res = await request(app).post('/cds-services/crs-patient-view/feedback').send(body).expect(400);
    expect(res.body.issue[0].expression).toEqual([field]);
    expect(await feedbackStore.list('crs-patient-view')).toEqual([]);
  });

  test('answers 404 for feedback to an unknown service', async () => {
    await request(buildApp().app).post('/cds-services/nope/feedback').send({ feedback: [accepted] }).expect(404);
  });
});

describe('operations', () => {
  test('/readyz also asks the injected readiness check', async () => {
    const { app } = buildApp(undefined, { isReady: async () => false });
    expect((await request(app).get('/readyz').expect(503)).body).toEqual({ status: 'not ready', authentication: { enabled: false, trustedIssuers: 0 } });
  });

  test('answers /healthz and /readyz, and /readyz fails when storage does not answer', async () => {
    const { app, feedbackStore } = buildApp();
    expect((await request(app).get('/healthz').expect(200)).body).toEqual({ status: 'ok' });
    expect((await request(app).get('/readyz').expect(200)).body).toEqual({ status: 'ready', authentication: { enabled: false, trustedIssuers: 0 } });
    await feedbackStore.close();
    expect((await request(app).get('/readyz').expect(503)).body).toEqual({ status: 'not ready', authentication: { enabled: false, trustedIssuers: 0 } });
  });

  test('exposes request counts and latency by service and status, and FHIR read failures', async () => {
    nock('https://ehr.example.org').get(/.*/).reply(500);
    const { app } = buildApp();
    await request(app).post('/cds-services/crs-patient-view').send(patientViewRequest({ prefetch: nullPrefetch() })).expect(200);
    await request(app)
      .post('/cds-services/crs-patient-view')
      .send(patientViewRequest({ fhirServer: EHR_BASE, prefetch: { ...nullPrefetch(), patient: undefined } }))
      .expect(412);
    const res = await request(app).get('/metrics').expect(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toContain('crs_cds_http_requests_total{service="crs-patient-view",method="POST",status="200"} 1');
    expect(res.text).toContain('crs_cds_http_requests_total{service="crs-patient-view",method="POST",status="412"} 1');
    expect(res.text).toContain('crs_cds_http_request_duration_seconds_count{service="crs-patient-view",status="200"} 1');
    expect(res.text).toContain('crs_cds_fhir_read_failures_total{outcome="http_500"} 1');
  });

  test('logs and counts the grade and number of cards of each answer, never the patient', async () => {
    const graded = { cards: [], extension: { 'crs-cds.assessment': { grade: 2 } } };
    const { app, lines } = buildApp(recordingSnapshot(testConfig(), graded));
    await request(app).post('/cds-services/crs-patient-view').send(patientViewRequest({ prefetch: nullPrefetch() })).expect(200);

    await request(app).post('/cds-services/crs-patient-view').send(patientViewRequest({ prefetch: nullPrefetch() })).expect(200);
    const completed = lines.map((line) => JSON.parse(line)).filter((r) => r.msg === 'request completed');
    expect(completed[0]).toMatchObject({ service: 'crs-patient-view', grade: '2', cards: 0, req: { id: patientViewRequest().hookInstance } });
    // The patient only as a keyed hash: the same patient gives the same hash within the process.
    expect(completed[0].patientHash).toMatch(/^[0-9a-f]{16}$/);
    expect(completed[1].patientHash).toBe(completed[0].patientHash);
    expect(lines.join('\n')).not.toContain(String((patientViewRequest().context as { patientId: string }).patientId));
    const metrics = await request(app).get('/metrics').expect(200);
    expect(metrics.text).toContain('crs_cds_assessments_total{service="crs-patient-view",grade="2"} 2');

    const { app: unmonitored } = buildApp(); // answers { cards: [] } with no assessment
    await request(unmonitored).post('/cds-services/crs-patient-view').send(patientViewRequest({ prefetch: nullPrefetch() })).expect(200);
    const unmonitoredMetrics = await request(unmonitored).get('/metrics').expect(200);
    expect(unmonitoredMetrics.text).toContain('crs_cds_assessments_total{service="crs-patient-view",grade="unmonitored"} 1');
  });

  test('sets helmet headers and answers unknown paths with a 404 OperationOutcome', async () => {
    const res = await request(buildApp().app).get('/nowhere').expect(404);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body).toEqual(outcome('not-found', 'Not found'));
  });
});

test('a prefetched Bundle of the EHR is flattened for the engine', async () => {
  const snapshot = recordingSnapshot();
  const obs = { resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 't' } };
  await request(buildApp(snapshot).app)
    .post('/cds-services/crs-patient-view')
    .send(patientViewRequest({ prefetch: nullPrefetch({ temperature: searchset([obs as never]) }) }))
    .expect(200);
  expect(snapshot.inputs[0]?.resources).toEqual([obs]);
});

describe('readiness shows whether EHR authentication is on', () => {
  test('/readyz reports the number of trusted issuers when authentication is configured', async () => {
    const config = {
      ...testConfig(),
      auth: { audience: 'https://cds.example.org/cds-services', trustedIssuers: [{ iss: 'https://ehr.example.org', jwks: { keys: [] } }] },
    };
    const { app } = buildApp(recordingSnapshot(config));
    expect((await request(app).get('/readyz').expect(200)).body).toEqual({
      status: 'ready',
      authentication: { enabled: true, trustedIssuers: 1 },
    });
  });
});
