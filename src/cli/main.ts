/**
 * The `crs-cds` command line (contract.md "Command line"): `check-config`, `grade`, `report`, `cohort` and
 * `replay`.
 * `bin/crs-cds.mjs` calls `runCli`; tests call it with in-memory streams.
 */
import { runCheckConfig } from './check-config-command.js';
import type { CliIo } from './io.js';

export type { CliIo } from './io.js';

const HELP = `crs-cds: cytokine release syndrome (ASTCT 2019) clinical decision support

usage:
  crs-cds grade <bundle.json> [--at <ISO-8601 time>] [--config <file>]
      evaluate a FHIR R4 Bundle offline; prints what crs-patient-view would answer
  crs-cds check-config <file> [--format yaml|json]
      validate a configuration file (YAML or JSON) and its card overrides; prints every
      problem (exit 1), or "configuration OK" and the effective configuration (exit 0)
  crs-cds report [--from <date>] [--to <date>] [--service <id>] [--config <file>]
      card analytics (acceptance, override and ignore rates per template, grade, week,
      override reason; tocilizumab and steroid suggestions) as CSV, from the configured store
  crs-cds cohort --patients <N> --out <dir> [--seed <n>] [--format bundle|ndjson]
                 [--days <n>] [--vitals-every <hours>] [--start <date>]
      write a deterministic synthetic CAR-T cohort (FHIR R4 Bundles or Bulk Data NDJSON)
  crs-cds replay --config <proposed.yaml> [--baseline <current.yaml>] [--json]
                 [--workers <n>] <cohort-dir>
      what-if replay of a cohort (patient Bundles or Bulk Data NDJSON) under the proposed
      configuration and the baseline (the defaults when --baseline is omitted), every hour of
      each patient's data: changed grades, episode maxima, suggested orders and cards per
      patient, and the alert burden of each; text, or one JSON document with --json;
      on --workers threads (default one per core)
  crs-cds --help

Exit status 0: done (for replay, differences are not errors).
Exit status 2: bad usage, or a file that is missing, unreadable or invalid (replay: also a
malformed NDJSON line or Bundle, or a resource without a patient reference).
Configuration reference: docs/configuration.md
`;

/**
 * Runs one command.
 * @param argv - the arguments after the program name (`process.argv.slice(2)`)
 * @param io - stdout and stderr
 * @returns the exit code
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check-config':
      return runCheckConfig(rest, io);
    case 'grade': {
      // Loaded on demand: check-config need not load the clinical engine.
      const { runGrade } = await import('./grade-command.js');
      return runGrade(rest, io);
    }
    case 'report': {
      const { runReport } = await import('./report-command.js');
      return runReport(rest, io);
    }
    case 'cohort': {
      const { runCohort } = await import('./cohort-command.js');
      return runCohort(rest, io);
    }
    case 'replay': {
      const { runReplay } = await import('./replay-command.js');
      return runReplay(rest, io);
    }
    case '--help':
    case '-h':
    case 'help':
      io.stdout.write(HELP);
      return 0;
    case undefined:
      io.stderr.write('crs-cds: missing command (check-config, grade, report, cohort or replay); see crs-cds --help\n');
      return 2;
    default:
      io.stderr.write(`crs-cds: unknown command "${command}" (expected check-config, grade, report, cohort or replay); see crs-cds --help\n`);
      return 2;
  }
}
