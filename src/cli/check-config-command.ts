/**
 * `crs-cds check-config <file> [--format yaml|json]`: validates a configuration file (and its card
 * overrides) and prints every problem, or "configuration OK" and the effective configuration (risky
 * but valid settings, such as authentication off, are printed as warnings on stderr).
 * Exit codes: 0 valid, 1 problems in the file, 2 missing/unreadable file or bad usage.
 */
import { extname } from 'node:path';
import { ConfigError, formatProblems } from '../config/config-error.js';
import { formatEffectiveConfig } from '../config/effective-config.js';
import { loadConfigFile } from '../config/load-config.js';
import type { Config } from '../config/types.js';
import { configWarnings } from '../config/warnings.js';
import { cardOverrideProblems } from './card-overrides.js';
import type { CliIo } from './io.js';

const CHECK_CONFIG_USAGE = 'usage: crs-cds check-config <file.yaml|file.json> [--format yaml|json]';

interface CheckArgs {
  readonly file: string;
  readonly format: 'yaml' | 'json';
}

function parseArgs(args: readonly string[]): CheckArgs | string {
  let file: string | undefined;
  let format: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--format') {
      format = args[++i];
      if (format !== 'yaml' && format !== 'json') {
        return '--format must be yaml or json';
      }
    } else if (arg !== undefined && arg.startsWith('-')) {
      return `unknown option ${arg}`;
    } else if (file === undefined) {
      file = arg;
    } else {
      return 'expects exactly one file';
    }
  }
  if (file === undefined) {
    return 'needs a configuration file';
  }
  const byExtension = extname(file).toLowerCase() === '.json' ? 'json' : 'yaml';
  return { file, format: format === 'json' || format === 'yaml' ? format : byExtension };
}

/**
 * Runs check-config.
 * @param args - the arguments after `check-config`
 * @param io - where to print
 * @returns the exit code
 */
export async function runCheckConfig(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    io.stderr.write(`crs-cds check-config: ${parsed}\n${CHECK_CONFIG_USAGE}\n`);
    return 2;
  }
  let config: Config;
  try {
    config = loadConfigFile(parsed.file);
  } catch (error) {
    if (!(error instanceof ConfigError)) {
      throw error;
    }
    const count = error.problems.length;
    io.stderr.write(`${parsed.file}: ${count} problem${count === 1 ? '' : 's'}\n${formatProblems(error.problems)}\n`);
    return error.reason === 'unreadable' ? 2 : 1;
  }
  const directory = config.cards.directory;
  if (directory !== undefined) {
    const problems = cardOverrideProblems(directory);
    if (problems.length > 0) {
      const lines = problems.map((p) => `  card templates: ${p}`).join('\n');
      io.stderr.write(`${parsed.file}: ${problems.length} card template problem${problems.length === 1 ? '' : 's'} (cards.directory ${directory})\n${lines}\n`);
      return 1;
    }
  }
  for (const warning of configWarnings(config)) {
    io.stderr.write(`warning: ${warning}\n`);
  }
  io.stdout.write(`configuration OK: ${parsed.file}\n`);
  io.stdout.write(formatEffectiveConfig(config, parsed.format));
  return 0;
}
