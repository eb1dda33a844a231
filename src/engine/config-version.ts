/**
 * The configuration version an audit record carries: a short hash of the effective configuration and
 * the card templates, computed once per runtime snapshot. Two snapshots hash alike exactly when they
 * would grade and word cards alike, so analytics can compare card outcomes before and after a change.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../config/types.js';
import type { CardTemplates } from '../recommend/templates.js';

/** JSON with object keys sorted at every depth: the same content always gives the same text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * @param config - the effective configuration
 * @param templates - the validated card templates (built-ins with the site's overrides)
 * @returns 16 hex characters of SHA-256 over both, in canonical JSON
 */
export function configVersion(config: Config, templates: CardTemplates): string {
  return createHash('sha256').update(canonicalJson({ config, templates })).digest('hex').slice(0, 16);
}
