/**
 * Everything crs-cds keeps, behind one interface with two implementations: the embedded SQLite file
 * (the default, one process) and PostgreSQL (`storage.kind: postgres`, shared by every replica: feedback
 * in one place, a `jti` accepted anywhere refused everywhere, per-issuer limits counted once).
 *
 * Adding a store: give it an interface under src/storage, a field here, an embedded implementation in
 * `openEmbeddedStorage`, and for PostgreSQL a migration (postgres/migrations/) plus an implementation
 * on the shared database handle, wired in postgres/postgres-storage.ts. test/storage/storage-contract.ts
 * runs the same behaviour tests against both.
 */
import type { Store } from 'express-rate-limit';
import type { Logger } from 'pino';
import { createReplayCache, type ReplayCache } from '../auth/replay-cache.js';
import type { StorageConfig } from '../config/types.js';
import { resolveDatabaseUrl } from './database-url.js';
import type { FeedbackStore } from './feedback-store.js';
import { openPostgresStorage } from './postgres/postgres-storage.js';
import { openSqliteFeedbackStore } from './sqlite-feedback-store.js';

export interface Storage {
  readonly kind: StorageConfig['kind'];
  readonly feedback: FeedbackStore;
  /** Accepted JWT ids: in-process with SQLite, shared across replicas with PostgreSQL. */
  readonly replayCache: ReplayCache;
  /** Per-issuer rate-limit counters; absent = express-rate-limit's in-process memory (one replica). */
  readonly rateLimitStore?: Store;
  /** Whether the storage answers now (readiness). */
  readonly ping: () => Promise<boolean>;
  /** Closes every store (the pool, or the file); idempotent. */
  readonly close: () => Promise<void>;
}

export interface OpenStorageOptions {
  /** `DATABASE_URL` is read from here; usually `process.env`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger;
  /** How long start-up waits for an unreachable PostgreSQL, ms; default 30 000. */
  readonly startupWaitMs?: number;
}

function openEmbeddedStorage(config: StorageConfig): Storage {
  const feedback = openSqliteFeedbackStore(config.sqlitePath);
  return { kind: 'sqlite', feedback, replayCache: createReplayCache(), ping: feedback.ping, close: feedback.close };
}

/**
 * Opens the configured storage; with PostgreSQL, applies pending migrations first.
 * @param config - the `storage` section
 * @param options - environment, logger, start-up wait
 * @throws ConfigError when PostgreSQL is configured without a usable URL; StorageUnavailableError when
 *   it stays unreachable for the start-up wait; MigrationError when the schema cannot be made current
 */
export async function openStorage(config: StorageConfig, options: OpenStorageOptions): Promise<Storage> {
  if (config.kind === 'sqlite') {
    return openEmbeddedStorage(config);
  }
  const url = resolveDatabaseUrl(config, options.env);
  return openPostgresStorage(url, config, { logger: options.logger, startupWaitMs: options.startupWaitMs });
}
