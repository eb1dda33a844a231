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
import { loadConfigFile } from '../config/load-config.js';
import { ConfigError } from '../config/config-error.js';
import type { Config } from '../config/types.js';
import { configVersion } from '../engine/config-version.js';
import { templatesFor } from '../engine/build-runtime.js';
import { servicesFor } from '../../hooks/index.js';
import { TemplateError } from '../recommend/templates.js';
import { CohortError } from '../replay/cohort-error.js';
import { progressBar, type ProgressStream } from '../replay/progress.js';
import { openCohort } from '../replay/read-cohort.js';
import { replayPatient, type ReplayConfig } from '../replay/replay-patient.js';
import { jsonReport, textReport } from '../replay/replay-report.js';
import { summaryAccumulator } from '../replay/replay-summary.js';
import { BadInput, oneLineReason, type CliIo } from './io.js';

const USAGE = 'usage: crs-cds replay --config <proposed.yaml> [--baseline <current.yaml>] [--json] <cohort-dir>';

/** A configuration file (or the defaults) loaded exactly as the server loads it, with its templates. */
function loadReplayConfig(option: string, file: string | undefined): ReplayConfig & { readonly version: string } {
  let config: Config;
  try {
    config = loadConfigFile(file);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const problems = error.problems.map((p) => (p.path === file ? p.message : `${p.path}: ${p.message}`)).join('; ');
    throw new BadInput(`${option} ${file ?? '(defaults)'}: ${error.reason === 'invalid' ? 'invalid configuration: ' : ''}${problems}`);
  }
  try {
    const templates = templatesFor(config);
    const showsCards = servicesFor(config).some((s) => s.hook === 'patient-view');
    return { config, templates, showsCards, version: configVersion(config, templates) };
  } catch (error) {
    if (error instanceof TemplateError) throw new BadInput(`${option} ${file ?? ''}: invalid card templates: ${error.problems.join('; ')}`);
    throw error;
  }
}

function parseReplayArgs(args: readonly string[]): { cohort: string; config: string; baseline?: string; json: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { config: { type: 'string' }, baseline: { type: 'string' }, json: { type: 'boolean' } },
    });
  } catch (error) {
    throw new BadInput(`${error instanceof Error ? error.message.split('\n')[0] : 'invalid arguments'}; ${USAGE}`);
  }
  const [cohort, ...extra] = parsed.positionals;
  const { config, baseline, json } = parsed.values;
  if (cohort === undefined || config === undefined) throw new BadInput(USAGE);
  if (extra.length > 0) throw new BadInput(`unexpected argument: ${extra[0]}; ${USAGE}`);
  return { cohort, config, ...(baseline === undefined ? {} : { baseline }), json: json === true };
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
    const cohort = openCohort(options.cohort);
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
      for (const patient of cohort.patients()) {
        const replay = replayPatient(patient.patientId, patient.resources, baseline, proposed);
        report.patient(replay);
        summary.add(replay);
        progress.tick();
      }
      progress.done();
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
