/**
 * Refusals decided from the request line and headers alone, before a byte of the body is read:
 * 415 for a body that is not JSON (CDS Hooks bodies are application/json), 404 for an unknown service,
 * 405 with `Allow` for a path served with another method. Each is an OperationOutcome; a header at fault
 * is named `http.<Header>` in `issue[].expression`.
 */
import { connect } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../src/protocol/app.js';
import { openSqliteFeedbackStore } from '../../src/storage/sqlite-feedback-store.js';
import { memoryLogger, nullPrefetch, patientViewRequest, recordingSnapshot, testConfig } from '../support/hook-requests.js';
import { listenOnLoopback, type Listening } from '../support/listen.js';

const snapshot = recordingSnapshot(testConfig());
const app = createApp({ runtime: () => snapshot, logger: memoryLogger().logger, feedbackStore: openSqliteFeedbackStore(':memory:') });
const HOOK = '/cds-services/crs-patient-view';
const FEEDBACK = `${HOOK}/feedback`;

describe('415 for a body that is not JSON', () => {
  test.each([
    [HOOK, 'text/plain', JSON.stringify(patientViewRequest({ prefetch: nullPrefetch() }))],
    [HOOK, 'application/x-www-form-urlencoded', 'hook=patient-view'],
    [HOOK, 'application/xml', '<hook/>'],
    [FEEDBACK, 'text/plain', '{"feedback":[]}'],
  ])('POST %s with Content-Type %s', async (path, type, body) => {
    const res = await request(app).post(path).set('content-type', type).send(body);
    expect(res.status).toBe(415);
    expect(res.body).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'not-supported', diagnostics: 'Content-Type must be application/json', expression: ['http.Content-Type'] }],
    });
  });

  test('JSON media types are read: application/json with a charset and application/fhir+json', async () => {
    const body = JSON.stringify(patientViewRequest({ prefetch: nullPrefetch() }));
    expect((await request(app).post(HOOK).set('content-type', 'application/json; charset=utf-8').send(body)).status).toBe(200);
    expect((await request(app).post(HOOK).set('content-type', 'application/fhir+json').send(body)).status).toBe(200);
  });

  test('a call without a body is a 400 (the request is not an object), not a 415', async () => {
    const res = await request(app).post(HOOK);
    expect(res.status).toBe(400);
    expect(res.body.issue[0].diagnostics).toBe('request: must be object');
  });
});

describe('405 with Allow for a path served with another method', () => {
  test.each([
    ['post', '/healthz', 'GET, HEAD'],
    ['delete', '/metrics', 'GET, HEAD'],
    ['put', '/cds-services', 'GET, HEAD'],
    ['get', HOOK, 'POST'],
    ['get', '/cds-services/no-such-service', 'POST'],
    ['patch', FEEDBACK, 'POST'],
  ] as const)('%s %s', async (method, path, allow) => {
    const res = await request(app)[method](path);
    expect(res.status).toBe(405);
    expect(res.headers['allow']).toBe(allow);
    expect(res.body).toEqual({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-supported', diagnostics: 'Method not allowed on this path' }] });
  });

  test('a path served by no method is still a 404', async () => {
    const res = await request(app).post('/nowhere');
    expect(res.status).toBe(404);
    expect(res.headers['allow']).toBeUndefined();
  });
});

describe('refused before the body is read', () => {
  let service: Listening;
  beforeAll(async () => {
    service = await listenOnLoopback(app);
  });
  afterAll(() => service.close());

  /** Sends only the head of a request announcing a 1 MB body, and resolves with the status line it gets. */
  function headOnly(path: string, type: string): Promise<string> {
    const { port } = new URL(service.baseUrl);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: ${type}\r\nContent-Length: 1048576\r\n\r\n`);
      });
      socket.once('data', (chunk) => {
        resolve(chunk.toString('latin1').split('\r\n')[0] ?? '');
        socket.destroy();
      });
      socket.once('error', reject);
      setTimeout(() => {
        socket.destroy();
        reject(new Error('no answer without the body'));
      }, 5_000).unref();
    });
  }

  test.each([
    [HOOK, 'text/plain', 'HTTP/1.1 415 Unsupported Media Type'],
    ['/cds-services/no-such-service', 'application/json', 'HTTP/1.1 404 Not Found'],
  ])('POST %s (%s) is answered without waiting for the body', async (path, type, status) => {
    expect(await headOnly(path, type)).toBe(status);
  });
});
