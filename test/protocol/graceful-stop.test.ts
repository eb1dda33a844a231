/**
 * The graceful stop in-process (the SIGTERM path of server.ts; test/e2e/graceful-stop.test.ts drives
 * the real process): new connections refused at once, idle keep-alive connections closed, calls in
 * flight finished, the storage closed once, and the exit status telling a clean stop from a cut one.
 */
import { Agent, createServer, request, type Server } from 'node:http';
import { afterEach, expect, test } from 'vitest';
import { drainServer, stopGracefully } from '../../src/protocol/graceful-stop.js';
import { createLogCapture } from '../support/log-capture.js';

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.closeAllConnections();
});

/** A server answering `/slow` after `slowMs` and anything else at once; resolves with its port. */
async function listen(slowMs: number): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    setTimeout(() => res.end('done'), req.url === '/slow' ? slowMs : 0);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

/** GET over a fresh connection; resolves with the body, rejects when the connection fails. */
function get(port: number, path: string, agent?: Agent): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(body));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

test('lets a call in flight finish, refuses new connections, closes storage once, and answers 0', async () => {
  const { server, port } = await listen(400);
  const inFlight = get(port, '/slow');
  await new Promise((resolve) => setTimeout(resolve, 50));
  let closed = 0;
  const { logger, records } = createLogCapture();
  const status = stopGracefully({ server, drainTimeoutMs: 10_000, closeStorage: async () => void (closed += 1), logger }, 'SIGTERM');
  await expect(get(port, '/fast')).rejects.toThrow();
  expect(await inFlight).toBe('done');
  expect(await status).toBe(0);
  expect(closed).toBe(1);
  expect(records().find((line) => line['msg'] === 'stopped')).toMatchObject({ outcome: 'drained' });
});

test('closes a keep-alive connection as soon as its call is answered, not at the keep-alive timeout', async () => {
  const { server, port } = await listen(300);
  server.keepAliveTimeout = 60_000;
  const agent = new Agent({ keepAlive: true });
  expect(await get(port, '/fast', agent)).toBe('done'); // one idle pooled connection
  const inFlight = get(port, '/slow', agent); // a second one, busy when the drain starts
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = Date.now();
  expect(await drainServer(server, 30_000)).toBe('drained');
  expect(await inFlight).toBe('done');
  expect(Date.now() - started).toBeLessThan(10_000);
  agent.destroy();
});

test('cuts what outlasts the bound and answers 1; a storage that fails to close also answers 1', async () => {
  const { server, port } = await listen(30_000);
  const inFlight = get(port, '/slow');
  await new Promise((resolve) => setTimeout(resolve, 50));
  const { logger } = createLogCapture();
  expect(await stopGracefully({ server, drainTimeoutMs: 200, closeStorage: async () => undefined, logger }, 'SIGTERM')).toBe(1);
  await expect(inFlight).rejects.toThrow();

  const quiet = await listen(0);
  const failing = async (): Promise<void> => {
    throw new Error('pool end failed');
  };
  expect(await stopGracefully({ server: quiet.server, drainTimeoutMs: 1000, closeStorage: failing, logger }, 'SIGINT')).toBe(1);
});
