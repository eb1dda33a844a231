/**
 * Slow clients against the listening server (src/protocol/http-server.ts): the headers and request
 * timeouts are enforced to within a second (Node checks them every `connectionsCheckingInterval`, 30 s
 * unless set), connections per client address are capped, and a normal call is served while 250 slow
 * sockets are open. Loopback addresses other than 127.0.0.1 stand in for other clients.
 */
import type { RequestListener, Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import type { Config } from '../../src/config/types.js';
import { createApp } from '../../src/protocol/app.js';
import { createHttpServer } from '../../src/protocol/http-server.js';
import { openSqliteFeedbackStore } from '../../src/storage/sqlite-feedback-store.js';
import { EVALUATED_AT, memoryLogger, nullPrefetch, patientViewRequest, recordingSnapshot, testConfig } from '../support/hook-requests.js';

let server: Server | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  sockets.splice(0).forEach((socket) => socket.destroy());
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** Reads the whole body, then answers 200. */
const echo: RequestListener = (req, res) => {
  req.resume();
  req.on('end', () => res.end('ok'));
};

async function listen(app: RequestListener, http: Partial<Config['http']> = {}): Promise<number> {
  server = createHttpServer(app, { ...DEFAULT_CONFIG.http, ...http });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A client socket from `localAddress`; resolves once connected. */
function open(port: number, localAddress = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress }, () => resolve(socket));
    socket.once('error', reject);
    sockets.push(socket);
  });
}

/** Resolves with the time (ms since `since`) at which the server closed the socket, and what it sent. */
function closedAfter(socket: Socket, since: number): Promise<{ ms: number; received: string }> {
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  return new Promise((resolve) => socket.once('close', () => resolve({ ms: performance.now() - since, received })));
}

/** Writes `text` one byte every `everyMs`, for as long as the socket is open. */
function drip(socket: Socket, text: string, everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || i >= text.length) return void clearInterval(timer);
    socket.write(text[i] ?? '');
    i += 1;
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

/** One request on a fresh socket; resolves with the status line. */
async function statusLine(port: number, localAddress: string, request = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'): Promise<string> {
  const socket = await open(port, localAddress);
  const answer = new Promise<string>((resolve) => socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1'))));
  socket.write(request);
  return (await answer).split('\r\n')[0] ?? '';
}

describe('slow clients', () => {
  test('a client sending its headers slowly is cut off at http.headersTimeoutMs, not up to 30 s later', async () => {
    const port = await listen(echo, { headersTimeoutMs: 1_500, requestTimeoutMs: 5_000 });
    const socket = await open(port);
    const started = performance.now();
    const closed = closedAfter(socket, started);
    drip(socket, 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'a'.repeat(10_000), 100);
    const { ms, received } = await closed;
    expect(received.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
    expect(ms).toBeGreaterThanOrEqual(1_400);
    expect(ms).toBeLessThan(1_500 + 1_000 + 1_500); // the bound, the 1 s check interval, a margin for a loaded machine
  });

  test('a client sending its body slowly is cut off at http.requestTimeoutMs', async () => {
    const port = await listen(echo, { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000 });
    const socket = await open(port);
    const started = performance.now();
    const closed = closedAfter(socket, started);
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n');
    drip(socket, 'x'.repeat(100_000), 100);
    const { ms } = await closed;
    expect(ms).toBeGreaterThanOrEqual(1_900);
    expect(ms).toBeLessThan(2_000 + 1_000 + 1_500);
  });
});

describe('connections per client address', () => {
  test('one over http.maxConnectionsPerAddress is answered 503 with Retry-After and closed; other addresses are served', async () => {
    const port = await listen(echo, { maxConnectionsPerAddress: 3 });
    await Promise.all([open(port), open(port), open(port)]);
    const over = await open(port);
    const closed = closedAfter(over, performance.now());
    over.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const { received } = await closed;
    expect(received.split('\r\n')[0]).toBe('HTTP/1.1 503 Service Unavailable');
    expect(received).toMatch(/\r\nretry-after: 1\r\n/i);
    expect(received).toMatch(/\r\nconnection: close\r\n/i);
    expect(JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4))).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'transient', diagnostics: 'Too many connections from this address, retry later' }],
    });
    expect(await statusLine(port, '127.0.0.2')).toBe('HTTP/1.1 200 OK');
  });

  test('a connection over the cap that sends nothing is closed within about a second', async () => {
    const port = await listen(echo, { maxConnectionsPerAddress: 1 });
    await open(port);
    const started = performance.now();
    const { ms, received } = await closedAfter(await open(port), started);
    expect(received).toBe('');
    expect(ms).toBeLessThan(1_000 + 1_500);
  });

  test('closed connections free their place', async () => {
    const port = await listen(echo, { maxConnectionsPerAddress: 2 });
    const held = await Promise.all([open(port), open(port)]);
    expect(await statusLine(port, '127.0.0.1')).toBe('HTTP/1.1 503 Service Unavailable');
    held.forEach((socket) => socket.destroy());
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await statusLine(port, '127.0.0.1')).toBe('HTTP/1.1 200 OK');
  });
});

describe('250 slow sockets', () => {
  test('a normal hook call is served while they are open (the default limits)', { timeout: 60_000 }, async () => {
    const snapshot = recordingSnapshot(testConfig());
    const app = createApp({ runtime: () => snapshot, logger: memoryLogger().logger, feedbackStore: openSqliteFeedbackStore(':memory:'), now: () => EVALUATED_AT });
    const port = await listen(app as RequestListener);
    // 50 slowloris sockets from each of five client addresses (the default cap is 64 per address).
    const slow = await Promise.all(
      Array.from({ length: 250 }, async (_, i) => {
        const socket = await open(port, `127.0.0.${10 + (i % 5)}`);
        socket.on('error', () => undefined);
        drip(socket, 'POST /cds-services/crs-patient-view HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'a'.repeat(1_000), 500);
        return socket;
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const started = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/cds-services/crs-patient-view`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(patientViewRequest({ prefetch: nullPrefetch() })),
    });
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(slow.filter((socket) => socket.destroyed)).toHaveLength(0);
    const connections = await new Promise<number>((resolve) => server?.getConnections((_e, n) => resolve(n)));
    expect(connections).toBeGreaterThanOrEqual(250);
  });
});
