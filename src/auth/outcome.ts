/**
 * The FHIR OperationOutcome bodies of the security layer (401, 400, 413, 429, 503). Texts are fixed
 * strings: nothing from the request is echoed back.
 */
import type { OperationOutcome } from 'fhir/r4.js';
import type { Response } from 'express';

/** FHIR issue-type codes used by the security layer. */
export type SecurityIssueCode = 'login' | 'invalid' | 'too-costly' | 'throttled' | 'transient';

/**
 * Builds a one-issue OperationOutcome.
 * @param code - FHIR issue type
 * @param text - fixed human-readable text
 * @param expression - the fields at fault, if any (`http.Authorization`, `prefetch`)
 */
export function securityOutcome(code: SecurityIssueCode, text: string, expression: readonly string[] = []): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code, diagnostics: text, ...(expression.length > 0 ? { expression: [...expression] } : {}) }],
  };
}

/**
 * Answers with an OperationOutcome.
 * @param res - the response
 * @param status - HTTP status
 * @param code - FHIR issue type
 * @param text - fixed human-readable text
 * @param expression - the fields at fault, if any
 */
export function sendOutcome(res: Response, status: number, code: SecurityIssueCode, text: string, expression: readonly string[] = []): void {
  res.status(status).type('application/fhir+json').send(JSON.stringify(securityOutcome(code, text, expression)));
}
