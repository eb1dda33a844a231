/**
 * Throw-away PostgreSQL clusters for tests, from the server binaries on the machine (Debian's
 * postgresql package: /usr/lib/postgresql/<version>/bin; PG_BIN overrides). Each cluster has its own
 * temporary data directory and socket directory and a free TCP port on 127.0.0.1, trusts local
 * connections, and is stopped and deleted by `stopThrowawayCluster`. As root, the server runs as the
 * `postgres` user (initdb refuses root).
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface ThrowawayCluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  readonly url: string;
  /** The temporary directory holding data, socket and log; `stopThrowawayCluster` removes it. */
  readonly dir: string;
}

/** The directory of initdb/pg_ctl: PG_BIN, else the newest /usr/lib/postgresql/<version>/bin; undefined when absent. */
export function findPostgresBin(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env['PG_BIN'];
  if (explicit !== undefined && explicit !== '') return existsSync(join(explicit, 'initdb')) ? explicit : undefined;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
  return versions.map((version) => join(root, version, 'bin')).find((bin) => existsSync(join(bin, 'initdb')));
}

const isRoot = (): boolean => userInfo().uid === 0;

/** Runs a PostgreSQL binary, as the postgres user when we are root. */
function runPg(bin: string, tool: string, args: readonly string[]): void {
  const [command, commandArgs] = isRoot() ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), [...args]];
  execFileSync(command, commandArgs, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Creates and starts a cluster (a few seconds).
 * @param bin - the binaries' directory (findPostgresBin)
 */
export async function startThrowawayCluster(bin: string): Promise<ThrowawayCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'crs-pg-'));
  if (isRoot()) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), Number(execFileSync('id', ['-g', 'postgres']).toString().trim()));
  runPg(bin, 'initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  // Another process may take the probed port before the server binds it: try a few.
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    // fsync off: a throw-away cluster; the tests crash crs-cds replicas, never the database server.
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
    try {
      runPg(bin, 'pg_ctl', ['-D', join(dir, 'data'), '-o', options, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
      return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, dir };
    } catch (error) {
      if (attempt >= 3) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
}

/**
 * Stops the cluster (fast shutdown) and deletes its directory.
 * @param bin - the binaries' directory
 * @param dir - `ThrowawayCluster.dir`
 */
export function stopThrowawayCluster(bin: string, dir: string): void {
  try {
    runPg(bin, 'pg_ctl', ['-D', join(dir, 'data'), '-m', 'fast', '-w', 'stop']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
