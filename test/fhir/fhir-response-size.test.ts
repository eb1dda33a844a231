/**
 * `fhir.maxResponseBytes`: the bytes read from one FHIR response are capped, and the read is aborted when
 * the cap is reached, so a FHIR server streaming a huge body can neither grow memory without bound nor
 * push the answer past `fhir.timeoutMs` (the cap ends the read early; the budget ends a slow one).
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterEach, describe, expect, test } from 'vitest';
import { createApp } from '../../src/protocol/app.js';
import { openSqliteFeedbackStore } from '../../src/storage/sqlite-feedback-store.js';
import { fhirAuthorization, memoryLogger, patientViewRequest, recordingSnapshot, testConfig } from '../support/hook-requests.js';

const MB = 1024 * 1024;
const ENTRY = Buffer.from(`{"resource":{"resourceType":"Observation","id":"o","status":"final","code":{"text":"${'x'.repeat(900)}"}}},`);

interface Streaming {
  readonly baseUrl: string;
  /** Bytes written into each response before the client went away (or the body ended), by request path. */
  readonly sent: { path: string; bytes: number }[];
  readonly server: Server;
}

let streaming: Streaming | undefined;
afterEach(async () => {
  streaming?.server.closeAllConnections();
  await new Promise((resolve) => streaming?.server.close(resolve));
  streaming = undefined;
});

/** How the server answers one request path: a body of `totalBytes`, one entry every `delayMs` (0: as fast as read). */
type Behaviour = (path: string) => { readonly totalBytes: number; readonly delayMs: number };

/** A FHIR server answering every read with a searchset Bundle streamed as `behaviour` says. */
async function startStreamingServer(behaviour: Behaviour): Promise<Streaming> {
  const sent: { path: string; bytes: number }[] = [];
  const server = createServer((req, res: ServerResponse) => {
    const { totalBytes, delayMs } = behaviour(req.url ?? '/');
    const record = { path: req.url ?? '/', bytes: 0 };
    sent.push(record);
    res.writeHead(200, { 'content-type': 'application/fhir+json' });
    const write = (chunk: Buffer): boolean => {
      record.bytes += chunk.length;
      return res.write(chunk);
    };
    write(Buffer.from('{"resourceType":"Bundle","type":"searchset","entry":['));
    const pump = (): void => {
      while (record.bytes < totalBytes && !res.destroyed) {
        const more = write(ENTRY);
        if (delayMs > 0) return void setTimeout(pump, delayMs);
        if (!more) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end('{"resource":{"resourceType":"Basic","id":"end","code":{"text":"end"}}}]}');
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sent, server };
}

async function callWith(fhirServer: string, fhir: { maxResponseBytes?: number; timeoutMs: number }) {
  const snapshot = recordingSnapshot(testConfig({ fhir }));
  const app = createApp({ runtime: () => snapshot, logger: memoryLogger().logger, feedbackStore: openSqliteFeedbackStore(':memory:') });
  const started = performance.now();
  const res = await request(app)
    .post('/cds-services/crs-patient-view')
    .send(patientViewRequest({ fhirServer, fhirAuthorization: fhirAuthorization() }));
  return { res, ms: performance.now() - started };
}

describe('a FHIR server streaming a huge body', () => {
  test('is cut off at fhir.maxResponseBytes: 412 long before the budget, a few MB read instead of 40', async () => {
    streaming = await startStreamingServer(() => ({ totalBytes: 40 * MB, delayMs: 0 }));
    const { res, ms } = await callWith(streaming.baseUrl, { maxResponseBytes: 1 * MB, timeoutMs: 10_000 });
    expect(res.status).toBe(412);
    expect(res.body.issue[0].diagnostics).toMatch(/prefetch key "\w+" could neither be prefetched nor fetched/);
    // Generous margins for a loaded machine: the cap, not the 10 s budget, ended the call.
    expect(ms).toBeLessThan(5_000);
    // Socket buffers let a little more than the cap leave the server before the read is aborted.
    const largest = Math.max(...streaming.sent.map((s) => s.bytes));
    expect(largest).toBeGreaterThan(1 * MB);
    expect(largest).toBeLessThan(8 * MB);
  });

  test('is cut off at the cap at once, while another read of the same call still runs', async () => {
    // The Patient read drips until the budget ends; every search streams 40 MB as fast as it is read.
    streaming = await startStreamingServer((path) =>
      path.startsWith('/Patient') ? { totalBytes: Number.MAX_SAFE_INTEGER, delayMs: 5 } : { totalBytes: 40 * MB, delayMs: 0 });
    const { res, ms } = await callWith(streaming.baseUrl, { maxResponseBytes: 1 * MB, timeoutMs: 3_000 });
    expect(res.status).toBe(412);
    expect(ms).toBeLessThan(3_000 + 2_000);
    const searches = streaming.sent.filter((s) => !s.path.startsWith('/Patient'));
    expect(searches.length).toBeGreaterThan(0);
    expect(Math.max(...searches.map((s) => s.bytes))).toBeLessThan(8 * MB);
  });

  test('that drips forever is abandoned when fhir.timeoutMs runs out, and its connections closed', async () => {
    streaming = await startStreamingServer(() => ({ totalBytes: Number.MAX_SAFE_INTEGER, delayMs: 5 }));
    const { res, ms } = await callWith(streaming.baseUrl, { timeoutMs: 1_000 });
    expect(res.status).toBe(412);
    expect(ms).toBeGreaterThanOrEqual(950);
    expect(ms).toBeLessThan(1_000 + 2_000);
    await expect.poll(async () => new Promise((resolve) => streaming?.server.getConnections((_e, n) => resolve(n))), { timeout: 2_000 }).toBe(0);
  });
});
