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
  return { url: url.toString(), name, drop: () => asAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
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
