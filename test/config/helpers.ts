/** Shared helpers of the configuration tests. */
import { ConfigError, type ConfigProblem } from '../../src/config/config-error.js';
import { parseConfig } from '../../src/config/load-config.js';

/** Every problem parseConfig reports for `raw` (empty when it is valid). */
export function problemsOf(raw: unknown): readonly ConfigProblem[] {
  try {
    parseConfig(raw);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.problems;
    }
    throw error;
  }
}

/** `{ a: { b: value } }` from `'a.b'`. */
export function objectAt(path: string, value: unknown): Record<string, unknown> {
  const keys = path.split('.');
  let result: unknown = value;
  for (const key of keys.reverse()) {
    result = { [key]: result };
  }
  return result as Record<string, unknown>;
}
