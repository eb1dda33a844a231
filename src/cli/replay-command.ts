/**
 * `crs-cds replay --config <proposed> [--baseline <current>] [--json] <cohort>` (contract.md): what-if
 * replay of a cohort (a directory of patient Bundles or Bulk Data NDJSON) under two configurations, every
 * hour of each patient's data (src/replay/). Exit 0 with the report on stdout (differences are not
 * errors), 2 with a one-line reason for bad input: a missing or unreadable directory or file, invalid
 * YAML or configuration, a malformed NDJSON line or Bundle, a resource without a patient reference. Bad
 * input anywhere aborts the replay (a report missing a patient could be taken for the whole cohort);
 * NDJSON is checked entirely before any output. A progress bar is drawn on stderr when it is a terminal.
 */
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { CohortError } from '../replay/cohort-error.js';
import { progressBar, type ProgressStream } from '../replay/progress.js';
import { openCohort } from '../replay/read-cohort.js';
import { loadReplayConfig } from '../replay/replay-config.js';
import { replayCohort } from '../replay/replay-pool.js';
import { jsonReport, textReport } from '../replay/replay-report.js';
import { summaryAccumulator } from '../replay/replay-summary.js';
import { BadInput, oneLineReason, type CliIo } from './io.js';

const USAGE = 'usage: crs-cds replay --config <proposed.yaml> [--baseline <current.yaml>] [--json] [--workers <n>] <cohort-dir>';
/** Worker threads by default: one per core, at most 8. */
const DEFAULT_WORKERS = Math.min(8, availableParallelism());

function parseReplayArgs(args: readonly string[]): { cohort: string; config: string; baseline?: string; json: boolean; workers: number } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { config: { type: 'string' }, baseline: { type: 'string' }, json: { type: 'boolean' }, workers: { type: 'string' } },
    });
  } catch (error) {
    throw new BadInput(`${error instanceof Error ? error.message.split('\n')[0] : 'invalid arguments'}; ${USAGE}`);
  }
  const [cohort, ...extra] = parsed.positionals;
  const { config, baseline, json } = parsed.values;
  if (cohort === undefined || config === undefined) throw new BadInput(USAGE);
  if (extra.length > 0) throw new BadInput(`unexpected argument: ${extra[0]}; ${USAGE}`);
  const workers = parsed.values.workers === undefined ? DEFAULT_WORKERS : Number(parsed.values.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new BadInput(`--workers must be a whole number from 1 to 64 (got "${parsed.values.workers}")`);
  return { cohort, config, ...(baseline === undefined ? {} : { baseline }), json: json === true, workers };
}

/**
 * @param args - the arguments after `replay`
 * @param io - where to print (stderr gets the progress bar when it is a TTY)
 * @returns 0, or 2 for bad input
 */
export async function runReplay(args: readonly string[], io: CliIo): Promise<number> {
  try {
    const options = parseReplayArgs(args);
    const proposed = loadReplayConfig('--config', options.config);
    const baseline = loadReplayConfig('--baseline', options.baseline);
    const cohort = await openCohort(options.cohort, options.workers);
    try {
      const write = (text: string): void => void io.stdout.write(text);
      const report = options.json ? jsonReport(write) : textReport(write);
      report.start({
        cohort: options.cohort,
        format: cohort.format,
        patients: cohort.size,
        ...(options.baseline === undefined ? {} : { baselineFile: options.baseline }),
        baselineVersion: baseline.version,
        proposedFile: options.config,
        proposedVersion: proposed.version,
      });
      const summary = summaryAccumulator();
      const progress = progressBar(io.stderr as ProgressStream, cohort.size);
      try {
        await replayCohort(cohort, { proposed, baseline }, options.workers, (replay) => {
          report.patient(replay);
          summary.add(replay);
          progress.tick();
        });
      } finally {
        progress.done();
      }
      report.end(summary.result());
    } finally {
      cohort.close();
    }
    return 0;
  } catch (error) {
    if (!(error instanceof BadInput || error instanceof CohortError)) throw error;
    io.stderr.write(`crs-cds replay: ${oneLineReason(error)}\n`);
    return 2;
  }
}
