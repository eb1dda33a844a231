/**
 * `crs-cds report [--from <date>] [--to <date>] [--service <id>] [--config <file>]` (contract.md,
 * revision 2): card analytics as CSV on stdout, from the store the configuration names (`--config`,
 * else `CRS_CDS_CONFIG`, else the defaults). Same range rules as `GET /analytics`. Bad input exits 2
 * with a one-line reason.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { analyticsCsv } from '../analytics/analytics-csv.js';
import { AnalyticsRangeError, parseAnalyticsRange } from '../analytics/analytics-range.js';
import { loadAnalytics } from '../analytics/load-analytics.js';
import { loadConfigFile } from '../config/load-config.js';
import { createLogger } from '../logger.js';
import { openStorage } from '../storage/storage.js';
import { BadInput, oneLineReason, type CliIo } from './io.js';

const USAGE = 'usage: crs-cds report [--from <date>] [--to <date>] [--service <id>] [--config <file>]';

/** How long the report waits for an unreachable PostgreSQL before giving up, ms. */
const REPORT_DATABASE_WAIT_MS = 5000;

/**
 * @param args - the arguments after `report`
 * @param io - where to print
 * @param env - for `CRS_CDS_CONFIG` when `--config` is absent
 * @param now - the default end of the range
 * @returns 0, or 2 for bad input
 */
export async function runReport(args: readonly string[], io: CliIo, env: NodeJS.ProcessEnv = process.env, now: Date = new Date()): Promise<number> {
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...args],
        options: { from: { type: 'string' }, to: { type: 'string' }, service: { type: 'string' }, config: { type: 'string' } },
      });
    } catch (error) {
      throw new BadInput(`${error instanceof Error ? error.message.split('\n')[0] : 'invalid arguments'}; ${USAGE}`);
    }
    const { from, to, service, config: configArg } = parsed.values;
    const range = parseAnalyticsRange({ from, to, service }, now);
    const envPath = env['CRS_CDS_CONFIG']?.trim();
    const config = loadConfigFile(configArg ?? (envPath === undefined || envPath === '' ? undefined : envPath));
    if (config.storage.kind === 'sqlite') {
      const path = config.storage.sqlitePath;
      if (path === ':memory:') throw new BadInput('storage.sqlitePath is ":memory:": there is no stored audit trail to report');
      if (!existsSync(path)) throw new BadInput(`no store at ${path} (storage.sqlitePath)`);
    }
    const storage = await openStorage(config.storage, { env, logger: createLogger('silent'), startupWaitMs: REPORT_DATABASE_WAIT_MS });
    try {
      io.stdout.write(analyticsCsv(await loadAnalytics(storage.audit, range, config)));
    } finally {
      await storage.close();
    }
    return 0;
  } catch (error) {
    const reason = error instanceof AnalyticsRangeError ? `--${error.message}` : oneLineReason(error);
    io.stderr.write(`crs-cds report: ${reason}\n`);
    return 2;
  }
}
