/**
 * Open-loop load at a fixed rate for the HTTP benchmark: request i is due at `start + i / rate`, whether
 * or not earlier answers have come back, and its latency runs from that due time to the end of its
 * answer. A slow answer therefore delays nobody's schedule, and the queueing it causes shows in the
 * latency of the requests behind it. (autocannon's `overallRate` is closed-loop: each connection sends
 * its share of a second back to back, then waits; its latency starts when a request is actually sent,
 * so time spent queued behind a slow answer goes unmeasured.)
 */
import { Agent, request } from 'node:http';

export interface OpenLoopResult {
  /** Requests sent (every one was due within the duration). */
  readonly sent: number;
  /** Answers other than 2xx, and errors. */
  readonly failures: number;
  /** Latency percentiles from the due time, ms (nearest rank over every answered request). */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** The latest the generator itself sent a request after its due time, ms (its own lag, included above). */
  readonly maxSendLagMs: number;
}

/**
 * The value at percentile `p` of ascending `sorted` values, by nearest rank (p99 of 2,000 values is the
 * 1,980th), or NaN without values.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

const round1 = (ms: number): number => Math.round(ms * 10) / 10;

/**
 * Sends POST `body` to `url` at `rate` requests per second for `durationS` seconds.
 * @param options - `connections`: the most open keep-alive connections (a request due while all are busy
 *   waits for one, and that wait counts in its latency)
 */
export async function openLoop(
  url: string,
  body: string,
  options: { readonly rate: number; readonly durationS: number; readonly connections: number },
): Promise<OpenLoopResult> {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const length = Buffer.byteLength(body);
  const intervalMs = 1000 / options.rate;
  const total = Math.round(options.rate * options.durationS);
  const latencies: number[] = [];
  let failures = 0;
  let maxSendLagMs = 0;

  const send = (due: number): Promise<void> =>
    new Promise((resolve) => {
      maxSendLagMs = Math.max(maxSendLagMs, performance.now() - due);
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': length },
        },
        (res) => {
          res.resume();
          res.once('end', () => {
            const ok = res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300;
            if (ok) latencies.push(performance.now() - due);
            else failures += 1;
            resolve();
          });
        },
      );
      req.once('error', () => {
        failures += 1;
        resolve();
      });
      req.end(body);
    });

  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i += 1) {
    const due = start + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(send(due));
  }
  await Promise.all(inFlight);
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    sent: total,
    failures,
    p50: round1(percentile(sorted, 50)),
    p99: round1(percentile(sorted, 99)),
    max: round1(sorted.at(-1) ?? Number.NaN),
    maxSendLagMs: round1(maxSendLagMs),
  };
}
