import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // After the run: scans every log line the suite captured for tokens and patient identifiers (issue 6),
    // and validates every FHIR resource the suite emitted with two FHIR R4 validators (issue 14). Also
    // provides the PostgreSQL the storage tests use (DATABASE_URL, else a throw-away cluster; issue 13).
    globalSetup: ['test/support/suite-log-scan.ts', 'test/support/emitted-resources-scan.ts', 'test/support/postgres-global-setup.ts'],
    // Records the OperationOutcomes and suggested resources of every answer an in-process server sends,
    // and walks every hook answer for the CDS Hooks JSON rule, the assessment included (contract revision 2).
    setupFiles: ['test/support/record-responses.ts', 'test/support/response-audit.ts'],
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
