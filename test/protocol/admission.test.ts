/**
 * Admission control of hook calls (src/protocol/admission.ts), through the real app on a loopback port:
 * decided before the body is read, a queue bounded by count and by waiting time, 503 + Retry-After when
 * full, and recovery. The burst test drives CPU-bound prefetch calls through the real engine.
 */
import { connect, type Socket } from 'node:net';
import type { Resource } from 'fhir/r4.js';
import { afterEach, describe, expect, test } from 'vitest';
import type { Config } from '../../src/config/types.js';
import { buildRuntime } from '../../src/engine/build-runtime.js';
import { createMetrics, type Metrics } from '../../src/metrics.js';
import { createApp } from '../../src/protocol/app.js';
import type { RuntimeSnapshot } from '../../src/protocol/runtime.js';
import { openSqliteFeedbackStore } from '../../src/storage/sqlite-feedback-store.js';
import { EVALUATED_AT, memoryLogger, nullPrefetch, patientViewRequest, recordingSnapshot, searchset, testConfig } from '../support/hook-requests.js';
import { burst } from '../support/burst-client.js';
import { listenOnLoopback, type Listening } from '../support/listen.js';

const HOOK = '/cds-services/crs-patient-view';
let service: Listening | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  sockets.splice(0).forEach((socket) => socket.destroy());
  await service?.close();
  service = undefined;
});

async function start(http: Partial<Config['http']>, runtime?: RuntimeSnapshot): Promise<{ baseUrl: string; metrics: Metrics }> {
  const metrics = createMetrics();
  const snapshot = runtime ?? recordingSnapshot(testConfig({ http }));
  const app = createApp({ runtime: () => snapshot, logger: memoryLogger().logger, feedbackStore: openSqliteFeedbackStore(':memory:'), now: () => EVALUATED_AT, metrics });
  service = await listenOnLoopback(app);
  return { baseUrl: service.baseUrl, metrics };
}

/**
 * Opens a hook call that sends its head and never its body: once admitted it holds a slot (reading).
 * Resolves with the first bytes the server sends, if any.
 */
function headOnly(baseUrl: string, contentLength = 1_048_576): { readonly answer: Promise<string> } {
  const { port } = new URL(baseUrl);
  const socket = connect(Number(port), '127.0.0.1', () => {
    socket.write(`POST ${HOOK} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${contentLength}\r\n\r\n`);
  });
  sockets.push(socket);
  const answer = new Promise<string>((resolve) => {
    socket.once('data', (chunk) => resolve(chunk.toString('latin1')));
    socket.once('close', () => resolve(''));
  });
  return { answer };
}

async function call(baseUrl: string, body: string): Promise<{ status: number; ms: number; retryAfter: string | null; json: unknown }> {
  const started = performance.now();
  const res = await fetch(`${baseUrl}${HOOK}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const json: unknown = await res.json();
  return { status: res.status, ms: performance.now() - started, retryAfter: res.headers.get('retry-after'), json };
}

const smallBody = JSON.stringify(patientViewRequest({ prefetch: nullPrefetch() }));
const BUSY = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient', diagnostics: 'Service busy, retry later' }] };

/** Waits until the app reports the given admission metric value. */
async function shedCount(metrics: Metrics, reason: string): Promise<number> {
  const values = (await metrics.shed.get()).values;
  return values.filter((v) => v.labels['reason'] === reason).reduce((sum, v) => sum + v.value, 0);
}

describe('admission before the body is read', () => {
  test('a full service answers 503 with Retry-After without reading the body, and serves again once a slot frees', async () => {
    const { baseUrl, metrics } = await start({ maxConcurrentPerService: 1, maxQueuedPerService: 0 });
    const holder = headOnly(baseUrl); // admitted: holds the one slot while "sending" its body
    await new Promise((resolve) => setTimeout(resolve, 200));
    // This call never sends its body either: only admission can answer it.
    const refused = await headOnly(baseUrl).answer;
    expect(refused.split('\r\n')[0]).toBe('HTTP/1.1 503 Service Unavailable');
    expect(refused).toMatch(/\r\nRetry-After: 1\r\n/i);
    expect(JSON.parse(refused.slice(refused.indexOf('\r\n\r\n') + 4))).toEqual(BUSY);
    expect(await shedCount(metrics, 'queue-full')).toBe(1);
    sockets[0]?.destroy(); // the slow client gives up: its slot is freed
    await holder.answer;
    expect((await call(baseUrl, smallBody)).status).toBe(200);
  });

  test('a queued call that waits longer than http.maxQueueWaitMs gets 503; one beyond the queue gets it at once', async () => {
    const { baseUrl, metrics } = await start({ maxConcurrentPerService: 1, maxQueuedPerService: 1, maxQueueWaitMs: 300 });
    headOnly(baseUrl);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const queued = call(baseUrl, smallBody);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const beyond = await call(baseUrl, smallBody);
    expect(beyond.status).toBe(503);
    expect(beyond.retryAfter).toBe('1');
    const timedOut = await queued;
    expect(timedOut.status).toBe(503);
    expect(timedOut.json).toEqual(BUSY);
    expect(timedOut.ms).toBeGreaterThanOrEqual(250);
    expect(timedOut.ms).toBeLessThan(300 + 2_000);
    expect(await shedCount(metrics, 'queue-full')).toBe(1);
    expect(await shedCount(metrics, 'queue-timeout')).toBe(1);
  });

  test('large calls are admitted fewer at a time (http.maxConcurrentBytesPerService); a call alone always is', async () => {
    const { baseUrl } = await start({ maxConcurrentPerService: 10, maxConcurrentBytesPerService: 1_000_000, maxQueuedPerService: 0 });
    headOnly(baseUrl, 700_000); // holds 700 kB of the budget while it "sends" its body
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await headOnly(baseUrl, 700_000).answer).split('\r\n')[0]).toBe('HTTP/1.1 503 Service Unavailable');
    expect((await call(baseUrl, smallBody)).status).toBe(200); // a small call fits beside it
    sockets[0]?.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const large = JSON.stringify(patientViewRequest({ prefetch: nullPrefetch(), extension: { pad: 'x'.repeat(1_200_000) } }));
    expect((await call(baseUrl, large)).status).toBe(200); // over the budget, but alone
  });

  test('queued calls are served first come, first served as slots free', async () => {
    const { baseUrl } = await start({ maxConcurrentPerService: 1, maxQueuedPerService: 4, maxQueueWaitMs: 10_000 });
    headOnly(baseUrl);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const order: number[] = [];
    const queued = [0, 1, 2].map(async (i) => {
      await new Promise((resolve) => setTimeout(resolve, i * 50));
      const res = await call(baseUrl, smallBody);
      order.push(i);
      return res.status;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    sockets[0]?.destroy();
    expect(await Promise.all(queued)).toEqual([200, 200, 200]);
    expect(order).toEqual([0, 1, 2]);
  });
});

/** A monitored patient's prefetch with `count` temperatures: a body of about 1 MB that takes real CPU to grade. */
function heavyPrefetchBody(count: number): string {
  const subject = { reference: 'Patient/pat-1' };
  const temperatures: Resource[] = Array.from({ length: count }, (_, i) => ({
    resourceType: 'Observation',
    id: `t${i}`,
    status: 'final',
    subject,
    code: { coding: [{ system: 'http://loinc.org', code: '8310-5' }] },
    effectiveDateTime: new Date(EVALUATED_AT.getTime() - (i % 1440) * 60_000).toISOString(),
    valueQuantity: { value: 37 + (i % 20) / 10, unit: 'Cel', system: 'http://unitsofmeasure.org', code: 'Cel' },
  }) as Resource);
  const therapy = {
    resourceType: 'MedicationAdministration', id: 'cart', status: 'completed', subject,
    medicationCodeableConcept: { text: 'axicabtagene ciloleucel (Yescarta)' }, effectiveDateTime: '2026-11-18T09:00:00Z',
  } as Resource;
  return JSON.stringify(patientViewRequest({
    prefetch: nullPrefetch({ patient: { resourceType: 'Patient', id: 'pat-1' }, temperature: searchset(temperatures), medicationAdministrations: searchset([therapy]) }),
  }));
}

describe('a burst of CPU-bound prefetch calls', () => {
  test('is shed with fast 503s while admitted calls are served, and the service recovers', { timeout: 120_000 }, async () => {
    const config = testConfig({ http: { maxConcurrentPerService: 4, maxQueuedPerService: 8, maxQueueWaitMs: 1_000 } });
    const { baseUrl, metrics } = await start({}, buildRuntime(config));
    const body = heavyPrefetchBody(4_000);
    const results = await burst(`${baseUrl}${HOOK}`, body, 120);
    const ok = results.filter((r) => r.status === 200);
    const shed = results.filter((r) => r.status === 503);
    // Every call is answered, either served or shed; nothing else (no 408, no 5xx other than 503).
    expect(ok.length + shed.length).toBe(results.length);
    expect(ok.length).toBeGreaterThanOrEqual(4);
    expect(shed.length).toBeGreaterThan(0);
    expect(shed.every((r) => r.retryAfter === '1')).toBe(true);
    // Shedding is fast: a refused call is not made to wait behind the work it cannot join.
    const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    expect(median(shed.map((r) => r.ms))).toBeLessThan(median(ok.map((r) => r.ms)));
    expect(await shedCount(metrics, 'queue-full') + (await shedCount(metrics, 'queue-timeout'))).toBe(shed.length);

    // Recovery: once the burst is over, calls are served again.
    const after = await call(baseUrl, body);
    expect(after.status).toBe(200);
    expect((after.json as { extension?: Record<string, { grade?: number }> }).extension?.['crs-cds.assessment']?.grade).toBe(1);
  });
});
