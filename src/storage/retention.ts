/**
 * `storage.retentionDays`: a periodic purge of everything stored (audit records and feedback) older than
 * the retention period. Runs once at start and then every `everyMs`; its timer never keeps the process
 * alive. The clock is injected, so tests move time instead of waiting.
 */
import type { Logger } from 'pino';

/** Anything stored with a time: the audit and feedback stores. */
export interface Purgeable {
  readonly purgeBefore: (cutoff: Date) => Promise<number>;
}

export interface RetentionOptions {
  readonly retentionDays: number;
  readonly stores: readonly Purgeable[];
  readonly logger: Pick<Logger, 'info' | 'error'>;
  /** Default the wall clock. */
  readonly now?: () => Date;
  /** Interval between purges; default one hour. */
  readonly everyMs?: number;
}

export interface RetentionPurge {
  /** Purges now; resolves to the number of rows deleted (0 when a store failed: logged). */
  readonly runOnce: () => Promise<number>;
  readonly stop: () => void;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Starts the periodic purge.
 * @param options - retention, stores, logger, clock and interval
 */
export function startRetentionPurge(options: RetentionOptions): RetentionPurge {
  const now = options.now ?? (() => new Date());
  let running: Promise<number> | undefined;
  const purge = async (): Promise<number> => {
    const cutoff = new Date(now().getTime() - options.retentionDays * DAY_MS);
    let deleted = 0;
    for (const store of options.stores) {
      try {
        deleted += await store.purgeBefore(cutoff);
      } catch (error) {
        options.logger.error({ errorName: error instanceof Error ? error.name : typeof error }, 'retention purge failed; will retry');
      }
    }
    if (deleted > 0) options.logger.info({ deleted, retentionDays: options.retentionDays }, 'retention purge');
    return deleted;
  };
  // One purge at a time: a slow purge is not overlapped by the next tick.
  const runOnce = (): Promise<number> => {
    running ??= purge().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => void runOnce(), options.everyMs ?? 60 * 60 * 1000);
  timer.unref();
  void runOnce();
  return { runOnce, stop: () => clearInterval(timer) };
}
