import { describe, expect, test } from 'vitest';
import { createReplayCache } from '../../src/auth/replay-cache.js';

describe('createReplayCache', () => {
  // The behaviour every replay cache shares is in test/storage/storage-contract.ts; these are the
  // in-process cache's own bounds.

  test('evicts expired keys when full instead of growing', async () => {
    const cache = createReplayCache(2);
    await cache.remember('a', 1_000, 0);
    await cache.remember('b', 1_000, 0);
    expect(await cache.remember('c', 3_000, 2_000)).toBe('fresh');
    expect(cache.size()).toBe(1);
  });

  test('refuses new keys when full of unexpired ones (fail closed)', async () => {
    const cache = createReplayCache(2);
    await cache.remember('a', 5_000, 0);
    await cache.remember('b', 5_000, 0);
    expect(await cache.remember('c', 5_000, 1_000)).toBe('full');
    expect(cache.size()).toBe(2);
  });
});
