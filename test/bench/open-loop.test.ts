import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { openLoop, percentile } from '../../bench/http/open-loop.js';

describe('percentile (nearest rank)', () => {
  test('p99 of 1..2000 is the 1,980th value, p50 of 1..4 the 2nd', () => {
    const values = Array.from({ length: 2000 }, (_, i) => i + 1);
    expect(percentile(values, 99)).toBe(1980);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 99)).toBeNaN();
  });
});

describe('openLoop', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve()))));

  /** A server answering each request 200 ms after it arrived, one at a time. */
  function slowServer(): Promise<string> {
    let busyUntil = 0;
    server = createServer((req, res) => {
      req.resume();
      req.once('end', () => {
        busyUntil = Math.max(busyUntil, Date.now()) + 200;
        setTimeout(() => res.end('{}'), busyUntil - Date.now());
      });
    });
    return new Promise((resolve) => server?.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server?.address() as AddressInfo).port}/`)));
  }

  test('keeps to its schedule and counts queueing behind slow answers in the latency (no coordinated omission)', async () => {
    const url = await slowServer();
    // 10 requests due over 0.5 s on one connection, answered one per 200 ms: the last is answered about 2 s
    // after the first was due, 1.5 s after its own due time. Timed from sending, each would take about 200 ms.
    const result = await openLoop(url, '{}', { rate: 20, durationS: 0.5, connections: 1 });
    expect(result.sent).toBe(10);
    expect(result.failures).toBe(0);
    expect(result.max).toBeGreaterThanOrEqual(1400);
    expect(result.p50).toBeGreaterThanOrEqual(700);
  });

  test('counts answers other than 2xx as failures, not latencies', async () => {
    server = createServer((req, res) => {
      req.resume();
      req.once('end', () => res.writeHead(503).end());
    });
    const url = await new Promise<string>((resolve) => server?.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server?.address() as AddressInfo).port}/`)));
    const result = await openLoop(url, '{}', { rate: 50, durationS: 0.1, connections: 2 });
    expect(result).toMatchObject({ sent: 5, failures: 5 });
    expect(result.p99).toBeNaN();
  });
});
