/** `storage.retentionDays` on PostgreSQL: rows older than a cutoff, deleted in bounded batches. */
import type { PostgresDatabase } from './database.js';

/** Rows deleted per statement, so one purge never holds many row locks at once. */
const BATCH = 500;

/**
 * Deletes the rows of `table` whose `column` is before `cutoff`, batch by batch.
 * @param db - the replica's database handle
 * @param table - a table of ours (never client text)
 * @param key - its unique key column
 * @param column - the timestamptz column compared with the cutoff
 * @param cutoff - rows before it go
 * @returns how many rows were deleted
 */
export async function purgeRowsBefore(db: PostgresDatabase, table: string, key: string, column: string, cutoff: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await db.query<{ n: number }>(
      `WITH gone AS (DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE ${column} < $1 LIMIT ${BATCH}) RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [cutoff],
    );
    const n = deleted[0]?.n ?? 0;
    total += n;
    if (n < BATCH) return total;
  }
}
