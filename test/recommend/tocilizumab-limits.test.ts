import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { checkTocilizumabLimits } from '../../src/recommend/tocilizumab-limits.js';

const limits = DEFAULT_CONFIG.treatment.tocilizumab;
const H = 3_600_000;
const AT = Date.parse('2026-11-21T10:00:00Z');
const EPISODE = AT - 72 * H;
/** Dose times as hours before AT. */
const ago = (...hours: number[]): number[] => hours.map((h) => AT - h * H);

describe('checkTocilizumabLimits (T-L)', () => {
  test.each([
    { name: 'no dose given: allowed', doses: ago(), allowed: true, blocks: [], next: undefined },
    { name: 'one dose 12 h ago: allowed', doses: ago(12), allowed: true, blocks: [], next: undefined },
    { name: 'exactly 8 h after the last dose: allowed', doses: ago(8), allowed: true, blocks: [], next: undefined },
    { name: '7 h 59 min after the last dose: spacing blocks', doses: ago(7 + 59 / 60), allowed: false, blocks: ['spacing'], next: AT + H / 60 },
    { name: '3 doses in (t − 24 h, t]: the 24 h limit blocks until the oldest leaves', doses: ago(23, 15, 9), allowed: false, blocks: ['per-24h'], next: AT + 1 * H },
    { name: 'a dose exactly 24 h ago is outside the window', doses: ago(24, 16, 8), allowed: true, blocks: [], next: undefined },
    { name: '4 doses in the episode: maximum reached, no next time', doses: ago(60, 50, 40, 30), allowed: false, blocks: ['per-episode'], next: undefined },
    { name: 'doses before the episode do not count toward the episode total', doses: ago(80, 60, 50, 40), allowed: true, blocks: [], next: undefined },
    { name: 'several limits: the next time is the latest release', doses: ago(22, 12, 2), allowed: false, blocks: ['per-24h', 'spacing'], next: AT + 6 * H },
    { name: '5th dose with a recent dose: episode maximum wins, no next time', doses: ago(70, 50, 30, 3), allowed: false, blocks: ['per-episode', 'spacing'], next: undefined },
    { name: 'doses after the evaluation time are ignored', doses: [AT + H], allowed: true, blocks: [], next: undefined },
  ])('$name', ({ doses, allowed, blocks, next }) => {
    const check = checkTocilizumabLimits(doses, EPISODE, AT, limits);
    expect(check.allowed).toBe(allowed);
    expect(check.blocks.map((b) => b.limit)).toEqual(blocks);
    expect(check.nextAllowedAt).toBe(next);
  });

  test('doses before the episode count for spacing: a dose 2 h before evaluation and before the episode start blocks', () => {
    const episodeStart = AT - H;
    const check = checkTocilizumabLimits(ago(2), episodeStart, AT, limits);
    expect(check.blocks.map((b) => b.limit)).toEqual(['spacing']);
    expect(check.allowed).toBe(false);
    expect(check.dosesInEpisode).toBe(0);
    expect(check.nextAllowedAt).toBe(AT + 6 * H);
  });

  test('doses before the episode count for the 24 h limit but not for the episode total', () => {
    const check = checkTocilizumabLimits(ago(23, 15, 9), AT - H, AT, limits);
    expect(check.blocks.map((b) => b.limit)).toEqual(['per-24h']);
    expect(check).toMatchObject({ dosesLast24h: 3, dosesInEpisode: 0, nextAllowedAt: AT + H });
  });

  test('spacing before the episode start: a pre-episode dose 3 h ago blocks', () => {
    const check = checkTocilizumabLimits([AT - 3 * H], AT - H, AT, limits);
    expect(check.blocks.map((b) => b.limit)).toEqual(['spacing']);
    expect(check.dosesInEpisode).toBe(0);
    expect(check.nextAllowedAt).toBe(AT + 5 * H);
  });

  test('counts doses in the last 24 h and in the episode, and the last dose', () => {
    const check = checkTocilizumabLimits(ago(30, 20, 10), EPISODE, AT, limits);
    expect(check).toMatchObject({ dosesLast24h: 2, dosesInEpisode: 3, lastDoseAt: AT - 10 * H });
  });

  test('takes the limits from configuration', () => {
    const site = { ...limits, maxDosesPer24h: 2, minHoursBetweenDoses: 12 };
    const check = checkTocilizumabLimits(ago(20, 10), EPISODE, AT, site);
    expect(check.blocks.map((b) => b.limit)).toEqual(['per-24h', 'spacing']);
    expect(check.nextAllowedAt).toBe(AT + 4 * H);
  });
});
