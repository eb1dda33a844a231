/**
 * Fuzzes the hook endpoint of the real app with a few thousand hostile bodies (fast-check). Nothing
 * may answer 5xx, hang or crash the process. Bodies broken at the envelope (garbage bytes, arbitrary
 * JSON, a required field of the wrong kind) must get a 4xx OperationOutcome; well-formed envelopes
 * carrying hostile context and prefetch contents may also succeed, but never with a 5xx. The app runs the
 * REAL engine (`buildRuntime`), so schema-valid but wrongly shaped FHIR content (a null coding, a number
 * for a time, an object for an array) reaches evidence extraction, grading and cards: it must be ignored,
 * never crash the call, and every 200 must be a valid CDS Hooks response.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import type { Config } from '../../src/config/types.js';
import { buildRuntime } from '../../src/engine/build-runtime.js';
import { createOutboundGuard } from '../../src/fhir/outbound-guard.js';
import { listenOnLoopback, type Listening } from '../support/listen.js';
import { createLogCapture, type LogCapture } from '../support/log-capture.js';
import { assertValidResponse } from '../support/card-invariants.js';
import { buildApp, FULL_PREFETCH, HOOK_INSTANCE, PATIENT_ID, patientViewBody } from '../security/support/app-harness.js';
import { hostileBundle, hostileDraftOrders, hostileResource, MONITORED_BY } from './support/hostile-fhir.js';

const RUNS = 800;
/** Hostile FHIR contents run the whole clinical pipeline, so fewer runs keep the file well under 20 s. */
const CONTENT_RUNS = 400;
let service: Listening;
let base: string;
let logs: LogCapture;

beforeAll(async () => {
  // Level warn: unhandled errors are still captured, per-request lines would only slow the run.
  logs = createLogCapture({ level: 'warn' });
  // No server is allowlisted, so no generated fhirServer can make the service reach the network.
  const config: Config = { ...DEFAULT_CONFIG, fhir: { ...DEFAULT_CONFIG.fhir, allowedServers: [] } };
  const app = buildApp({
    logger: logs.logger,
    config,
    checkOutboundUrl: createOutboundGuard([]),
    runtime: buildRuntime(config, { newId: uuidSequence() }),
  });
  service = await listenOnLoopback(app);
  base = service.baseUrl;
});
afterAll(async () => {
  await service.close();
});

/** Deterministic, distinct v4-shaped uuids for cards and suggestions. */
function uuidSequence(): () => string {
  let n = 0;
  return () => {
    n += 1;
    return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  };
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

const post = async (body: string, path = '/cds-services/crs-patient-view'): Promise<Answer> => {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(5_000),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed };
};

const isOutcome = (body: unknown): boolean =>
  typeof body === 'object' && body !== null && (body as { resourceType?: unknown }).resourceType === 'OperationOutcome';

/** A hostile-content answer: a 200 with a valid CDS Hooks response, or a 4xx OperationOutcome; never a 5xx. */
const expectHandled = (answer: Answer): void => {
  expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(500);
  if (answer.status === 200) assertValidResponse(answer.body);
  else expectRefusal(answer);
};

const expectRefusal = (answer: Answer): void => {
  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.status).toBeLessThan(500);
  expect(isOutcome(answer.body)).toBe(true);
};

/** Values an attacker likes: prototype keys, huge and odd strings, odd numbers, deep nesting. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom(
    { __proto__: { polluted: true } },
    JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'),
    'x'.repeat(100_000),
    '\u0000\uffff\ud800',
    '{{context.patientId}}',
    'javascript:alert(1)',
    'http://169.254.169.254/latest/meta-data/',
    'file:///etc/passwd',
    -0,
    1e308,
    Number.MAX_SAFE_INTEGER + 2,
  ),
  fc.integer({ min: 1, max: 200 }).map((depth) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

/** A valid envelope with exactly one required field made wrong. */
const brokenEnvelope: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  hostileValue.filter((v) => v !== 'patient-view').map((hook) => patientViewBody({ hook })),
  fc.constantFrom('order-select', 'order-sign', 'PATIENT-VIEW', ' patient-view', '').map((hook) => patientViewBody({ hook })),
  hostileValue.filter((v) => typeof v !== 'string').map((hookInstance) => patientViewBody({ hookInstance })),
  hostileValue
    .filter((v) => typeof v !== 'object' || v === null || Array.isArray(v))
    .map((context) => patientViewBody({ context })),
  hostileValue.filter((v) => typeof v !== 'string').map((patientId) => patientViewBody({ context: { userId: 'Practitioner/1', patientId } })),
  fc.constantFrom('hook', 'hookInstance', 'context').map((field) => {
    const body = patientViewBody();
    delete body[field];
    return body;
  }),
  fc.string({ maxLength: 300 }).map((fhirServer) => patientViewBody({ prefetch: undefined, fhirServer })),
);

/** A well-formed envelope with hostile context extras and prefetch contents. */
const hostileContents: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    extraContext: fc.dictionary(fc.string({ maxLength: 20 }), hostileValue, { maxKeys: 4 }),
    prefetch: fc.dictionary(
      fc.constantFrom(...Object.keys(FULL_PREFETCH), '__proto__', 'constructor', 'unknownKey'),
      hostileValue,
      { maxKeys: 8 },
    ),
  })
  .map(({ extraContext, prefetch }) =>
    patientViewBody({ context: { ...extraContext, userId: 'Practitioner/1', patientId: 'p1' }, prefetch: { ...FULL_PREFETCH, ...prefetch } }),
  );

const PREFETCH_KEYS = Object.keys(FULL_PREFETCH).filter((key) => key !== 'patient');

/** Every search prefetch key answered by a Bundle of hostile resources; the patient key by a hostile Patient. */
const hostilePrefetch: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    bundles: fc.tuple(...PREFETCH_KEYS.map((key) => hostileBundle(key === 'medicationAdministrations'))),
    patient: hostileResource.filter((r) => typeof r === 'object' && r !== null && !Array.isArray(r)),
  })
  .map(({ bundles, patient }) => ({
    patient,
    ...Object.fromEntries(PREFETCH_KEYS.map((key, i) => [key, bundles[i]])),
  }));

const bundle = (...resources: unknown[]): Record<string, unknown> => ({ resourceType: 'Bundle', type: 'searchset', entry: resources.map((resource) => ({ resource })) });
const TEMPERATURE = { coding: [{ system: 'http://loinc.org', code: '8310-5' }] };

/** Reviewers' findings and crash sites this fuzz test found, always run first (each once answered 500). */
const REVIEWED_PREFETCH: Record<string, unknown>[] = [
  { ...FULL_PREFETCH, medicationAdministrations: { resourceType: 'Bundle', entry: [null, { resource: null }, { resource: MONITORED_BY }] } },
  { ...FULL_PREFETCH, medicationAdministrations: bundle(MONITORED_BY), temperature: bundle({ resourceType: 'Observation', status: 'final', code: { coding: [null] } }) },
  { ...FULL_PREFETCH, medicationAdministrations: bundle(MONITORED_BY), temperature: bundle({ resourceType: 'Observation', status: 'final', code: { coding: {} } }) },
  {
    ...FULL_PREFETCH,
    medicationAdministrations: bundle(MONITORED_BY),
    temperature: bundle({ resourceType: 'Observation', status: 'final', code: TEMPERATURE, effectiveDateTime: 12345, valueQuantity: { value: 39, code: 'Cel' } }),
  },
  { ...FULL_PREFETCH, medicationAdministrations: bundle(MONITORED_BY, { resourceType: 'MedicationAdministration', status: 'completed', medicationCodeableConcept: { text: 5 }, effectiveDateTime: '2026-11-21T08:00:00Z' }) },
  // A resource id whose `toString` is not a function: any `${id}` on it throws (seen in resourceKey, src/fhir).
  { ...FULL_PREFETCH, medicationAdministrations: bundle(MONITORED_BY), weight: bundle({ resourceType: 'Observation', id: { toString: '' } }) },
];

const tocilizumabDraft = (dosageInstruction: unknown): Record<string, unknown> => ({
  resourceType: 'Bundle',
  type: 'collection',
  entry: [
    {
      resource: {
        resourceType: 'MedicationRequest',
        id: 'draft-1',
        status: 'draft',
        intent: 'order',
        medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '612865' }] },
        dosageInstruction,
      },
    },
  ],
});

/** The reviewers' order-select findings: malformed dosage of a selected draft order. */
const REVIEWED_ORDERS = [{}, [null], [{ doseAndRate: {} }], [{ doseAndRate: [null] }]].map((dosage) => ({
  hook: 'order-select',
  hookInstance: HOOK_INSTANCE,
  context: { userId: 'Practitioner/dr-1', patientId: PATIENT_ID, selections: ['MedicationRequest/draft-1'], draftOrders: tocilizumabDraft(dosage) },
  prefetch: { ...FULL_PREFETCH, medicationAdministrations: bundle(MONITORED_BY) },
}));

/** A valid order-select envelope whose selected draft orders and prefetch are hostile. */
const hostileOrderSelect: fc.Arbitrary<Record<string, unknown>> = fc
  .record({ prefetch: hostilePrefetch, draftOrders: hostileDraftOrders, selections: fc.subarray(['MedicationRequest/draft-1', 'MedicationRequest/draft-2', 'MedicationRequest/x'], { minLength: 1 }) })
  .map(({ prefetch, draftOrders, selections }) => ({
    hook: 'order-select',
    hookInstance: HOOK_INSTANCE,
    context: { userId: 'Practitioner/dr-1', patientId: PATIENT_ID, selections, draftOrders },
    prefetch,
  }));

/** order-sign: the same hostile orders, every one of them checked (no selections at signing). */
const hostileOrderSign: fc.Arbitrary<Record<string, unknown>> = hostileOrderSelect.map((body) => {
  const { selections: _none, ...context } = body['context'] as Record<string, unknown>;
  return { ...body, hook: 'order-sign', context };
});

describe('hook endpoint fuzzing', () => {
  test('refuses garbage bytes with a 4xx OperationOutcome', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 500 }), async (raw) => {
        const answer = await post(raw);
        // The odd string that happens to be valid JSON but not a hook request is refused too.
        expectRefusal(answer);
      }),
      { numRuns: RUNS },
    );
  });

  test('refuses arbitrary JSON values with a 4xx OperationOutcome', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), async (value) => {
        expectRefusal(await post(JSON.stringify(value)));
      }),
      { numRuns: RUNS },
    );
  });

  test('refuses envelopes with one required field made hostile with a 4xx OperationOutcome', async () => {
    await fc.assert(
      fc.asyncProperty(brokenEnvelope, async (body) => {
        expectRefusal(await post(JSON.stringify(body)));
      }),
      { numRuns: RUNS },
    );
  });

  test('never answers 5xx to hostile context and prefetch contents', async () => {
    await fc.assert(
      fc.asyncProperty(hostileContents, async (body) => {
        const answer = await post(JSON.stringify(body));
        expect(answer.status).toBeLessThan(500);
        if (answer.status !== 200) {
          expectRefusal(answer);
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('answers patient-view with prefetch Bundles of wrongly shaped FHIR resources without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(hostilePrefetch, async (prefetch) => {
        expectHandled(await post(JSON.stringify(patientViewBody({ prefetch }))));
      }),
      { numRuns: CONTENT_RUNS, examples: REVIEWED_PREFETCH.map((prefetch): [Record<string, unknown>] => [prefetch]) },
    );
  });

  test('answers order-select with wrongly shaped draft MedicationRequests and prefetch without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(hostileOrderSelect, async (body) => {
        expectHandled(await post(JSON.stringify(body), '/cds-services/crs-order-select'));
      }),
      { numRuns: CONTENT_RUNS, examples: REVIEWED_ORDERS.map((body): [Record<string, unknown>] => [body]) },
    );
  });

  test('answers order-sign with wrongly shaped MedicationRequests (all of them checked) and prefetch without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(hostileOrderSign, async (body) => {
        expectHandled(await post(JSON.stringify(body), '/cds-services/crs-order-sign'));
      }),
      { numRuns: CONTENT_RUNS },
    );
  });

  test('logged no unhandled error and polluted no prototype', () => {
    expect(logs.linesContaining('unhandled error')).toEqual([]);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
