/**
 * What every embedded store shares: how a connection is opened, answered for readiness, and purged.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'libsql';

/** Rows deleted per statement by a purge, so one purge never holds the write lock for long. */
export const PURGE_BATCH_ROWS = 1000;

/**
 * Opens a connection as every embedded store uses it. WAL with synchronous FULL: a committed
 * (acknowledged) write survives a crash of the process. The busy timeout lets a reader such as
 * `crs-cds report` wait for a writer instead of failing at once (better-sqlite3 set 5 s by default;
 * libsql sets none).
 * @param path - `storage.sqlitePath`; `:memory:` keeps nothing across restarts; the directory is created
 */
export function openSqliteDatabase(path: string): Database.Database {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true });
  }
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * Deletes rows of `table` whose `column` (ISO text) is before `cutoff`, in batches, yielding to the
 * event loop between batches (the binding is synchronous).
 * @returns how many rows were deleted
 */
export async function purgeRowsBefore(db: Database.Database, table: string, column: string, cutoff: Date): Promise<number> {
  const remove = db.prepare(
    `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${column} < ? LIMIT ${PURGE_BATCH_ROWS})`,
  );
  let total = 0;
  for (;;) {
    const { changes } = remove.run(cutoff.toISOString());
    total += Number(changes);
    if (Number(changes) < PURGE_BATCH_ROWS) return total;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * @param db - a connection
 * @returns whether it is open and answers a query
 */
export function pingDatabase(db: Database.Database): boolean {
  try {
    return db.open && db.prepare('SELECT 1 AS ok').get() !== undefined;
  } catch {
    return false;
  }
}

/**
 * Closes a connection once; a second call (the other store on a shared connection) does nothing.
 * @param db - a connection
 */
export function closeDatabase(db: Database.Database): void {
  if (db.open) db.close();
}
