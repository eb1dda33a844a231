/**
 * Vitest global setup: the PostgreSQL the storage tests run against. With DATABASE_URL set (CI's
 * `.ci/run` exports one) that server is used; otherwise a throw-away cluster is started from the
 * machine's PostgreSQL binaries for this run and stopped after it. With neither, nothing starts and
 * every PostgreSQL test fails naming what is missing (test-database.ts): they never skip silently.
 */
import { findPostgresBin, startThrowawayCluster, stopThrowawayCluster } from './postgres-cluster.js';

/** Global setup: returns the teardown that stops the cluster it started, if any. */
export default async function setup(): Promise<(() => void) | undefined> {
  const given = process.env['DATABASE_URL'];
  if (given !== undefined && given !== '') return undefined;
  const bin = findPostgresBin();
  if (bin === undefined) return undefined;
  const cluster = await startThrowawayCluster(bin);
  // Test workers are started after global setup and inherit this environment.
  process.env['DATABASE_URL'] = cluster.url;
  return () => stopThrowawayCluster(bin, cluster.dir);
}
