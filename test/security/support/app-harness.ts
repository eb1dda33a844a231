/**
 * The real app (`createApp`) with the security layer in its slots, a no-cards engine, an in-memory
 * feedback store and a capturing logger: what the HTTP-level security tests drive.
 */
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { DEFAULT_CONFIG } from '../../../src/config/defaults.js';
import type { Config } from '../../../src/config/types.js';
import { createApp } from '../../../src/protocol/app.js';
import type { RuntimeSnapshot } from '../../../src/protocol/runtime.js';
import { recordingSnapshot } from '../../support/hook-requests.js';
import type { FeedbackStore, StoredFeedback } from '../../../src/storage/feedback-store.js';

export const PATIENT_ID = 'pat-7f3a9c';
export const PATIENT_NAME = 'Zebulon Quartermaine';
export const PATIENT_MRN = 'MRN-99812377';
export const ACCESS_TOKEN = 'fhir-access-token-5d1c2b7e9a0f';
export const HOOK_INSTANCE = 'd1577c69-dfbe-44ad-ba6d-3e05e953b2ea';

/** A store that keeps feedback in memory. */
export function memoryFeedbackStore(): FeedbackStore {
  const saved: StoredFeedback[] = [];
  return {
    save: async (serviceId, entries, receivedAt) => {
      saved.push(...entries.map((entry) => ({ serviceId, receivedAt: receivedAt.toISOString(), entry })));
    },
    list: async (serviceId) => saved.filter((item) => item.serviceId === serviceId),
    purgeBefore: async () => 0,
    ping: async () => true,
    close: async () => undefined,
  };
}

/**
 * Builds the app under test.
 * @param opts - configuration overrides, the security slots and optionally a runtime (default: the no-cards
 *   recording engine; the fuzz test passes the real one)
 */
export function buildApp(opts: {
  readonly logger: Logger;
  readonly config?: Partial<Config>;
  readonly authenticate?: RequestHandler;
  readonly checkOutboundUrl?: (url: URL) => Promise<void>;
  readonly runtime?: RuntimeSnapshot;
}): ReturnType<typeof createApp> {
  const snapshot = opts.runtime ?? recordingSnapshot({ ...DEFAULT_CONFIG, ...opts.config });
  return createApp({
    runtime: () => snapshot,
    logger: opts.logger,
    feedbackStore: memoryFeedbackStore(),
    now: () => new Date('2026-11-21T10:00:00Z'),
    ...(opts.authenticate === undefined ? {} : { authenticate: opts.authenticate }),
    ...(opts.checkOutboundUrl === undefined ? {} : { checkOutboundUrl: opts.checkOutboundUrl }),
  });
}

/** The Patient resource of the test patient (name and MRN are what log scans look for). */
export const PATIENT = {
  resourceType: 'Patient',
  id: PATIENT_ID,
  name: [{ family: PATIENT_NAME.split(' ')[1], given: [PATIENT_NAME.split(' ')[0]], text: PATIENT_NAME }],
  identifier: [{ system: 'urn:mrn', value: PATIENT_MRN }],
};

const emptyBundle = { resourceType: 'Bundle', type: 'searchset', entry: [] };

/** Every prefetch key of the CRS services, answered (patient plus empty searches). */
export const FULL_PREFETCH = {
  patient: PATIENT,
  temperature: emptyBundle,
  bloodPressure: emptyBundle,
  oxygen: emptyBundle,
  weight: emptyBundle,
  medicationAdministrations: emptyBundle,
  crsConditions: emptyBundle,
};

/**
 * A valid patient-view hook body.
 * @param extra - fields to add or replace (fhirServer, fhirAuthorization, prefetch, ...)
 */
export function patientViewBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    hook: 'patient-view',
    hookInstance: HOOK_INSTANCE,
    context: { userId: 'Practitioner/dr-1', patientId: PATIENT_ID },
    prefetch: FULL_PREFETCH,
    ...extra,
  };
}

/**
 * `fhirAuthorization` for a FHIR server call.
 * @param token - the access token
 */
export function fhirAuthorization(token = ACCESS_TOKEN): Record<string, unknown> {
  return { access_token: token, token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'crs-cds' };
}
