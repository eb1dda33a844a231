/**
 * Load-shedding benchmark: starts the real server (`node --import tsx src/server.ts`, what `npm start`
 * runs) with the built-in limits and fires bursts of concurrent CPU-bound prefetch calls at it (a
 * monitored patient with 4,000 temperatures, about 1 MB per call), each on its own connection. Reports
 * per burst how many calls were served (200) and shed (503), their latencies, anything else (timeouts,
 * resets), and how long after the burst a single call is served again.
 *
 *   npm run bench:burst -- [--calls 300] [--addresses 6] [--bursts 3] [--max-active <n>] [--server-dir <checkout>]
 *
 * `--addresses` spreads the calls over that many loopback client addresses (127.0.0.10, ...), so the
 * admission queue rather than the per-address connection cap decides; `--addresses 1` sends all from one.
 * `--max-active` sets `http.maxConcurrentPerService` (default: the built-in 32). `--server-dir` starts
 * another checkout (e.g. an older commit) for a before/after comparison.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const arg = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
};
const CALLS = Number(arg('calls', '300'));
const ADDRESSES = Number(arg('addresses', '6'));
const BURSTS = Number(arg('bursts', '3'));
const SERVER_DIR = arg('server-dir', fileURLToPath(new URL('../', import.meta.url)));
const MAX_ACTIVE = arg('max-active', '');
const CLIENT_TIMEOUT_MS = 60_000;

interface Outcome {
  readonly status: number | 'timeout' | 'error';
  readonly ms: number;
}

/** One POST on a fresh connection from `localAddress`. */
function post(port: number, body: Buffer, localAddress: string): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, localAddress, method: 'POST', path: '/cds-services/crs-patient-view', agent: false,
        headers: { 'content-type': 'application/json', 'content-length': body.length } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      },
    );
    req.setTimeout(CLIENT_TIMEOUT_MS, () => {
      req.destroy();
      resolve({ status: 'timeout', ms: performance.now() - started });
    });
    req.on('error', () => resolve({ status: 'error', ms: performance.now() - started }));
    req.end(body);
  });
}

/** A monitored patient (CAR-T 3 days ago) with `count` temperatures over the last 24 h: grade 1. */
function heavyCall(count: number): Buffer {
  const now = Date.now();
  const subject = { reference: 'Patient/bench-1' };
  const entry = Array.from({ length: count }, (_, i) => ({
    resource: {
      resourceType: 'Observation', id: `t${i}`, status: 'final', subject,
      code: { coding: [{ system: 'http://loinc.org', code: '8310-5' }] },
      effectiveDateTime: new Date(now - ((i % 1380) + 1) * 60_000).toISOString(),
      valueQuantity: { value: 37 + (i % 20) / 10, unit: 'Cel', system: 'http://unitsofmeasure.org', code: 'Cel' },
    },
  }));
  const therapy = {
    resourceType: 'MedicationAdministration', id: 'cart', status: 'completed', subject,
    medicationCodeableConcept: { text: 'axicabtagene ciloleucel (Yescarta)' }, effectiveDateTime: new Date(now - 3 * 86_400_000).toISOString(),
  };
  const empty = { resourceType: 'Bundle', type: 'searchset', total: 0 };
  return Buffer.from(JSON.stringify({
    hook: 'patient-view', hookInstance: '0b7a2c1e-5d3f-4e8a-9b6c-1f2e3d4c5b6a',
    context: { userId: 'Practitioner/bench', patientId: 'bench-1' },
    prefetch: {
      patient: { resourceType: 'Patient', id: 'bench-1' },
      temperature: { resourceType: 'Bundle', type: 'searchset', entry },
      bloodPressure: empty, oxygen: empty, weight: empty,
      medicationAdministrations: { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: therapy }] },
      crsConditions: empty,
    },
  }));
}

/** Starts the server of `dir` on a free port; resolves with its port and a stop function. */
async function startServer(dir: string): Promise<{ port: number; stop: () => void }> {
  const data = mkdtempSync(join(tmpdir(), 'crs-bench-'));
  const config = join(data, 'site.yaml');
  const http = MAX_ACTIVE === '' ? '' : `http:\n  maxConcurrentPerService: ${Number(MAX_ACTIVE)}\n`;
  writeFileSync(config, `storage:\n  sqlitePath: ${JSON.stringify(join(data, 'feedback.sqlite'))}\n${http}`);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: dir, env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', CRS_CDS_CONFIG: config }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"port":(\d+)/.exec(out);
      if (match !== null) resolve(Number(match[1]));
    });
    child.once('exit', () => reject(new Error(`server exited: ${out}`)));
  });
  // The port comes from the "crs-cds listening" line; later log lines are drained unread.
  child.stdout.removeAllListeners('data');
  child.stdout.resume();
  return { port, stop: () => child.kill('SIGTERM') };
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN);
};
const summary = (values: number[]): string =>
  values.length === 0 ? '-' : `p50 ${percentile(values, 50)} ms, p90 ${percentile(values, 90)} ms, max ${percentile(values, 100)} ms`;

async function main(): Promise<void> {
  const body = heavyCall(4_000);
  const server = await startServer(SERVER_DIR);
  console.log(`server ${SERVER_DIR} on port ${server.port}; ${CALLS} calls of ${(body.length / 1e6).toFixed(2)} MB from ${ADDRESSES} address(es); load ${loadavg()[0]?.toFixed(2)}`);
  try {
    // Warm-up: one served call.
    await post(server.port, body, '127.0.0.1');
    for (let burst = 1; burst <= BURSTS; burst += 1) {
      const started = performance.now();
      const outcomes = await Promise.all(Array.from({ length: CALLS }, (_, i) => post(server.port, body, `127.0.0.${10 + (i % ADDRESSES)}`)));
      const ended = performance.now();
      const ok = outcomes.filter((o) => o.status === 200).map((o) => o.ms);
      const shed = outcomes.filter((o) => o.status === 503).map((o) => o.ms);
      const other = outcomes.filter((o) => o.status !== 200 && o.status !== 503).map((o) => String(o.status));
      // Recovery: single calls until one is served.
      let recovered = Number.NaN;
      for (let probe = 0; probe < 100; probe += 1) {
        const answer = await post(server.port, body, '127.0.0.2');
        if (answer.status === 200) {
          recovered = performance.now() - ended;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const counts = other.reduce<Record<string, number>>((acc, status) => ({ ...acc, [status]: (acc[status] ?? 0) + 1 }), {});
      console.log(
        `burst ${burst}: ${ok.length} × 200 (${summary(ok)}); ${shed.length} × 503 (${summary(shed)}); ` +
          `other ${JSON.stringify(counts)}; burst took ${Math.round(ended - started)} ms; served again ${Math.round(recovered)} ms after it`,
      );
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  } finally {
    server.stop();
  }
}

await main();
