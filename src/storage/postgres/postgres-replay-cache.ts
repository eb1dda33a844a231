/**
 * The JWT replay cache shared by every replica (CDS Hooks best practices, "JWT" step 6): a `jti`
 * accepted by replica A is refused by replica B. One statement decides atomically: insert the id, or
 * take over a row whose token has expired; any other existing row means a replay. The key at rest is a
 * SHA-256 of issuer and jti. Expired rows are purged now and then by the replica that inserts.
 */
import { createHash } from 'node:crypto';
import type { ReplayCache } from '../../auth/replay-cache.js';
import type { PostgresDatabase } from './database.js';

export interface PostgresReplayCacheOptions {
  /** Purge expired rows after this many remembered ids; default 500. */
  readonly purgeEvery?: number;
}

/**
 * The cache on a database migrated to at least version 2.
 * @param db - the replica's database handle
 * @param options - purge cadence
 */
export function createPostgresReplayCache(db: PostgresDatabase, options: PostgresReplayCacheOptions = {}): ReplayCache {
  const purgeEvery = options.purgeEvery ?? 500;
  let sincePurge = 0;
  return {
    remember: async (key, expiresAtMs, nowMs) => {
      const hash = createHash('sha256').update(key).digest();
      const rows = await db.query(
        `INSERT INTO jwt_replay (key_hash, expires_at_ms) VALUES ($1, $2)
         ON CONFLICT (key_hash) DO UPDATE SET expires_at_ms = EXCLUDED.expires_at_ms
           WHERE jwt_replay.expires_at_ms <= $3
         RETURNING 1 AS fresh`,
        [hash, Math.ceil(expiresAtMs), Math.floor(nowMs)],
      );
      sincePurge += 1;
      if (sincePurge >= purgeEvery) {
        sincePurge = 0;
        // Housekeeping only: a failed purge changes no verdict, so it is neither awaited nor reported.
        db.query('DELETE FROM jwt_replay WHERE expires_at_ms <= $1', [Math.floor(nowMs)]).catch(() => undefined);
      }
      return rows.length === 1 ? 'fresh' : 'replayed';
    },
  };
}
