/** The output streams a CLI command writes to (process.stdout/stderr, or buffers in tests). */
export interface CliIo {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
}
