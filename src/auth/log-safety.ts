/**
 * What may reach the logs. Tokens, JWTs, names, identifiers and free text never do; a patient
 * reference is logged only as a keyed hash, so lines about one patient can be correlated within a
 * process without the log revealing who it was (the key is random per process and never logged).
 */
import { createHmac, randomBytes } from 'node:crypto';

const PROCESS_KEY = randomBytes(32);

/**
 * HMAC-SHA256 of a patient reference, hex, first 16 characters.
 * @param ref - e.g. `Patient/123` or `123`
 * @param key - the hashing key; default the per-process random key
 */
export function hashPatientRef(ref: string, key: Buffer = PROCESS_KEY): string {
  return createHmac('sha256', key).update(ref).digest('hex').slice(0, 16);
}

/**
 * pino `redact` paths for request logs and anything that logs a hook body or FHIR resource. Logged
 * objects should carry ids and counts only; these paths are the safety net.
 */
export const REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-access-token"]',
  'res.headers["set-cookie"]',
  'authorization',
  'token',
  'jwt',
  'access_token',
  'fhirAuthorization',
  '*.authorization',
  '*.access_token',
  '*.fhirAuthorization',
  '*.token',
  '*.jwt',
  'req.body',
  'body',
  'prefetch',
  'context',
  'patientId',
  'patient',
  'name',
  'identifier',
  'text',
  'diagnostics',
  '*.prefetch',
  '*.context',
  '*.patientId',
  '*.patient',
  '*.name',
  '*.identifier',
  '*.text',
  '*.body',
];
