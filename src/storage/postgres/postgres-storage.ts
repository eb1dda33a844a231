/**
 * The PostgreSQL storage of one replica: the pool, the migrations (retried while the database is still
 * coming up, e.g. when it starts with the replicas), and every store on that one pool.
 */
import type { Logger } from 'pino';
import type { StorageConfig } from '../../config/types.js';
import { databaseLocation } from '../database-url.js';
import type { Storage } from '../storage.js';
import { StorageUnavailableError } from '../storage-unavailable.js';
import { createPostgresDatabase, type PostgresDatabase } from './database.js';
import { migrate } from './migrate.js';
import { POSTGRES_MIGRATIONS } from './migrations/index.js';
import { createPostgresFeedbackStore } from './postgres-feedback-store.js';
import { createPostgresRateLimitStore } from './postgres-rate-limit-store.js';
import { createPostgresReplayCache } from './postgres-replay-cache.js';

export interface PostgresStorageOptions {
  readonly logger: Logger;
  /** How long start-up waits for an unreachable database before giving up, ms; default 30 000. */
  readonly startupWaitMs?: number;
}

const RETRY_MS = 1000;

async function migrateWhenReachable(db: PostgresDatabase, options: PostgresStorageOptions): Promise<void> {
  const { logger } = options;
  const deadline = Date.now() + (options.startupWaitMs ?? 30_000);
  for (;;) {
    try {
      const report = await migrate(db.pool, POSTGRES_MIGRATIONS, logger);
      logger.info({ event: 'storage.schema', schemaVersion: report.schemaVersion, applied: report.applied }, 'database schema is current');
      return;
    } catch (error) {
      if (!(error instanceof StorageUnavailableError) || Date.now() + RETRY_MS > deadline) throw error;
      logger.warn({ event: 'storage.waiting' }, 'database not reachable yet; retrying');
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}

/**
 * Opens the storage: pool, migrations, stores. Closes the pool again if start-up fails.
 * @param url - the connection URL (checked by resolveDatabaseUrl)
 * @param config - the `storage` section (pool bounds)
 * @param options - logger and start-up wait
 */
export async function openPostgresStorage(url: string, config: StorageConfig, options: PostgresStorageOptions): Promise<Storage> {
  const db = createPostgresDatabase(url, config.pool, options.logger);
  try {
    await migrateWhenReachable(db, options);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  options.logger.info({ event: 'storage.open', kind: 'postgres', database: databaseLocation(url) }, 'storage ready');
  return {
    kind: 'postgres',
    feedback: createPostgresFeedbackStore(db),
    replayCache: createPostgresReplayCache(db),
    rateLimitStore: createPostgresRateLimitStore(db),
    ping: db.ping,
    close: db.close,
  };
}
