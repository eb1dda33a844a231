/**
 * The FHIR client connects through the guarded agents, so the address a name resolves to when the
 * socket opens is checked again (DNS rebinding): a name that passed the allowlist but now resolves
 * to the cloud metadata address is never connected to.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createFhirClient, FhirAccessError } from '../../src/fhir/fhir-client.js';
import { createGuardedAgents, type LookupAll } from '../../src/fhir/outbound-guard.js';

let server: Server;
let port: number;

beforeAll(async () => {
  nock.restore(); // real sockets: nock would answer before any DNS lookup happens
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/fhir+json' });
    res.end(JSON.stringify({ resourceType: 'Patient', id: 'p1' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  nock.activate();
});

function clientResolvingTo(address: string) {
  const lookup: LookupAll = async () => [{ address }];
  return createFhirClient({
    serverUrl: `http://ehr.test:${port}/fhir`,
    allowedServers: ['http://ehr.test:*'],
    signal: AbortSignal.timeout(2000),
    agents: createGuardedAgents({ lookup }),
  });
}

describe('FHIR client connection agents', () => {
  test('connect through the injected resolver (ehr.test exists only there)', async () => {
    await expect(clientResolvingTo('127.0.0.1').read('Patient/p1')).resolves.toMatchObject({ id: 'p1' });
  });

  test('refuse a name that resolves to the metadata address when the socket opens', async () => {
    const read = clientResolvingTo('169.254.169.254').read('Patient/p1');
    await expect(read).rejects.toBeInstanceOf(FhirAccessError);
    await expect(read).rejects.toMatchObject({ reason: 'network' });
  });
});
