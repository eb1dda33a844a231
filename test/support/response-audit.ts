/**
 * Suite-wide JSON rule (contract revision 2): every hook response an in-process express app sends during
 * the suite is walked, the assessment extension included, and a test whose call produced a `null`, `""`,
 * `[]` or `{}` anywhere fails with the path. Registered in vitest.config.ts `setupFiles`, so it runs beside
 * every test file without the tests having to call it.
 */
import express from 'express';
import { afterEach } from 'vitest';
import { jsonRuleViolations } from './card-invariants.js';

const violations: string[] = [];
const AUDITED = Symbol.for('crs-cds.response-audit');

/** Patches express's response prototype once per worker: every app created from it inherits the check. */
const prototype = express.response as typeof express.response & { [AUDITED]?: true };
if (prototype[AUDITED] !== true) {
  const json = prototype.json;
  prototype.json = function audited(this: typeof prototype, body?: unknown) {
    // Hook responses only (they carry `cards`); errors, discovery and feedback answers are not cards.
    if (typeof body === 'object' && body !== null && Array.isArray((body as { cards?: unknown }).cards)) {
      const problems = jsonRuleViolations(body);
      if (problems.length > 0) violations.push(`${this.req.method} ${this.req.originalUrl}: ${problems.join('; ')}`);
    }
    return json.call(this, body);
  };
  prototype[AUDITED] = true;
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
