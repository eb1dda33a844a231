/**
 * Request bodies with a `Content-Encoding`: a body that is really compressed (gzip, deflate, br) is read;
 * one that claims an encoding but is not compressed is the client's error (400), never a 500 or an
 * error-level log line a client could raise at will; an unknown encoding is 415; a decompression bomb
 * is stopped at `http.bodyLimitBytes` (413). Header faults are named `http.<Header>` (the FHIR convention).
 */
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../src/protocol/app.js';
import { openSqliteFeedbackStore } from '../../src/storage/sqlite-feedback-store.js';
import { memoryLogger, nullPrefetch, patientViewRequest, recordingSnapshot, testConfig } from '../support/hook-requests.js';
import { listenOnLoopback, type Listening } from '../support/listen.js';

const HOOK = '/cds-services/crs-patient-view';
const body = Buffer.from(JSON.stringify(patientViewRequest({ prefetch: nullPrefetch() })));

const { logger, lines } = memoryLogger();
let service: Listening;
beforeAll(async () => {
  const app = createApp({ runtime: () => recordingSnapshot(testConfig()), logger, feedbackStore: openSqliteFeedbackStore(':memory:') });
  service = await listenOnLoopback(app);
});
afterAll(() => service.close());

/** Posts the bytes as they are (supertest would serialise a Buffer as JSON). */
async function post(encoding: string, bytes: Buffer): Promise<{ status: number; body: { issue: { expression?: string[] }[] } }> {
  const res = await fetch(`${service.baseUrl}${HOOK}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-encoding': encoding },
    body: new Uint8Array(bytes),
  });
  return { status: res.status, body: (await res.json()) as { issue: { expression?: string[] }[] } };
}

describe('Content-Encoding of a hook body', () => {
  test.each([
    ['gzip', gzipSync(body)],
    ['deflate', deflateSync(body)],
    ['br', brotliCompressSync(body)],
    ['identity', body],
  ])('a %s body is read', async (encoding, bytes) => {
    const res = await post(encoding, bytes);
    expect(res.status).toBe(200);
  });

  test.each(['gzip', 'deflate', 'br'])('a body that claims %s but is not compressed is a 400 naming the header, logged below error level', async (encoding) => {
    const seen = lines.length;
    const res = await post(encoding, body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'invalid', diagnostics: `Request body is not valid ${encoding} data`, expression: ['http.Content-Encoding'] }],
    });
    const records = lines.slice(seen).map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(records.filter((r) => r.level >= 50)).toEqual([]);
    expect(records.some((r) => r.msg === 'unhandled error')).toBe(false);
  });

  test('an unknown encoding is 415', async () => {
    const res = await post('compress', body);
    expect(res.status).toBe(415);
    expect(res.body.issue[0]?.expression).toEqual(['http.Content-Encoding']);
  });

  test('a decompression bomb is stopped at http.bodyLimitBytes with 413', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)); // 64 MB of spaces in about 64 kB
    expect(bomb.length).toBeLessThan(200_000);
    const res = await post('gzip', bomb);
    expect(res.status).toBe(413);
  });
});
