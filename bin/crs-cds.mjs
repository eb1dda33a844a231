#!/usr/bin/env node
// Launcher for the crs-cds CLI: in a checkout it runs the TypeScript sources through tsx (so a stale
// dist/ can never shadow them); where only the build exists (the container image) it runs dist/.
import { existsSync } from 'node:fs';

// `crs-cds check-config x.yaml | head` closes the pipe early: that is not an error worth a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') {
    process.exit(process.exitCode ?? 0);
  }
  throw error;
});

const root = new URL('../', import.meta.url);
const source = new URL('src/cli/main.ts', root);

let cli;
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(source.href);
} else {
  cli = await import(new URL('dist/src/cli/main.js', root).href);
}
process.exitCode = await cli.runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
