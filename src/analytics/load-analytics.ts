/**
 * Analytics from the audit store for a range: the store streams, the pure fold aggregates. Override
 * reasons are shown with the displays of the card templates in force (never text a client sent).
 */
import type { Config } from '../config/types.js';
import { loadCardTemplates } from '../recommend/templates.js';
import type { AuditStore } from '../storage/audit-store.js';
import type { AnalyticsRange } from './analytics-range.js';
import { computeAnalytics } from './compute-analytics.js';
import type { Analytics } from './types.js';

const displaysByConfig = new WeakMap<Config, ReadonlyMap<string, string>>();

/**
 * Override reason code → display, from the templates of this configuration (read once per configuration).
 * @param config - the effective configuration (`cards.directory`)
 */
export function overrideReasonDisplays(config: Config): ReadonlyMap<string, string> {
  let displays = displaysByConfig.get(config);
  if (displays === undefined) {
    try {
      const templates = loadCardTemplates(config.cards.directory === undefined ? {} : { overrideDir: config.cards.directory });
      displays = new Map(
        Object.values(templates.cards).flatMap((card) => (card.overrideReasons ?? []).map((r) => [r.code, r.display] as const)),
      );
    } catch {
      // The site's card files changed on disk since they were loaded: report codes without displays.
      displays = new Map();
    }
    displaysByConfig.set(config, displays);
  }
  return displays;
}

/**
 * @param store - the audit store
 * @param range - from, to and service
 * @param config - for the override reason displays
 */
export async function loadAnalytics(store: AuditStore, range: AnalyticsRange, config: Config): Promise<Analytics> {
  const displays = overrideReasonDisplays(config);
  return computeAnalytics({
    from: range.from,
    to: range.to,
    ...(range.serviceId === undefined ? {} : { service: range.serviceId }),
    cards: store.cardsWithFeedback(range),
    unmatched: store.unmatchedFeedback(range),
    reasonDisplay: (code) => displays.get(code),
  });
}
