/**
 * Fires a burst of concurrent hook calls from another process: a client in the test's own process
 * shares the server's event loop and staggers its sends behind the work it measures, so it never
 * produces a real burst. Each call reports its status, latency and `Retry-After`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BurstResult {
  readonly status: number;
  readonly ms: number;
  readonly retryAfter: string | null;
}

const CLIENT = `
const [url, file, count] = process.argv.slice(1);
const body = require('node:fs').readFileSync(file);
const one = async () => {
  const started = performance.now();
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - started, retryAfter: res.headers.get('retry-after') };
  } catch {
    return { status: 0, ms: performance.now() - started, retryAfter: null };
  }
};
Promise.all(Array.from({ length: Number(count) }, one)).then((results) => process.stdout.write(JSON.stringify(results)));
`;

/**
 * Sends `count` POSTs of `body` to `url` at once, from a child process.
 * @returns one result per call; status 0 when the call failed without an answer
 */
export async function burst(url: string, body: string, count: number): Promise<BurstResult[]> {
  const file = join(mkdtempSync(join(tmpdir(), 'crs-burst-')), 'body.json');
  writeFileSync(file, body);
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ['-e', CLIENT, url, file, String(count)], { maxBuffer: 16 * 1024 * 1024 }, (error, out) =>
      error === null ? resolve(out) : reject(error),
    );
  });
  return JSON.parse(stdout) as BurstResult[];
}
