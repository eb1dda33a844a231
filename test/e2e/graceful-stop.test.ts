/**
 * SIGTERM on the real server process (issue 13): new connections are refused at once, a call in
 * flight (here waiting on a slow FHIR server) still gets its answer, and the process exits 0; when a
 * call outlasts `http.drainTimeoutMs`, its connection is cut and the process exits 1 without waiting for it.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { exited, startServerProcess } from '../support/server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'crs-stop-'));
let fhir: Server;
let fhirBase: string;
let delayMs = 0;
let received = 0;

beforeAll(async () => {
  // A FHIR server that answers every read after `delayMs`: an empty searchset, or the Patient.
  fhir = createServer((req, res) => {
    received += 1;
    setTimeout(() => {
      const body = (req.url ?? '').includes('/Patient/')
        ? { resourceType: 'Patient', id: 'slow-1' }
        : { resourceType: 'Bundle', type: 'searchset', total: 0 };
      res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(JSON.stringify(body));
    }, delayMs);
  });
  await new Promise<void>((resolve) => fhir.listen(0, '127.0.0.1', resolve));
  fhirBase = `http://127.0.0.1:${(fhir.address() as { port: number }).port}/fhir`;
});
afterAll(async () => {
  fhir.closeAllConnections();
  await new Promise((resolve) => fhir.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const hookBody = (): string =>
  JSON.stringify({
    hook: 'patient-view',
    hookInstance: '0f4a1c2e-3b5d-4e6f-8a9b-0c1d2e3f4a5b',
    fhirServer: fhirBase,
    context: { userId: 'Practitioner/prac-1', patientId: 'slow-1' },
  });

async function startWith(drainTimeoutMs: number) {
  const configPath = join(dir, `site-${drainTimeoutMs}.yaml`);
  writeFileSync(configPath, `fhir:\n  timeoutMs: 20000\nhttp:\n  drainTimeoutMs: ${drainTimeoutMs}\nstorage:\n  sqlitePath: ${JSON.stringify(join(dir, `${drainTimeoutMs}.sqlite`))}\n`);
  const server = startServerProcess({ CRS_CDS_CONFIG: configPath });
  return { server, base: await server.baseUrl() };
}

/** Starts a hook call and resolves, with its pending answer, once the service waits on the FHIR server for it. */
async function callInFlight(base: string): Promise<{ answer: Promise<Response> }> {
  const before = received;
  const answer = fetch(`${base}/cds-services/crs-patient-view`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: hookBody() });
  answer.catch(() => undefined);
  while (received === before) await new Promise((resolve) => setTimeout(resolve, 20));
  return { answer };
}

test('finishes the call in flight, refuses new connections, and exits 0', async () => {
  delayMs = 1500;
  const { server, base } = await startWith(15_000);
  const { answer: inFlight } = await callInFlight(base);
  const logged = server.logs().length;
  server.child.kill('SIGTERM');
  await server.waitForLog('shutting down: refusing new connections, finishing calls in flight', logged);
  await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  const answer = await inFlight;
  expect(answer.status).toBe(200);
  expect(await answer.json()).toEqual({ cards: [] });
  await exited(server.child);
  expect(server.child.exitCode).toBe(0);
  expect(server.logs().find((line) => line['msg'] === 'stopped')).toMatchObject({ outcome: 'drained' });
}, 60_000);

test('cuts a call that outlasts the drain bound and exits 1 without waiting for it', async () => {
  delayMs = 15_000;
  const { server, base } = await startWith(500);
  const { answer: inFlight } = await callInFlight(base);
  const signalled = Date.now();
  server.child.kill('SIGTERM');
  await expect(inFlight).rejects.toThrow();
  await exited(server.child);
  expect(server.child.exitCode).toBe(1);
  // Well before the FHIR answer (15 s) would have let the call finish.
  expect(Date.now() - signalled).toBeLessThan(10_000);
  expect(server.logs().find((line) => line['msg'] === 'stopped')).toMatchObject({ outcome: 'cut' });
}, 60_000);
