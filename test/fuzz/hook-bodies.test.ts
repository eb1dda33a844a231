/**
 * Fuzzes the hook endpoint of the real app with a few thousand hostile bodies (fast-check). Nothing
 * may answer 5xx, hang or crash the process. Bodies broken at the envelope (garbage bytes, arbitrary
 * JSON, a required field of the wrong kind) must get a 4xx OperationOutcome; well-formed envelopes
 * carrying hostile context and prefetch contents may also succeed, but never with a 5xx.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { createOutboundGuard } from '../../src/fhir/outbound-guard.js';
import { listenOnLoopback, type Listening } from '../support/listen.js';
import { createLogCapture, type LogCapture } from '../support/log-capture.js';
import { buildApp, FULL_PREFETCH, patientViewBody } from '../security/support/app-harness.js';

const RUNS = 800;
let service: Listening;
let base: string;
let logs: LogCapture;

beforeAll(async () => {
  // Level warn: unhandled errors are still captured, per-request lines would only slow the run.
  logs = createLogCapture({ level: 'warn' });
  // No server is allowlisted, so no generated fhirServer can make the service reach the network.
  const app = buildApp({
    logger: logs.logger,
    config: { fhir: { ...DEFAULT_CONFIG.fhir, allowedServers: [] } },
    checkOutboundUrl: createOutboundGuard([]),
  });
  service = await listenOnLoopback(app);
  base = service.baseUrl;
});
afterAll(async () => {
  await service.close();
});

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

  test('logged no unhandled error and polluted no prototype', () => {
    expect(logs.linesContaining('unhandled error')).toEqual([]);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
