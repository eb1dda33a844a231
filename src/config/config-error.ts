/** The one error a configuration can raise: every problem found, each with the path of its key. */

/** One problem, e.g. `{ path: 'grading.feverCelsius', message: 'must be a number between 37 and 40' }`. */
export interface ConfigProblem {
  /** Dotted key path (`fhir.allowedServers[1]`), or the file name for problems with the file itself. */
  readonly path: string;
  readonly message: string;
}

/**
 * Why a configuration was refused: `unreadable` (missing or unreadable file), `syntax` (not YAML/JSON),
 * `invalid` (parsed, but keys or values are wrong). The CLI exits 2 for `unreadable`, 1 otherwise.
 */
export type ConfigErrorReason = 'unreadable' | 'syntax' | 'invalid';

/** Thrown by `parseConfig` / `loadConfigFile`; `problems` lists every problem, not just the first. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly ConfigProblem[];
  readonly reason: ConfigErrorReason;
  /** The configuration file, when the configuration came from one. */
  readonly file: string | undefined;

  constructor(problems: readonly ConfigProblem[], reason: ConfigErrorReason = 'invalid', file?: string) {
    super(`invalid configuration${file === undefined ? '' : ` file ${file}`}:\n${formatProblems(problems)}`);
    this.problems = problems;
    this.reason = reason;
    this.file = file;
  }
}

/** One line per problem, `path: message`. */
export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((p) => `  ${p.path}: ${p.message}`).join('\n');
}
