/**
 * Graceful stop on SIGTERM (Kubernetes, compose, systemd): stop accepting connections, let the calls in
 * flight finish within a bound, then close the storage (the PostgreSQL pool) and tell the caller which
 * exit status to use. Keep-alive connections are closed as soon as they fall idle, so a client with a
 * pooled connection is not held open until the bound.
 */
import type { Server } from 'node:http';
import type { Logger } from 'pino';

/** How often idle keep-alive connections are closed while draining, ms. */
const IDLE_SWEEP_MS = 100;
/** Bound on closing the storage after the drain, ms. */
const CLOSE_STORAGE_MS = 5000;

/**
 * Stops the listener and waits for in-flight calls; after `timeoutMs` cuts what is left.
 * @param server - the listening server
 * @param timeoutMs - `http.drainTimeoutMs`
 * @returns `drained` when every call finished, `cut` when connections had to be closed
 */
export function drainServer(server: Server, timeoutMs: number): Promise<'drained' | 'cut'> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: 'drained' | 'cut'): void => {
      if (settled) return;
      settled = true;
      clearInterval(sweep);
      clearTimeout(bound);
      resolve(outcome);
    };
    server.close(() => settle('drained'));
    server.closeIdleConnections();
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const bound = setTimeout(() => {
      server.closeAllConnections();
      settle('cut');
    }, timeoutMs);
  });
}

export interface GracefulStop {
  readonly server: Server;
  readonly drainTimeoutMs: number;
  /** Closes the storage; bounded here so a stuck close cannot keep the process alive. */
  readonly closeStorage: () => Promise<void>;
  readonly logger: Logger;
}

/**
 * Drains the server, closes the storage, and answers the exit status: 0 when every call finished and
 * the storage closed, 1 otherwise.
 * @param stop - server, bound, storage and logger
 * @param signal - the signal that asked for the stop (logged)
 */
export async function stopGracefully(stop: GracefulStop, signal: string): Promise<number> {
  const started = performance.now();
  stop.logger.info({ signal, drainTimeoutMs: stop.drainTimeoutMs }, 'shutting down: refusing new connections, finishing calls in flight');
  const outcome = await drainServer(stop.server, stop.drainTimeoutMs);
  if (outcome === 'cut') {
    stop.logger.warn({ drainTimeoutMs: stop.drainTimeoutMs }, 'calls still in flight at the drain bound were cut');
  }
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    stop.closeStorage().then(() => true, () => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), CLOSE_STORAGE_MS);
    }),
  ]);
  clearTimeout(timer);
  if (!closed) stop.logger.warn('storage did not close cleanly');
  stop.logger.info({ outcome, durationMs: Math.round(performance.now() - started) }, 'stopped');
  return outcome === 'drained' && closed ? 0 : 1;
}
