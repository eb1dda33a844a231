/** The output streams a CLI command writes to (process.stdout/stderr, or buffers in tests). */
export interface CliIo {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
}

/** Raised for input a command refuses; its message is the one line printed on stderr (exit 2). */
export class BadInput extends Error {}

/**
 * The one line printed for a refused input: a BadInput's message, a configuration's problems, or the
 * first line of any other error's message.
 * @param error - what was thrown
 */
export function oneLineReason(error: unknown): string {
  if (error instanceof BadInput) return error.message;
  const problems = (error as { problems?: unknown }).problems;
  if (Array.isArray(problems)) {
    return `invalid configuration: ${problems.map((p) => (typeof p === 'string' ? p : `${p.path}: ${p.message}`)).join('; ')}`;
  }
  return error instanceof Error ? error.message.split('\n')[0] ?? 'failed' : 'failed';
}
