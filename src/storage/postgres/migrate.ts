/**
 * Versioned PostgreSQL migrations, applied at start-up by every replica and safe when several start at
 * once: one session holds an advisory lock while it reads `schema_migrations` and applies what is
 * missing, each migration in its own transaction together with its bookkeeping row; the others wait for
 * the lock, then find nothing left to do. A migration already applied whose text has changed since
 * stops start-up (its checksum differs): published migrations are never edited, a new one is added.
 * A database migrated by a newer release (a version this code does not know) is used as it is, with a
 * warning: during a rolling upgrade old replicas keep serving, which is why migrations only add (see
 * docs/deployment.md, "Upgrades").
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Logger } from 'pino';
import { isUnavailableError } from './database.js';
import { StorageUnavailableError } from '../storage-unavailable.js';

/** One schema change: versions count up from 1 without gaps; `sql` runs inside a transaction. */
export interface Migration {
  readonly version: number;
  /** A few words, kebab-case, as in the file name (`0001-feedback.ts` → `feedback`). */
  readonly name: string;
  readonly sql: string;
}

/** The advisory lock key every crs-cds replica takes around migrations (any fixed 64-bit number). */
const MIGRATION_LOCK_KEY = '7241066217093751313';
const LOCK_POLL_MS = 100;

/** A migration problem that retrying cannot fix (edited migration, bad list); start-up stops. */
export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

export interface MigrationOptions {
  /** Longest wait for another replica's migration to finish, ms; default 60 000. */
  readonly lockWaitMs?: number;
}

/** What a run did. */
export interface MigrationReport {
  /** Versions this run applied (empty when the schema was already current). */
  readonly applied: readonly number[];
  /** The highest version recorded in the database afterwards. */
  readonly schemaVersion: number;
}

const checksum = (sql: string): string => createHash('sha256').update(sql).digest('hex');

/**
 * Checks that versions run 1, 2, 3, … in order.
 * @param migrations - the release's migrations
 * @throws MigrationError on a gap, duplicate or disorder
 */
export function checkMigrationList(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new MigrationError(`migration list: expected version ${index + 1} at position ${index + 1}, found ${migration.version} (${migration.name})`);
    }
  });
}

async function takeLock(client: pg.PoolClient, waitMs: number, log: Logger): Promise<void> {
  const deadline = Date.now() + waitMs;
  let logged = false;
  for (;;) {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [MIGRATION_LOCK_KEY]);
    if (rows[0]?.locked === true) return;
    if (Date.now() >= deadline) {
      throw new MigrationError(`another replica held the migration lock for more than ${waitMs} ms`);
    }
    if (!logged) {
      log.info({ event: 'storage.migration-wait' }, 'waiting for another replica to finish migrating');
      logged = true;
    }
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}

async function applyMissing(client: pg.PoolClient, migrations: readonly Migration[], log: Logger): Promise<MigrationReport> {
  await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const { rows } = await client.query<{ version: number; checksum: string }>('SELECT version, checksum FROM schema_migrations ORDER BY version');
  const recorded = new Map(rows.map((row) => [row.version, row.checksum]));
  const applied: number[] = [];
  for (const migration of migrations) {
    const sum = checksum(migration.sql);
    const existing = recorded.get(migration.version);
    if (existing !== undefined) {
      if (existing !== sum) {
        throw new MigrationError(`migration ${migration.version} (${migration.name}) differs from the one applied to this database; add a new migration instead of editing it`);
      }
      continue;
    }
    await client.query('BEGIN');
    try {
      // A migration may rebuild a large table: the pool's per-statement bound does not apply here.
      await client.query('SET LOCAL statement_timeout = 0');
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [migration.version, migration.name, sum]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    applied.push(migration.version);
    log.info({ event: 'storage.migrated', version: migration.version, migration: migration.name }, 'applied a database migration');
  }
  const known = migrations.length;
  const newest = Math.max(known, ...recorded.keys());
  if (newest > known) {
    log.warn({ event: 'storage.schema-newer', schemaVersion: newest, knownVersion: known }, 'the database schema is newer than this release; running on it (rolling upgrade)');
  }
  return { applied, schemaVersion: newest };
}

/**
 * Applies the migrations the database lacks, under the advisory lock.
 * @param pool - the replica's pool (one session is taken for the run)
 * @param migrations - every migration of this release, in version order
 * @param log - progress (versions and names only)
 * @param options - lock wait bound
 * @throws StorageUnavailableError when the database cannot be reached; MigrationError when the schema
 *   cannot be brought up to date safely; pg's error when a migration's SQL fails
 */
export async function migrate(pool: pg.Pool, migrations: readonly Migration[], log: Logger, options: MigrationOptions = {}): Promise<MigrationReport> {
  checkMigrationList(migrations);
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw isUnavailableError(error) ? new StorageUnavailableError() : error;
  }
  let locked = false;
  try {
    await takeLock(client, options.lockWaitMs ?? 60_000, log);
    locked = true;
    return await applyMissing(client, migrations, log);
  } catch (error) {
    throw error instanceof MigrationError || !isUnavailableError(error) ? error : new StorageUnavailableError();
  } finally {
    // The lock is per session: released here, or by the server when a crashed replica's session ends.
    if (locked) await client.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    client.release();
  }
}
