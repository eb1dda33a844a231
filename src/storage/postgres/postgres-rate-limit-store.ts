/**
 * An express-rate-limit Store on PostgreSQL, so `auth.rateLimitPerMinute` holds for an issuer across
 * every replica: fixed windows counted by one atomic upsert per call, timed by the database's clock (one
 * clock for all replicas). A store that cannot be reached throws StorageUnavailableError, and the
 * limiter answers 503 rather than letting the call through.
 */
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { PostgresDatabase } from './database.js';

const NOW_MS = '(extract(epoch FROM clock_timestamp()) * 1000)::bigint';

interface CounterRow extends Record<string, unknown> {
  hits: number;
  reset_at_ms: string;
}

const toInfo = (row: CounterRow | undefined): ClientRateLimitInfo =>
  row === undefined ? { totalHits: 0, resetTime: undefined } : { totalHits: row.hits, resetTime: new Date(Number(row.reset_at_ms)) };

/**
 * The store on a database migrated to at least version 3.
 * @param db - the replica's database handle
 */
export function createPostgresRateLimitStore(db: PostgresDatabase): Store {
  let windowMs = 60_000;
  return {
    // Counts live in the database, shared by every replica and every limiter using the same key.
    localKeys: false,
    prefix: 'issuer:',
    init: (options: Options) => {
      windowMs = options.windowMs;
    },
    get: async (key) => {
      const rows = await db.query<CounterRow>(`SELECT hits, reset_at_ms FROM issuer_rate_limit WHERE key = $1 AND reset_at_ms > ${NOW_MS}`, [key]);
      return rows[0] === undefined ? undefined : toInfo(rows[0]);
    },
    increment: async (key) => {
      const rows = await db.query<CounterRow>(
        `INSERT INTO issuer_rate_limit AS r (key, hits, reset_at_ms) VALUES ($1, 1, ${NOW_MS} + $2)
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN r.reset_at_ms <= EXCLUDED.reset_at_ms - $2 THEN 1 ELSE r.hits + 1 END,
           reset_at_ms = CASE WHEN r.reset_at_ms <= EXCLUDED.reset_at_ms - $2 THEN EXCLUDED.reset_at_ms ELSE r.reset_at_ms END
         RETURNING hits, reset_at_ms`,
        [key, windowMs],
      );
      return toInfo(rows[0]);
    },
    decrement: async (key) => {
      await db.query('UPDATE issuer_rate_limit SET hits = greatest(hits - 1, 0) WHERE key = $1', [key]);
    },
    resetKey: async (key) => {
      await db.query('DELETE FROM issuer_rate_limit WHERE key = $1', [key]);
    },
  };
}
