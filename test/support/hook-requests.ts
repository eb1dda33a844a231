/**
 * Builders for CDS Hooks requests, apps and configs used by protocol, FHIR and end-to-end tests.
 * Fixed ids and dates only.
 */
import { Writable } from 'node:stream';
import type { Resource } from 'fhir/r4.js';
import type { Logger } from 'pino';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { createLogger } from '../../src/logger.js';
import type { Config } from '../../src/config/types.js';
import type { CdsHooksResponse } from '../../src/recommend/card-types.js';
import type { HookInput, RuntimeSnapshot } from '../../src/protocol/runtime.js';
import { servicesFor } from '../../hooks/index.js';
import { recordSuiteLogLine } from './suite-log.js';

export const HOOK_INSTANCE = 'd1577c69-dfbe-44ad-ba6d-3e05e953b2ea';
export const PATIENT_ID = 'pat-1';
export const EHR_BASE = 'https://ehr.example.org/fhir';
export const EVALUATED_AT = new Date('2026-11-21T10:00:00Z');
export const PREFETCH_KEYS = [
  'patient',
  'temperature',
  'bloodPressure',
  'oxygen',
  'weight',
  'medicationAdministrations',
  'crsConditions',
] as const;

/** DEFAULT_CONFIG with the test EHR allowlisted and small FHIR budget. */
export function testConfig(overrides: { fhir?: Partial<Config['fhir']>; http?: Partial<Config['http']> } = {}): Config {
  return {
    ...DEFAULT_CONFIG,
    fhir: { ...DEFAULT_CONFIG.fhir, allowedServers: [EHR_BASE, ...DEFAULT_CONFIG.fhir.allowedServers], timeoutMs: 500, ...overrides.fhir },
    http: { ...DEFAULT_CONFIG.http, ...overrides.http },
    storage: { ...DEFAULT_CONFIG.storage, sqlitePath: ':memory:' },
  };
}

/** A searchset Bundle of `resources`. */
export function searchset(resources: readonly Resource[], next?: string): Resource {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(next === undefined ? {} : { link: [{ relation: 'next', url: next }] }),
    entry: resources.map((resource) => ({ resource })),
  } as Resource;
}

/** Every prefetch key set to `null` (known empty), with `overrides` applied. */
export function nullPrefetch(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...Object.fromEntries(PREFETCH_KEYS.map((key) => [key, null])), ...overrides };
}

/** A valid patient-view request body. */
export function patientViewRequest(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    hook: 'patient-view',
    hookInstance: HOOK_INSTANCE,
    context: { userId: 'Practitioner/prac-1', patientId: PATIENT_ID },
    ...extra,
  };
}

/** A valid order-select request body with one selected draft tocilizumab order. */
export function orderSelectRequest(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    hook: 'order-select',
    hookInstance: HOOK_INSTANCE,
    context: {
      userId: 'PractitionerRole/role-1',
      patientId: PATIENT_ID,
      selections: ['MedicationRequest/draft-1'],
      draftOrders: {
        resourceType: 'Bundle',
        type: 'collection',
        entry: [{ resource: { resourceType: 'MedicationRequest', id: 'draft-1', status: 'draft', intent: 'order' } }],
      },
    },
    ...extra,
  };
}

/** A valid order-sign request body: order-select's without `selections` (every order is being signed). */
export function orderSignRequest(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { context } = orderSelectRequest() as { context: Record<string, unknown> };
  const { selections: _signedWhole, ...signContext } = context;
  return { ...orderSelectRequest(), hook: 'order-sign', context: signContext, ...extra };
}

/** fhirAuthorization as CDS Hooks 2.0 requires it. */
export function fhirAuthorization(token = 'test-token'): Record<string, unknown> {
  return { access_token: token, token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'crs-cds' };
}

/** A snapshot whose `evaluate` records every input and answers `response`. */
export function recordingSnapshot(
  config: Config = testConfig(),
  response: unknown = { cards: [] },
): RuntimeSnapshot & { readonly inputs: HookInput[] } {
  const inputs: HookInput[] = [];
  return {
    config,
    configVersion: 'test-config-v1',
    services: servicesFor(config),
    inputs,
    evaluate: (input) => {
      inputs.push(input);
      return response as CdsHooksResponse;
    },
  };
}

/** The app's logger (same redaction), keeping its lines in memory (for asserting what is, and is not, logged). */
export function memoryLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const line = chunk.toString('utf8');
      lines.push(line);
      recordSuiteLogLine(line);
      done();
    },
  });
  return { logger: createLogger('debug', stream), lines };
}
