/**
 * One replica's handle on PostgreSQL: a bounded pool (size, connection wait, statement time, idle
 * time), statements whose connection-level failures become StorageUnavailableError (callers fail
 * closed with 503), a readiness ping and an idempotent close. The connection URL never reaches a log
 * line or an error message: only its host, port, database and user do.
 */
import pg from 'pg';
import type { Logger } from 'pino';
import type { PostgresPoolConfig } from '../../config/types.js';
import { StorageUnavailableError } from '../storage-unavailable.js';

/** SQLSTATE classes meaning "the database cannot serve now": connection exception, insufficient
 * resources, operator intervention (shutdown, statement timeout). Anything else is a real error. */
const UNAVAILABLE_CLASSES: ReadonlySet<string> = new Set(['08', '53', '57']);

/**
 * Whether an error from pg means the database is unreachable or overloaded rather than a bad statement.
 * Errors with no SQLSTATE come from the network or the pool (refused, reset, timed out, pool ended).
 * @param error - what pg threw
 */
export function isUnavailableError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    return UNAVAILABLE_CLASSES.has(code.slice(0, 2));
  }
  return true;
}

export interface PostgresDatabase {
  /** The pool, for the migration runner's dedicated session. */
  readonly pool: pg.Pool;
  /**
   * Runs one statement and answers its rows.
   * @throws StorageUnavailableError when the database cannot be reached in time; pg's error otherwise
   */
  readonly query: <Row extends Record<string, unknown>>(text: string, params?: readonly unknown[]) => Promise<Row[]>;
  /** Whether a trivial statement succeeds now (readiness). */
  readonly ping: () => Promise<boolean>;
  /** Ends the pool once; later calls wait for the same end. */
  readonly close: () => Promise<void>;
}

/**
 * Creates the pool; nothing connects until the first statement.
 * @param url - the connection URL (already checked)
 * @param pool - `storage.pool`
 * @param logger - for connections dropped while idle (never the URL)
 */
export function createPostgresDatabase(url: string, pool: PostgresPoolConfig, logger: Logger): PostgresDatabase {
  const pgPool = new pg.Pool({
    connectionString: url,
    max: pool.maxConnections,
    connectionTimeoutMillis: pool.connectionTimeoutMs,
    idleTimeoutMillis: pool.idleTimeoutMs,
    statement_timeout: pool.statementTimeoutMs,
    // A server that stops answering mid-statement is bounded on our side too.
    query_timeout: pool.statementTimeoutMs + 1000,
    application_name: 'crs-cds',
    keepAlive: true,
  });
  // Without a listener, an idle connection dropped by the server (restart, failover) would crash the process.
  pgPool.on('error', (error: Error & { code?: string }) => {
    logger.warn({ event: 'storage.connection-lost', code: error.code ?? 'network' }, 'PostgreSQL dropped an idle connection');
  });
  let ended: Promise<void> | undefined;

  const query = async <Row extends Record<string, unknown>>(text: string, params: readonly unknown[] = []): Promise<Row[]> => {
    try {
      const result = await pgPool.query<Row>(text, [...params]);
      return result.rows;
    } catch (error) {
      throw isUnavailableError(error) ? new StorageUnavailableError() : error;
    }
  };
  return {
    pool: pgPool,
    query,
    ping: async () => {
      try {
        return (await query<{ ok: number }>('SELECT 1 AS ok'))[0]?.ok === 1;
      } catch {
        return false;
      }
    },
    close: () => {
      ended ??= pgPool.end();
      return ended;
    },
  };
}
