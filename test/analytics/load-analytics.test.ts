import { expect, test } from 'vitest';
import { overrideReasonDisplays } from '../../src/analytics/load-analytics.js';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';

test('override reasons take their display from the card templates, or none when the site templates are unreadable', () => {
  expect(overrideReasonDisplays(DEFAULT_CONFIG).get('alternative-cause')).toBe('Alternative cause suspected (e.g. sepsis)');
  expect(overrideReasonDisplays({ ...DEFAULT_CONFIG, cards: { ...DEFAULT_CONFIG.cards, directory: '/nonexistent/cards' } }).size).toBe(0);
});
