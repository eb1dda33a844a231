import { describe, expect, test } from 'vitest';
import { crsOrderSelect } from '../../hooks/crs-order-select.js';
import { crsOrderSign } from '../../hooks/crs-order-sign.js';
import { crsPatientView } from '../../hooks/crs-patient-view.js';
import { InvalidRequestError } from '../../src/protocol/errors.js';
import { validateFeedback, validateHookRequest } from '../../src/protocol/request-schema.js';
import { EHR_BASE, fhirAuthorization, orderSelectRequest, orderSignRequest, patientViewRequest } from '../support/hook-requests.js';

const fieldOf = (run: () => unknown): readonly string[] | undefined => {
  try {
    run();
  } catch (error) {
    return error instanceof InvalidRequestError ? error.expression : undefined;
  }
  return undefined;
};

describe('validateHookRequest', () => {
  test('accepts a full 2.0 patient-view request, tolerating unknown extension members', () => {
    const body = patientViewRequest({
      fhirServer: EHR_BASE,
      fhirAuthorization: fhirAuthorization(),
      extension: { 'com.example': { anything: true } },
      prefetch: { patient: null },
    });
    expect(validateHookRequest(crsPatientView, body)).toBe(body);
  });

  test('accepts an order-select request with selections and draftOrders', () => {
    expect(() => validateHookRequest(crsOrderSelect, orderSelectRequest())).not.toThrow();
  });

  test.each([
    [{ selections: undefined }, 'context.selections'],
    [{ selections: [] }, 'context.selections'],
    [{ draftOrders: { resourceType: 'Patient' } }, 'context.draftOrders.resourceType'],
    [{ draftOrders: undefined }, 'context.draftOrders'],
  ])('rejects an order-select context with %j', (patch, field) => {
    const body = orderSelectRequest();
    const context = { ...(body.context as Record<string, unknown>), ...patch };
    expect(fieldOf(() => validateHookRequest(crsOrderSelect, { ...body, context: JSON.parse(JSON.stringify(context)) }))).toEqual([field]);
  });

  test('accepts an order-sign request: draftOrders and no selections', () => {
    expect(() => validateHookRequest(crsOrderSign, orderSignRequest())).not.toThrow();
  });

  test.each([
    [{ draftOrders: undefined }, 'context.draftOrders'],
    [{ draftOrders: { resourceType: 'Patient' } }, 'context.draftOrders.resourceType'],
    [{ draftOrders: { resourceType: 'Bundle', entry: {} } }, 'context.draftOrders.entry'],
    [{ draftOrders: [] }, 'context.draftOrders'],
    [{ patientId: undefined }, 'context.patientId'],
    [{ userId: undefined }, 'context.userId'],
  ])('rejects an order-sign context with %j', (patch, field) => {
    const body = orderSignRequest();
    const context = { ...(body.context as Record<string, unknown>), ...patch };
    expect(fieldOf(() => validateHookRequest(crsOrderSign, { ...body, context: JSON.parse(JSON.stringify(context)) }))).toEqual([field]);
  });

  test('an order-select call sent to crs-order-sign is refused naming hook', () => {
    expect(fieldOf(() => validateHookRequest(crsOrderSign, orderSelectRequest()))).toEqual(['hook']);
  });

  test.each([
    [{ patientId: '1&_include=*' }, 'context.patientId'],
    [{ patientId: '../Practitioner/1' }, 'context.patientId'],
    [{ encounterId: 7 }, 'context.encounterId'],
  ])('rejects ids that could change a FHIR query: %j', (patch, field) => {
    const body = patientViewRequest();
    const context = { ...(body.context as Record<string, unknown>), ...patch };
    expect(fieldOf(() => validateHookRequest(crsPatientView, { ...body, context }))).toEqual([field]);
  });

  test.each([
    [{ prefetch: { patient: 'text' } }, 'prefetch.patient'],
    [{ fhirServer: EHR_BASE, fhirAuthorization: { ...fhirAuthorization(), expires_in: 'soon' } }, 'fhirAuthorization.expires_in'],
    [{ fhirServer: EHR_BASE, fhirAuthorization: { access_token: 't', token_type: 'Bearer' } }, 'fhirAuthorization.expires_in'],
    [{ hook: undefined }, 'hook'],
  ])('rejects %j', (patch, field) => {
    expect(fieldOf(() => validateHookRequest(crsPatientView, JSON.parse(JSON.stringify(patientViewRequest(patch)))))).toEqual([field]);
  });
});

test('never echoes an undeclared prefetch key: it could be patient data', () => {
  const body = JSON.parse(JSON.stringify(patientViewRequest({ prefetch: { 'Jane Doe MRN 4711': [1] } })));
  const error = (() => {
    try {
      validateHookRequest(crsPatientView, body);
    } catch (e) {
      return e as Error & { expression?: string[] };
    }
    throw new Error('expected a validation error');
  })();
  expect(error.message).toBe('prefetch.*: must be object,null');
  expect(error.message).not.toContain('Jane');
});

describe('validateFeedback', () => {
  test('accepts an overridden entry without a reason (overrideReason is optional)', () => {
    const entry = { card: 'c0a8e5f6-5b1a-4f7e-9a0b-0d5c1f2e3a4b', outcome: 'overridden', outcomeTimestamp: '2026-11-21T10:00:00Z' };
    expect(validateFeedback({ feedback: [entry] })).toEqual([entry]);
  });

  test('rejects an override reason without a code', () => {
    const entry = {
      card: 'c0a8e5f6-5b1a-4f7e-9a0b-0d5c1f2e3a4b',
      outcome: 'overridden',
      overrideReason: { reason: { display: 'x' } },
      outcomeTimestamp: '2026-11-21T10:00:00Z',
    };
    expect(fieldOf(() => validateFeedback({ feedback: [entry] }))).toEqual(['feedback[0].overrideReason.reason.code']);
  });
});
