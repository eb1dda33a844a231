/**
 * The protocol's errors, each with its HTTP status and FHIR issue type. Messages name the service id,
 * the prefetch key or the request field, never patient data; the one error middleware (app.ts) turns
 * them into OperationOutcome bodies.
 */
import type { OperationOutcome } from 'fhir/r4.js';

/** FHIR `IssueType` codes used in our OperationOutcomes. */
export type IssueCode = 'invalid' | 'structure' | 'not-found' | 'not-supported' | 'incomplete' | 'business-rule' | 'too-costly' | 'exception' | 'transient';

/**
 * Base class: a status, a stable issue code and the request fields at fault, if any: request members
 * (`context.patientId`), prefetch keys (`prefetch.temperature`) or HTTP headers (`http.Content-Type`, the
 * FHIR convention for HTTP errors).
 */
export class ProtocolError extends Error {
  /** How loudly the refusal is logged: `warn` when it points at a fault in the EHR's data, not the caller. */
  readonly logLevel: 'info' | 'warn' = 'info';

  constructor(
    readonly status: number,
    readonly code: IssueCode,
    message: string,
    readonly expression: readonly string[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: the request does not match the CDS Hooks 2.0 schema, or `hook` does not match the service. */
export class InvalidRequestError extends ProtocolError {
  constructor(message: string, expression: readonly string[] = []) {
    super(400, 'invalid', message, expression);
  }
}

/** 400: the body is not JSON. */
export class MalformedJsonError extends ProtocolError {
  constructor() {
    super(400, 'structure', 'Request body is not valid JSON');
  }
}

/** 404: no enabled service has this id (the id is not echoed back). */
export class UnknownServiceError extends ProtocolError {
  constructor() {
    super(404, 'not-found', 'Unknown CDS service');
  }
}

/** 412: required data could neither be prefetched nor fetched from the FHIR server. */
export class PreconditionFailedError extends ProtocolError {
  constructor(serviceId: string, key: string) {
    super(412, 'incomplete', `Service ${serviceId}: prefetch key "${key}" could neither be prefetched nor fetched`, [`prefetch.${key}`]);
  }
}

/**
 * Data of another patient than `context.patientId`: 412 for a prefetch key (prefetched or fetched),
 * 400 for `context.draftOrders` (the request contradicts itself). Nothing is graded: a card built on
 * another patient's data would be wrong for this one. Logged at warn, without identifiers.
 */
export class OtherPatientDataError extends ProtocolError {
  override readonly logLevel = 'warn';

  constructor(serviceId: string, where: { readonly prefetchKey: string } | 'context.draftOrders') {
    const inPrefetch = where !== 'context.draftOrders';
    super(
      inPrefetch ? 412 : 400,
      'business-rule',
      inPrefetch
        ? `Service ${serviceId}: prefetch key "${where.prefetchKey}" holds data of another patient than context.patientId`
        : `Service ${serviceId}: context.draftOrders holds an order for another patient than context.patientId`,
      [inPrefetch ? `prefetch.${where.prefetchKey}` : 'context.draftOrders'],
    );
  }
}

/** 405: the path exists, the method does not; `allow` goes into the `Allow` header. */
export class MethodNotAllowedError extends ProtocolError {
  constructor(readonly allow: readonly string[]) {
    super(405, 'not-supported', 'Method not allowed on this path');
  }
}

/** 415: a body whose media type or content coding the service does not read. */
export class UnsupportedMediaTypeError extends ProtocolError {
  constructor(message: string, header: 'Content-Type' | 'Content-Encoding') {
    super(415, 'not-supported', message, [`http.${header}`]);
  }
}

/** 413: the body exceeds `http.bodyLimitBytes`. */
export class PayloadTooLargeError extends ProtocolError {
  constructor() {
    super(413, 'too-costly', 'Request body too large');
  }
}

/** 500: the engine produced a response that is not a well-formed CDS Hooks response. */
export class InvalidResponseError extends ProtocolError {
  constructor(serviceId: string) {
    super(500, 'exception', `Service ${serviceId} produced a malformed response`);
  }
}

/**
 * The OperationOutcome for an error; only ProtocolErrors speak, anything else is a generic 500.
 * @param error - a ProtocolError, or anything else
 */
export function toOperationOutcome(error: ProtocolError | undefined): OperationOutcome {
  if (error === undefined) {
    return {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'exception', diagnostics: 'Internal server error' }],
    };
  }
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code: error.code,
        diagnostics: error.message,
        ...(error.expression.length > 0 ? { expression: [...error.expression] } : {}),
      },
    ],
  };
}
