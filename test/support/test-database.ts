/**
 * A fresh PostgreSQL database per test file (`crs_test_<random>`) on the server of DATABASE_URL, so
 * files running in parallel never see each other's rows or migrations; dropped when the file is done.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server the PostgreSQL tests use; fails (never skips) when there is none. */
export function adminDatabaseUrl(): string {
  const url = process.env['DATABASE_URL'];
  if (url === undefined || url === '') {
    throw new Error(
      'PostgreSQL tests need a server: set DATABASE_URL, or install the PostgreSQL server binaries ' +
        '(Debian: apt-get install postgresql) so the test setup can start a throw-away cluster',
    );
  }
  return url;
}

export interface TestDatabase {
  /** Connection URL of the new database. */
  readonly url: string;
  readonly name: string;
  /** Drops the database, ending any session still on it. */
  readonly drop: () => Promise<void>;
}

async function asAdmin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl() });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Creates an empty database. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `crs_test_${randomBytes(6).toString('hex')}`;
  await asAdmin(`CREATE DATABASE ${name}`);
  const url = new URL(adminDatabaseUrl());
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => dropDatabase(name) };
}

/**
 * Drops a database once the sessions still on it have gone. pg's `Pool.end()` resolves before its
 * connections have finished closing; forcing the drop at once would terminate them mid-goodbye, and a
 * client that is ending throws that as an uncaught error. FORCE stays as the last resort.
 */
async function dropDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl() });
  await client.connect();
  try {
    for (let waited = 0; waited < 5000; waited += 50) {
      const { rows } = await client.query<{ sessions: string }>('SELECT count(*) AS sessions FROM pg_stat_activity WHERE datname = $1', [name]);
      if (rows[0]?.sessions === '0') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * Runs one query on a database and answers its rows (test assertions on what the service stored).
 * @param url - the database
 * @param text - SQL
 * @param params - parameters
 */
export async function queryRows<Row extends Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(text, params)).rows;
  } finally {
    await client.end();
  }
}
