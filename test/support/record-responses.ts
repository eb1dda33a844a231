/**
 * Vitest setup file: sees every JSON answer of every HTTP server running inside a test worker (the app
 * driven by supertest or on a loopback port, the test FHIR servers) and records the FHIR resources it
 * carries for the end-of-run validation (emitted-resources.ts): OperationOutcomes (every error answer),
 * and the resources inside a CDS Hooks response's actions; hook answers are also walked for the JSON rule
 * (response-audit.ts). So a new test gets validated without asking.
 * (A spawned server process is outside this; the tests that drive one validate what they read.)
 */
import { ServerResponse } from 'node:http';
import { recordEmittedResource, recordResponseResources } from './emitted-resources.js';
import { auditHookAnswer } from './response-audit.js';

const PATCHED = Symbol.for('crs-cds.test.record-responses');

function jsonOf(chunk: unknown, encoding: unknown): unknown {
  if (typeof chunk !== 'string' && !Buffer.isBuffer(chunk)) return undefined;
  const text = typeof chunk === 'string' ? chunk : chunk.toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Records what one finished response carries. */
function record(res: ServerResponse, chunk: unknown, encoding: unknown): void {
  const type = String(res.getHeader('content-type') ?? '');
  if (!/\bjson\b/i.test(type)) return;
  const body = jsonOf(chunk, encoding) as { resourceType?: unknown; cards?: unknown } | undefined;
  if (body === undefined || body === null || typeof body !== 'object') return;
  const where = `${res.req?.method ?? '?'} ${(res.req?.url ?? '').split('?')[0]} ${res.statusCode}`;
  if (body.resourceType === 'OperationOutcome') recordEmittedResource(body, where);
  else if (Array.isArray(body.cards)) {
    recordResponseResources(body, where);
    // Contract revision 2: the JSON rule over the whole answer, the assessment extension included.
    auditHookAnswer(body, where);
  }
}

const prototype = ServerResponse.prototype as ServerResponse & { [PATCHED]?: true };
// Workers run many test files in one process: patch once.
if (prototype[PATCHED] !== true) {
  const end = prototype.end;
  prototype.end = function patchedEnd(this: ServerResponse, ...args: unknown[]) {
    const [chunk, encoding] = args;
    if (typeof chunk !== 'function' && chunk !== undefined) {
      try {
        record(this, chunk, encoding);
      } catch {
        // Recording must never change what the server under test does.
      }
    }
    return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as typeof prototype.end;
  prototype[PATCHED] = true;
}
