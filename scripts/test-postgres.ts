/**
 * A throw-away PostgreSQL for CI (`.ci/run`): `start` prints shell `export` lines (DATABASE_URL and the
 * cluster directory); `stop <dir>` stops it and removes its files. Run with `node --import tsx`.
 */
import { findPostgresBin, startThrowawayCluster, stopThrowawayCluster } from '../test/support/postgres-cluster.js';

const [command, dir] = process.argv.slice(2);
const bin = findPostgresBin();
if (bin === undefined) {
  process.stderr.write('PostgreSQL server binaries not found (Debian: apt-get install postgresql; or set PG_BIN)\n');
  process.exit(1);
}
if (command === 'start') {
  const cluster = await startThrowawayCluster(bin);
  process.stdout.write(`export DATABASE_URL='${cluster.url}'\nexport CRS_CDS_TEST_PG_DIR='${cluster.dir}'\n`);
} else if (command === 'stop' && dir !== undefined) {
  stopThrowawayCluster(bin, dir);
} else {
  process.stderr.write('usage: test-postgres.ts start | stop <dir>\n');
  process.exit(2);
}
