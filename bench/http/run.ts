/**
 * HTTP benchmark of one replica (issue 13), side by side in one run: crs-cds answering crs-patient-view
 * with a realistic prefetch (~400 resources), and a bare `node:http` server that reads and JSON-parses
 * the same body and answers a fixed body (the physical limit of a Node process). Reports both
 * throughputs at saturation, their ratio (goal ≥ 70 %), and latency at a fixed 100 req/s (goal: p99 ≤
 * 50 ms). Each server is a separate process started as `npm start` starts it; the load generators run
 * in this process, on the same machine: autocannon (closed loop, 16 connections) for saturation, an
 * open-loop generator (open-loop.ts: latency from each request's due time) for the fixed rate.
 *
 *   npm run bench:http [-- --runs 3] [--duration 10] [--profile]
 *
 * `--profile` adds one more crs-cds pass (warm-up and saturation) under a V8 CPU profile, kept out of
 * the medians (the profiler costs CPU), and prints where the time went.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { summariseCpuProfile } from './cpu-profile.js';
import { openLoop, type OpenLoopResult } from './open-loop.js';
import { patientViewBody, resourceCount } from './patient-view-body.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GOAL_RATIO = 0.7;
const GOAL_P99_MS = 50;
const FIXED_RATE = 100;
const SATURATION_CONNECTIONS = 16;
/** At least 2,000 requests at the fixed rate: p99 is then the 20th slowest, not an outlier. */
const FIXED_RATE_MIN_SECONDS = 20;
/** Connections the fixed-rate load may open (a due request waits for one while all are busy). */
const FIXED_RATE_CONNECTIONS = 32;

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '1' },
    duration: { type: 'string', default: '10' },
    profile: { type: 'boolean', default: false },
    // Where to keep the .cpuprofile files (open them in Chrome DevTools); default: deleted after the summary.
    'profile-dir': { type: 'string' },
  },
});
const runs = Number(args.runs);
const duration = Number(args.duration);
const work = mkdtempSync(join(tmpdir(), 'crs-bench-http-'));

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
}

/** Spawns a server and resolves with its URL once `readPort` finds the port in a stdout line. */
function startServer(args: readonly string[], env: Record<string, string>, readPort: (line: string) => number | undefined, path: string): Promise<Started> {
  const child = spawn(process.execPath, [...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buffered = '';
    let found = false;
    // Keep reading stdout for the whole run: a full pipe would stall the server's logging.
    child.stdout?.on('data', (chunk: Buffer) => {
      if (found) return;
      buffered += chunk.toString();
      for (const line of buffered.split('\n')) {
        const port = readPort(line);
        if (port !== undefined) {
          found = true;
          resolve({ child, url: `http://127.0.0.1:${port}${path}` });
          return;
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited (${String(code)}) before listening`)));
  });
}

function startCrsCds(profileDir: string | undefined): Promise<Started> {
  const config = join(work, 'site.yaml');
  writeFileSync(config, `storage:\n  sqlitePath: ${JSON.stringify(join(work, 'bench.sqlite'))}\n`);
  const profile = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  const readPort = (line: string): number | undefined => {
    if (!line.includes('"crs-cds listening"')) return undefined;
    return (JSON.parse(line) as { port: number }).port;
  };
  return startServer([...profile, '--import', 'tsx', 'src/server.ts'], { PORT: '0', LOG_LEVEL: 'info', CRS_CDS_CONFIG: config }, readPort, '/cds-services/crs-patient-view');
}

function startBare(): Promise<Started> {
  const readPort = (line: string): number | undefined => (/^\d+$/.test(line.trim()) ? Number(line.trim()) : undefined);
  return startServer(['--import', 'tsx', 'bench/http/bare-server.ts'], {}, readPort, '/');
}

async function stop(server: Started): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

/**
 * CPU time a process has used, ms (user + system, all threads; Linux /proc, clock ticks of 10 ms).
 * Unlike req/s on this shared machine, CPU time per request hardly depends on what else runs.
 */
function cpuMs(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${String(pid)}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface Load {
  readonly rps: number;
  /** Requests answered in the phase. */
  readonly total: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Answers other than 2xx, errors and timeouts: the run is void when any occurs. */
  readonly failures: number;
}

/** Closed-loop load (autocannon): each connection sends its next request when its answer arrives. */
async function load(url: string, body: string, options: { connections: number; duration: number }): Promise<Load> {
  const result = await autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body, ...options });
  return {
    rps: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

interface Measured {
  readonly saturated: Load;
  readonly fixedRate: OpenLoopResult;
  /** Server CPU time per request at saturation, ms. */
  readonly cpuPerRequestMs: number;
}

async function saturate(server: Started, body: string): Promise<{ saturated: Load; cpuPerRequestMs: number }> {
  await load(server.url, body, { connections: 8, duration: 3 }); // warm-up (JIT, pools)
  const cpuBefore = cpuMs(server.child.pid);
  const saturated = await load(server.url, body, { connections: SATURATION_CONNECTIONS, duration });
  return { saturated, cpuPerRequestMs: (cpuMs(server.child.pid) - cpuBefore) / saturated.total };
}

async function measure(server: Started, body: string): Promise<Measured> {
  const { saturated, cpuPerRequestMs } = await saturate(server, body);
  const fixedRate = await openLoop(server.url, body, {
    rate: FIXED_RATE,
    durationS: Math.max(duration, FIXED_RATE_MIN_SECONDS),
    connections: FIXED_RATE_CONNECTIONS,
  });
  return { saturated, fixedRate, cpuPerRequestMs };
}

/** Checks that crs-cds really grades the benchmark patient (a card, not an error or an empty answer). */
async function checkAnswer(url: string, body: string): Promise<string> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const answer = (await res.json()) as { cards?: { summary: string }[] };
  if (res.status !== 200 || answer.cards?.length !== 1) throw new Error(`crs-cds answered ${res.status} with ${answer.cards?.length ?? 0} cards`);
  return answer.cards[0]?.summary ?? '';
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const f0 = (n: number): string => n.toFixed(0);

const results: { crs: Measured; bare: Measured }[] = [];
const profileDir = args['profile-dir'] ?? (args.profile ? join(work, 'profile') : undefined);
const body = patientViewBody(Date.now());
console.log(`body: ${resourceCount(body)} resources, ${Math.round(Buffer.byteLength(body) / 1024)} KiB; ${runs} run(s) of ${duration} s at ${SATURATION_CONNECTIONS} connections, then ${FIXED_RATE} req/s`);
console.log(`load average (1 min) at start: ${loadavg()[0]?.toFixed(2) ?? '?'} on ${availableParallelism()} CPUs`);
try {
  for (let run = 1; run <= runs; run += 1) {
    const crsServer = await startCrsCds(undefined);
    if (run === 1) console.log(`crs-cds answers: "${await checkAnswer(crsServer.url, body)}"`);
    const crs = await measure(crsServer, body);
    await stop(crsServer);
    const bareServer = await startBare();
    const bare = await measure(bareServer, body);
    await stop(bareServer);
    results.push({ crs, bare });
    for (const [name, m] of [['crs-cds', crs], ['bare node:http', bare]] as const) {
      console.log(
        `run ${run} ${name.padEnd(14)} ${f0(m.saturated.rps).padStart(5)} req/s (p50 ${m.saturated.p50} ms, p99 ${m.saturated.p99} ms), ` +
          `${m.cpuPerRequestMs.toFixed(2)} ms CPU/request | ` +
          `at ${FIXED_RATE} req/s (open loop, ${m.fixedRate.sent} requests): p50 ${m.fixedRate.p50} ms, p99 ${m.fixedRate.p99} ms, ` +
          `max ${m.fixedRate.max} ms (generator lag ≤ ${m.fixedRate.maxSendLagMs} ms)` +
          (m.saturated.failures + m.fixedRate.failures > 0 ? ` | ${m.saturated.failures + m.fixedRate.failures} FAILED REQUESTS` : ''),
      );
    }
  }
  const crsRps = median(results.map((r) => r.crs.saturated.rps));
  const bareRps = median(results.map((r) => r.bare.saturated.rps));
  const ratio = crsRps / bareRps;
  const p99 = median(results.map((r) => r.crs.fixedRate.p99));
  const crsCpu = median(results.map((r) => r.crs.cpuPerRequestMs));
  const bareCpu = median(results.map((r) => r.bare.cpuPerRequestMs));
  console.log(`\nmedian of ${results.length} run(s):`);
  console.log(`  throughput: crs-cds ${f0(crsRps)} req/s, bare node:http ${f0(bareRps)} req/s, ratio ${(ratio * 100).toFixed(0)} % (goal ≥ ${GOAL_RATIO * 100} %)`);
  console.log(
    `  CPU per request: crs-cds ${crsCpu.toFixed(2)} ms, bare ${bareCpu.toFixed(2)} ms: ${f0(1000 / crsCpu)} vs ${f0(1000 / bareCpu)} req/s per busy core, ` +
      `ratio ${((bareCpu / crsCpu) * 100).toFixed(0)} % (the same comparison, less sensitive to other load on the machine)`,
  );
  console.log(`  crs-cds at ${FIXED_RATE} req/s: p50 ${median(results.map((r) => r.crs.fixedRate.p50))} ms, p99 ${p99} ms (goal ≤ ${GOAL_P99_MS} ms)`);
  console.log(`  ${ratio >= GOAL_RATIO && p99 <= GOAL_P99_MS ? 'within goals' : 'OUTSIDE GOALS'}; load average (1 min) at end: ${loadavg()[0]?.toFixed(2) ?? '?'}`);
  if (profileDir !== undefined) {
    // A pass of its own: the profiler's overhead stays out of the figures above.
    const profiled = await startCrsCds(profileDir);
    await saturate(profiled, body);
    await stop(profiled);
    for (const file of readdirSync(profileDir).filter((name) => name.endsWith('.cpuprofile'))) {
      const summary = summariseCpuProfile(join(profileDir, file));
      if (summary === undefined) continue; // a thread that served no request (the TypeScript loader's)
      console.log(`\nCPU profile of crs-cds (${file}): ${summary.busyMs} ms busy`);
      console.log('  by where the code lives:');
      for (const row of summary.byArea) console.log(`    ${row.percent.toFixed(1).padStart(5)} %  ${row.name}`);
      console.log('  functions with the most self time:');
      for (const row of summary.topFunctions) console.log(`    ${row.percent.toFixed(1).padStart(5)} %  ${row.name}`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
