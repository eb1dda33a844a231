import { describe, expect, test } from 'vitest';
import { createReplayCache } from '../../src/auth/replay-cache.js';

describe('createReplayCache', () => {
  test('refuses a key seen before its expiry and accepts it after', () => {
    const cache = createReplayCache(10);
    expect(cache.remember('iss\njti', 2_000, 1_000)).toBe('fresh');
    expect(cache.remember('iss\njti', 2_000, 1_500)).toBe('replayed');
    expect(cache.remember('iss\njti', 4_000, 2_000)).toBe('fresh');
  });

  test('evicts expired keys when full instead of growing', () => {
    const cache = createReplayCache(2);
    cache.remember('a', 1_000, 0);
    cache.remember('b', 1_000, 0);
    expect(cache.remember('c', 3_000, 2_000)).toBe('fresh');
    expect(cache.size()).toBe(1);
  });

  test('refuses new keys when full of unexpired ones (fail closed)', () => {
    const cache = createReplayCache(2);
    cache.remember('a', 5_000, 0);
    cache.remember('b', 5_000, 0);
    expect(cache.remember('c', 5_000, 1_000)).toBe('full');
    expect(cache.size()).toBe(2);
  });
});
