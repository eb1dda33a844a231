import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Scans every log line the whole suite captured for tokens and patient identifiers (issue 6).
    globalSetup: ['test/support/suite-log-scan.ts'],
    // Walks every hook response the in-process apps send for the CDS Hooks JSON rule (contract revision 2).
    setupFiles: ['test/support/response-audit.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Enforced by `npm test` (and so CI): a change that drops coverage below these fails.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts', 'hooks/**/*.ts'],
      reporter: ['text-summary'],
      thresholds: { statements: 90, lines: 90, functions: 90, branches: 84 },
    },
  },
});
