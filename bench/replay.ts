/**
 * Benchmark of `crs-cds replay` (issue 11): a synthetic cohort (`crs-cds cohort`, hourly vitals over 14
 * days) replayed under a proposed configuration that changes grades (fever 37.5 °C, SBP below 100), as
 * Bundles and as Bulk Data NDJSON, each run a separate `crs-cds replay` process measured by
 * `/usr/bin/time -v` (wall time, peak RSS). Prints every run and the medians.
 * Goal (issue 11): 1,000 patients in under 60 s, peak RSS under 500 MB, on this 2-core machine.
 * Run with `npm run bench:replay [-- --patients N --runs R]` (under the shared lock on a shared machine).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { patients: { type: 'string' }, runs: { type: 'string' }, workers: { type: 'string' } } });
const PATIENTS = Number(values.patients ?? 1000);
const RUNS = Number(values.runs ?? 3);
const GOAL_S = 60;
const GOAL_MB = 500;
const bin = new URL('../bin/crs-cds.mjs', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'crs-bench-replay-'));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

try {
  writeFileSync(join(dir, 'proposed.yaml'), 'grading:\n  feverCelsius: 37.5\n  sbpBelow: 100\n');
  for (const format of ['bundle', 'ndjson']) {
    execFileSync(process.execPath, [bin, 'cohort', '--patients', String(PATIENTS), '--out', join(dir, format), '--format', format, '--vitals-every', '1', '--seed', '11'], { stdio: 'ignore' });
  }
  console.log(`replay: ${PATIENTS} patients × 14 days of hourly vitals, ${availableParallelism()} CPUs, load average ${loadavg()[0]?.toFixed(2)} at the start`);
  for (const format of ['bundle', 'ndjson']) {
    const walls: number[] = [];
    const rss: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const args = ['-v', process.execPath, bin, 'replay', '--config', join(dir, 'proposed.yaml'), '--json', ...(values.workers === undefined ? [] : ['--workers', values.workers]), join(dir, format)];
      const result = spawnSync('/usr/bin/time', args, { encoding: 'utf8', maxBuffer: 1 << 30 });
      if (result.status !== 0) throw new Error(`replay failed: ${result.stderr.split('\n').slice(-25).join('\n')}`);
      const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(result.stderr);
      const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
      const seconds = Number(wall?.[1] ?? 0) * 3600 + Number(wall?.[2]) * 60 + Number(wall?.[3]);
      walls.push(seconds);
      rss.push(Number(kb?.[1]) / 1024);
      const summary = (JSON.parse(result.stdout) as { summary: { hours: number; patientsChanged: { any: number } } }).summary;
      console.log(`  ${format} run ${run + 1}: ${seconds.toFixed(1)} s, ${(PATIENTS / seconds).toFixed(1)} patients/s, peak RSS ${rss[rss.length - 1]?.toFixed(0)} MB (${summary.hours} hours, ${summary.patientsChanged.any} patients changed)`);
    }
    const s = median(walls);
    const mb = median(rss);
    console.log(`${format}: median of ${RUNS}: ${s.toFixed(1)} s, ${(PATIENTS / s).toFixed(1)} patients/s, peak RSS ${mb.toFixed(0)} MB — ${s < GOAL_S * (PATIENTS / 1000) && mb < GOAL_MB ? 'within' : 'OUTSIDE'} the goal (${GOAL_S} s per 1,000 patients, ${GOAL_MB} MB)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
