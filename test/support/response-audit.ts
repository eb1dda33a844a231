/**
 * Suite-wide JSON rule (contract revision 2): every hook answer an HTTP server inside a test worker sends
 * (seen by record-responses.ts) is walked, the assessment extension included, and a test whose call
 * produced a `null`, `""`, `[]` or `{}` anywhere fails with the path. Registered in vitest.config.ts
 * `setupFiles`, so it runs beside every test file without the tests having to call it.
 */
import { afterEach } from 'vitest';
import { jsonRuleViolations } from './card-invariants.js';

/** Shared by every instance of this module in a worker (the setup files and a test may each load one). */
const STATE = Symbol.for('crs-cds.test.response-audit');
const shared = globalThis as typeof globalThis & { [STATE]?: string[] };
const violations: string[] = (shared[STATE] ??= []);

/**
 * Walks one hook answer (a body with `cards`) and keeps its violations for the end of the test.
 * @param body - the parsed answer
 * @param where - method, path and status, for the message
 */
export function auditHookAnswer(body: unknown, where: string): void {
  const problems = jsonRuleViolations(body);
  if (problems.length > 0) violations.push(`${where}: ${problems.join('; ')}`);
}

/**
 * The violations recorded since the last check, removed (for the audit's own test).
 */
export function takeViolations(): string[] {
  return violations.splice(0);
}

afterEach(() => {
  const found = takeViolations();
  if (found.length === 0) return;
  throw new Error(`a hook response broke the CDS Hooks JSON rule (no null, "", [] or {} anywhere):\n- ${found.join('\n- ')}`);
});
