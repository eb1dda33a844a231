/**
 * The effective configuration in the file's own notation (codes as `system|code`), so `check-config`
 * shows a team exactly what will run. Code lists appear in full (`codes`, `names`): this is a report,
 * not an input file, since a file only carries deltas.
 */
import { stringify } from 'yaml';
import { redactDatabaseUrl } from '../storage/database-url.js';
import { formatCodeRef } from './code-refs.js';
import type { Config } from './types.js';

function isCodeRef(value: unknown): value is { system: string; code: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  const keys = Object.keys(value);
  const record = value as Record<string, unknown>;
  return keys.length === 2 && typeof record['system'] === 'string' && typeof record['code'] === 'string';
}

function toPlain(value: unknown): unknown {
  if (isCodeRef(value)) {
    return formatCodeRef(value);
  }
  if (Array.isArray(value)) {
    return value.map(toPlain);
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, toPlain(child)]));
  }
  return value;
}

/** The configuration as plain data with codes written `system|code`, and no database password. */
function toPrintable(config: Config): unknown {
  const { url } = config.storage;
  return toPlain(url === undefined ? config : { ...config, storage: { ...config.storage, url: redactDatabaseUrl(url) } });
}

/**
 * The effective configuration as text.
 * @param format - `yaml` (with a header comment) or `json`
 */
export function formatEffectiveConfig(config: Config, format: 'yaml' | 'json'): string {
  const data = toPrintable(config);
  if (format === 'json') {
    return `${JSON.stringify(data, null, 2)}\n`;
  }
  const header = '# Effective configuration: built-in defaults merged with the file. Code lists are shown in full.\n';
  return header + stringify(data, { lineWidth: 0 });
}
