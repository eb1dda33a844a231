/**
 * A value that can be rebuilt at run time (the configuration on SIGHUP). A reload builds the new value
 * completely, then swaps one reference: a request that already read `current()` keeps its snapshot,
 * and an invalid new value leaves the running one in place.
 */
import { ConfigError } from './config-error.js';

/** The two log calls a reload makes (a pino logger fits). */
export interface ReloadLog {
  info(msg: string): void;
  error(obj: unknown, msg: string): void;
}

/** The holder returned by `createReloadable`. */
export interface Reloadable<T> {
  /** The value in force; read it once per request and keep the reference. */
  current(): T;
  /** Rebuilds the value; `true` when swapped, `false` when the old value was kept. */
  reload(): boolean;
}

/** What a failed reload logs: the problems of a ConfigError, else the error's name and message, never a stack. */
function describeFailure(error: unknown): unknown {
  if (error instanceof ConfigError) {
    return { reason: error.reason, file: error.file, problems: error.problems };
  }
  if (error instanceof Error) {
    return { error: error.name, message: error.message };
  }
  return { error: 'non-Error thrown' };
}

/**
 * @param load - builds a complete value or throws; called once now (a failure here propagates, so
 *   start-up stops) and once per `reload()`
 * @param log - receives one `info` per successful reload and one `error` per failed one
 */
export function createReloadable<T>(load: () => T, log: ReloadLog): Reloadable<T> {
  let value = load();
  return {
    current: () => value,
    reload(): boolean {
      let next: T;
      try {
        next = load();
      } catch (error) {
        log.error(describeFailure(error), 'configuration reload failed; keeping the running configuration');
        return false;
      }
      value = next;
      log.info('configuration reloaded');
      return true;
    },
  };
}
