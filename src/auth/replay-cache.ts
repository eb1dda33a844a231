/**
 * Short-term memory of accepted JWT ids (CDS Hooks best practices, "JWT" step 6): a `jti` seen once is
 * refused until its token expires. This is the in-process cache of one replica; with PostgreSQL the
 * shared one (storage/postgres/postgres-replay-cache.ts) keeps the same contract across replicas.
 * Memory is bounded: when full of unexpired entries the cache refuses new tokens (fail closed) rather
 * than forgetting old ones, which would re-open replay.
 */

/** Outcome of recording a token id. */
export type ReplayVerdict = 'fresh' | 'replayed' | 'full';

export interface ReplayCache {
  /**
   * Records `key` until `expiresAtMs` unless it is already held.
   * @param key - issuer and jti, already combined by the caller
   * @param expiresAtMs - when the token stops being acceptable (exp + clock skew), ms since epoch
   * @param nowMs - the current time, ms since epoch
   * @throws StorageUnavailableError when a shared cache cannot be reached (the caller refuses the call)
   */
  readonly remember: (key: string, expiresAtMs: number, nowMs: number) => Promise<ReplayVerdict>;
}

/** The in-process cache, which can also tell how many ids it holds. */
export interface MemoryReplayCache extends ReplayCache {
  /** Entries currently held (expired ones may linger until the next sweep). */
  readonly size: () => number;
}

/**
 * Creates an in-memory replay cache holding at most `maxEntries` ids.
 * @param maxEntries - upper bound on remembered ids
 */
export function createReplayCache(maxEntries = 100_000): MemoryReplayCache {
  const expiries = new Map<string, number>();

  const sweep = (nowMs: number): void => {
    for (const [key, expiresAt] of expiries) {
      if (expiresAt <= nowMs) {
        expiries.delete(key);
      }
    }
  };

  const remember = (key: string, expiresAtMs: number, nowMs: number): ReplayVerdict => {
    const held = expiries.get(key);
    if (held !== undefined && held > nowMs) {
      return 'replayed';
    }
    if (held === undefined && expiries.size >= maxEntries) {
      sweep(nowMs);
      if (expiries.size >= maxEntries) {
        return 'full';
      }
    }
    expiries.set(key, expiresAtMs);
    return 'fresh';
  };
  return {
    remember: async (key, expiresAtMs, nowMs) => remember(key, expiresAtMs, nowMs),
    size: () => expiries.size,
  };
}
