import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createGuardedAgents, guardedLookup, OutboundBlockedError } from '../../src/fhir/outbound-guard.js';

let server: Server;
let port: number;
let hits = 0;

beforeAll(async () => {
  server = createServer((_req, res) => {
    hits += 1;
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const fetchVia = (host: string, resolvesTo: string): Promise<string> => {
  const agents = createGuardedAgents({ lookup: async () => [{ address: resolvesTo }] });
  return new Promise((resolve, reject) => {
    get({ host, port, path: '/', agent: agents.http }, (res) => {
      res.resume();
      res.on('end', () => resolve(String(res.statusCode)));
    }).on('error', reject);
  }).finally(() => agents.http.destroy()) as Promise<string>;
};

describe('createGuardedAgents', () => {
  test('connects when the name resolves to a permitted address', async () => {
    expect(await fetchVia('fhir.test', '127.0.0.1')).toBe('200');
  });

  test('refuses to connect when the name resolves to the metadata address at connect time', async () => {
    const before = hits;
    await expect(fetchVia('fhir.test', '169.254.169.254')).rejects.toBeInstanceOf(OutboundBlockedError);
    expect(hits).toBe(before);
  });

  test('answers both lookup shapes (single address and all addresses)', async () => {
    const lookup = guardedLookup(async () => [{ address: '203.0.113.7' }, { address: '2001:db8::7' }]) as unknown as (
      host: string,
      options: { all?: boolean },
      cb: (err: Error | null, address: unknown, family?: number) => void,
    ) => void;
    const single = await new Promise((resolve) => lookup('x.test', {}, (err, address, family) => resolve({ err, address, family })));
    expect(single).toEqual({ err: null, address: '203.0.113.7', family: 4 });
    const all = await new Promise((resolve) => lookup('x.test', { all: true }, (err, address) => resolve({ err, address })));
    expect(all).toEqual({
      err: null,
      address: [
        { address: '203.0.113.7', family: 4 },
        { address: '2001:db8::7', family: 6 },
      ],
    });
  });
});
