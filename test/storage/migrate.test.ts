/**
 * PostgreSQL migrations (issue 13) against a real server: applied once, idempotent, race-free when many
 * replicas migrate at the same moment, an edited migration refused, a newer schema tolerated, and the
 * explicit list in step with the files beside it.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkMigrationList, migrate, MigrationError, type Migration } from '../../src/storage/postgres/migrate.js';
import { POSTGRES_MIGRATIONS } from '../../src/storage/postgres/migrations/index.js';
import { createLogCapture } from '../support/log-capture.js';
import { createTestDatabase, queryRows, type TestDatabase } from '../support/test-database.js';

const databases: TestDatabase[] = [];
const pools: pg.Pool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end()));
  await Promise.all(databases.map((database) => database.drop()));
});

async function freshDatabase(): Promise<string> {
  const database = await createTestDatabase();
  databases.push(database);
  return database.url;
}

function poolOn(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pools.push(pool);
  return pool;
}

const versions = (url: string) => queryRows<{ version: number; name: string }>(url, 'SELECT version, name FROM schema_migrations ORDER BY version');

describe('migrate', () => {
  let url: string;
  beforeAll(async () => {
    url = await freshDatabase();
  });

  test('applies every migration once, then finds nothing to do', async () => {
    const { logger } = createLogCapture();
    expect(await migrate(poolOn(url), POSTGRES_MIGRATIONS, logger)).toEqual({ applied: [1, 2, 3], schemaVersion: 3 });
    expect(await versions(url)).toEqual([
      { version: 1, name: 'feedback' },
      { version: 2, name: 'jwt-replay' },
      { version: 3, name: 'issuer-rate-limit' },
    ]);
    expect(await migrate(poolOn(url), POSTGRES_MIGRATIONS, logger)).toEqual({ applied: [], schemaVersion: 3 });
    const tables = await queryRows<{ name: string }>(url, "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
    expect(tables.map((row) => row.name)).toEqual(['feedback', 'issuer_rate_limit', 'jwt_replay', 'schema_migrations']);
  });

  test('is race-free: eight replicas migrating one fresh database at once apply each version exactly once', async () => {
    const fresh = await freshDatabase();
    const { logger, records } = createLogCapture();
    const reports = await Promise.all(Array.from({ length: 8 }, () => migrate(poolOn(fresh), POSTGRES_MIGRATIONS, logger)));
    expect(reports.flatMap((report) => report.applied).sort()).toEqual([1, 2, 3]);
    expect(reports.every((report) => report.schemaVersion === 3)).toBe(true);
    expect((await versions(fresh)).map((row) => row.version)).toEqual([1, 2, 3]);
    expect(records().filter((line) => line['event'] === 'storage.migrated')).toHaveLength(3);
  });

  test('refuses to start on a database where a shipped migration was applied with other text', async () => {
    const edited: Migration[] = POSTGRES_MIGRATIONS.map((m) => (m.version === 2 ? { ...m, sql: `${m.sql}\n-- edited` } : m));
    const { logger } = createLogCapture();
    await expect(migrate(poolOn(url), edited, logger)).rejects.toThrow(
      new MigrationError('migration 2 (jwt-replay) differs from the one applied to this database; add a new migration instead of editing it'),
    );
  });

  test('runs on a schema a newer release migrated (rolling upgrade), with a warning', async () => {
    const { logger } = createLogCapture();
    const newer: Migration[] = [...POSTGRES_MIGRATIONS, { version: 4, name: 'from-the-future', sql: 'CREATE TABLE future_thing (id integer)' }];
    const fresh = await freshDatabase();
    await migrate(poolOn(fresh), newer, logger);
    const { logger: oldLogger, records } = createLogCapture();
    expect(await migrate(poolOn(fresh), POSTGRES_MIGRATIONS, oldLogger)).toEqual({ applied: [], schemaVersion: 4 });
    expect(records()).toContainEqual(expect.objectContaining({ event: 'storage.schema-newer', schemaVersion: 4, knownVersion: 3 }));
  });

  test('a failing migration leaves no trace and no bookkeeping row', async () => {
    const fresh = await freshDatabase();
    const { logger } = createLogCapture();
    const broken: Migration[] = [...POSTGRES_MIGRATIONS, { version: 4, name: 'broken', sql: 'CREATE TABLE half_done (id integer); SELECT no_such_function()' }];
    await expect(migrate(poolOn(fresh), broken, logger)).rejects.toThrow(/no_such_function/);
    expect((await versions(fresh)).map((row) => row.version)).toEqual([1, 2, 3]);
    expect(await queryRows(fresh, "SELECT 1 FROM pg_tables WHERE tablename = 'half_done'")).toEqual([]);
  });
});

describe('the migration list', () => {
  test('numbers versions 1, 2, 3 … and refuses gaps or disorder', () => {
    expect(() => checkMigrationList(POSTGRES_MIGRATIONS)).not.toThrow();
    const [first, second, third] = POSTGRES_MIGRATIONS as [Migration, Migration, Migration];
    expect(() => checkMigrationList([first, third])).toThrow('migration list: expected version 2 at position 2, found 3 (issuer-rate-limit)');
    expect(() => checkMigrationList([second, first])).toThrow(MigrationError);
  });

  test('lists every migration file of the directory, under the version and name its file name says', () => {
    const directory = fileURLToPath(new URL('../../src/storage/postgres/migrations/', import.meta.url));
    const files = readdirSync(directory).filter((file) => file !== 'index.ts').sort();
    expect(files.map((file) => file.replace(/\.ts$/, ''))).toEqual(
      POSTGRES_MIGRATIONS.map((m) => `${String(m.version).padStart(4, '0')}-${m.name}`),
    );
  });
});
