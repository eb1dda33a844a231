/**
 * Fail closed (issue 13): when the shared PostgreSQL cannot be reached, a call with a valid token is
 * answered 503 with Retry-After, never accepted without its replay and rate-limit checks; feedback is
 * refused with 503 rather than lost silently; /readyz says not ready. When the database is back, so is
 * the service. The database is made unreachable for this file alone through a TCP proxy.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAuthenticator } from '../../src/auth/authenticate.js';
import { createReplayCache } from '../../src/auth/replay-cache.js';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import type { AuthConfig } from '../../src/config/types.js';
import { createApp } from '../../src/protocol/app.js';
import { StorageUnavailableError } from '../../src/storage/storage-unavailable.js';
import { openStorage, type Storage } from '../../src/storage/storage.js';
import { AUDIENCE, ISS, makeKey, NOW, signHookJwt, type SigningKey } from '../security/support/jwt-fixtures.js';
import { nullPrefetch, patientViewRequest, recordingSnapshot, testConfig } from '../support/hook-requests.js';
import { createLogCapture } from '../support/log-capture.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const VIEW = `${AUDIENCE}/crs-patient-view`;
const capture = createLogCapture();
const pool = { maxConnections: 4, connectionTimeoutMs: 500, statementTimeoutMs: 1000, idleTimeoutMs: 10_000 };
let database: TestDatabase;
let proxy: TcpProxy;
let storage: Storage;
let key: SigningKey;

beforeAll(async () => {
  database = await createTestDatabase();
  proxy = await startTcpProxy(Number(new URL(database.url).port));
  const viaProxy = new URL(database.url);
  viaProxy.port = String(proxy.port);
  storage = await openStorage({ ...DEFAULT_CONFIG.storage, kind: 'postgres', url: viaProxy.toString(), pool }, { env: {}, logger: capture.logger });
  key = await makeKey('ES384', 'k1');
});
afterAll(async () => {
  await storage.close();
  await proxy.close();
  await database.drop();
});

function appWith(authOverrides: Partial<AuthConfig>, stores: Pick<Storage, 'replayCache' | 'rateLimitStore'>) {
  const auth: AuthConfig = { audience: AUDIENCE, trustedIssuers: [{ iss: ISS, jwks: { keys: [key.publicJwk] } }], ...authOverrides };
  return createApp({
    runtime: () => recordingSnapshot(testConfig()),
    logger: capture.logger,
    feedbackStore: storage.feedback,
    now: () => NOW,
    authenticate: createAuthenticator(auth, { logger: capture.logger, now: () => NOW, ...stores }),
  });
}

const hookCall = async (app: ReturnType<typeof createApp>) =>
  request(app).post('/cds-services/crs-patient-view').set('Authorization', `Bearer ${await signHookJwt(key, VIEW)}`).send(patientViewRequest({ prefetch: nullPrefetch() }));

describe('with the database unreachable', () => {
  test('every store throws StorageUnavailableError, readiness is false, and all recover when it is back', async () => {
    await proxy.cut();
    try {
      await expect(storage.feedback.save('crs-patient-view', [{ card: randomUUID(), outcome: 'overridden', outcomeTimestamp: '2026-11-21T10:00:00Z' }], NOW)).rejects.toThrow(StorageUnavailableError);
      await expect(storage.replayCache.remember(`iss\n${randomUUID()}`, 2_000, 1_000)).rejects.toThrow(StorageUnavailableError);
      await expect(Promise.resolve(storage.rateLimitStore?.increment('issuer'))).rejects.toThrow(StorageUnavailableError);
      expect(await storage.ping()).toBe(false);
    } finally {
      await proxy.restore();
    }
    expect(await storage.ping()).toBe(true);
    expect(await storage.replayCache.remember(`iss\n${randomUUID()}`, 2_000, 1_000)).toBe('fresh');
  });

  test('a validly signed call is refused with 503 and Retry-After (replay check unavailable), then served again', async () => {
    const app = appWith({}, storage);
    expect((await hookCall(app)).status).toBe(200);
    await proxy.cut();
    try {
      const refused = await hookCall(app);
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.body).toEqual({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient', diagnostics: 'Storage unavailable, retry later' }] });
      const ready = await request(app).get('/readyz');
      expect(ready.status).toBe(503);
      const feedback = await request(app)
        .post('/cds-services/crs-patient-view/feedback')
        .set('Authorization', `Bearer ${await signHookJwt(key, `${VIEW}/feedback`)}`)
        .send({ feedback: [{ card: randomUUID(), outcome: 'overridden', outcomeTimestamp: '2026-11-21T10:00:00Z' }] });
      expect(feedback.status).toBe(503);
    } finally {
      await proxy.restore();
    }
    expect((await hookCall(app)).status).toBe(200);
    expect((await request(app).get('/readyz')).status).toBe(200);
  });

  test('the shared rate limit fails closed too: 503, not a call let through uncounted', async () => {
    // In-process replay cache, so only the rate-limit store depends on the database here.
    const app = appWith({ rateLimitPerMinute: 1000 }, { replayCache: createReplayCache(), rateLimitStore: storage.rateLimitStore });
    expect((await hookCall(app)).status).toBe(200);
    await proxy.cut();
    try {
      const refused = await hookCall(app);
      expect(refused.status).toBe(503);
      expect(refused.body.issue[0].code).toBe('transient');
    } finally {
      await proxy.restore();
    }
  });
});

test('start-up waits a bounded time for an unreachable database, then gives up', async () => {
  const dead = await startTcpProxy(1);
  await dead.cut();
  const { logger, records } = createLogCapture();
  const url = `postgres://postgres@127.0.0.1:${dead.port}/postgres`;
  const started = Date.now();
  await expect(openStorage({ ...DEFAULT_CONFIG.storage, kind: 'postgres', url, pool }, { env: {}, logger, startupWaitMs: 2500 })).rejects.toThrow(StorageUnavailableError);
  expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  expect(records().filter((line) => line['event'] === 'storage.waiting').length).toBeGreaterThanOrEqual(1);
});
