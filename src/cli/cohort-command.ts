/**
 * `crs-cds cohort --patients <N> --out <dir> [--seed <n>] [--format bundle|ndjson] [--days <n>]
 * [--vitals-every <hours>] [--start <date>]` (contract.md, revision 2): a deterministic synthetic CAR-T
 * cohort for replay, demos and tests. The same options always write the same bytes. Prints a summary
 * (patients per intended grade) on stderr; bad input exits 2 with a one-line reason.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { writeCohort, type CohortFormat } from '../cohort/write-cohort.js';
import { BadInput, oneLineReason, type CliIo } from './io.js';

const USAGE =
  'usage: crs-cds cohort --patients <N> --out <dir> [--seed <n>] [--format bundle|ndjson] [--days <n>] [--vitals-every <hours>] [--start <YYYY-MM-DD>]';

/** A number option within bounds, or BadInput naming it. */
function numberOption(name: string, text: string | undefined, fallback: number | undefined, min: number, max: number, integer: boolean): number | undefined {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new BadInput(`--${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max} (got "${text}")`);
  }
  return value;
}

/** The output directory: created when absent, refused when it already holds files (cohorts never mix). */
function prepareOutDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch {
    throw new BadInput(`cannot create ${dir}`);
  }
  if (readdirSync(dir).length > 0) throw new BadInput(`${dir} is not empty`);
}

/**
 * @param args - the arguments after `cohort`
 * @param io - where to print
 * @returns 0, or 2 for bad input
 */
export async function runCohort(args: readonly string[], io: CliIo): Promise<number> {
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...args],
        options: {
          patients: { type: 'string' },
          out: { type: 'string' },
          seed: { type: 'string' },
          format: { type: 'string' },
          days: { type: 'string' },
          'vitals-every': { type: 'string' },
          start: { type: 'string' },
        },
      });
    } catch (error) {
      throw new BadInput(`${error instanceof Error ? error.message.split('\n')[0] : 'invalid arguments'}; ${USAGE}`);
    }
    const v = parsed.values;
    if (v.patients === undefined || v.out === undefined) throw new BadInput(USAGE);
    const format = (v.format ?? 'bundle') as CohortFormat;
    if (format !== 'bundle' && format !== 'ndjson') throw new BadInput(`--format must be bundle or ndjson (got "${v.format}")`);
    const start = new Date(`${v.start ?? '2026-11-01'}T00:00:00Z`);
    if (v.start !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(v.start) || Number.isNaN(start.getTime()))) {
      throw new BadInput(`--start must be a date (YYYY-MM-DD) (got "${v.start}")`);
    }
    const vitalsEveryHours = numberOption('vitals-every', v['vitals-every'], undefined, 0.25, 24, false);
    const options = {
      patients: numberOption('patients', v.patients, undefined, 1, 1_000_000, true) as number,
      seed: numberOption('seed', v.seed, 1, 0, 2 ** 32 - 1, true) as number,
      days: numberOption('days', v.days, 14, 1, 28, true) as number,
      start,
      format,
      outDir: v.out,
      ...(vitalsEveryHours === undefined ? {} : { vitalsEveryHours }),
    };
    prepareOutDir(options.outDir);
    const summary = await writeCohort(options);
    const mix = Object.entries(summary.grades).map(([grade, n]) => `grade ${grade}: ${n}`).join(', ');
    io.stderr.write(`wrote ${summary.patients} patients (${summary.resources} resources; intended episode maximum ${mix}) to ${options.outDir} as ${format}\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`crs-cds cohort: ${oneLineReason(error)}\n`);
    return 2;
  }
}
