/**
 * The one error middleware: ProtocolErrors and body-parser failures become OperationOutcomes with
 * their status; anything else is logged once (its name only: messages may carry PHI) and answered
 * with a generic 500. Never a stack trace.
 */
import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { InvalidRequestError, MalformedJsonError, PayloadTooLargeError, ProtocolError, toOperationOutcome } from './errors.js';

/** body-parser's errors carry `type` and a 4xx `status`. */
function fromBodyParser(error: unknown): ProtocolError | undefined {
  const { type, status } = (error ?? {}) as { type?: unknown; status?: unknown };
  if (typeof type !== 'string' || typeof status !== 'number' || status < 400 || status >= 500) {
    return undefined;
  }
  switch (type) {
    case 'entity.too.large':
      return new PayloadTooLargeError();
    case 'entity.parse.failed':
      return new MalformedJsonError();
    case 'entity.too.deep':
      return new InvalidRequestError('Request body nests too deeply');
    default:
      return new ProtocolError(status === 415 ? 415 : 400, 'invalid', 'Request body could not be read');
  }
}

/**
 * Creates the error middleware.
 * @param logger - where unexpected errors are logged
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const known = error instanceof ProtocolError ? error : fromBodyParser(error);
    if (known === undefined) {
      logger.error({ errorName: error instanceof Error ? error.name : typeof error, path: req.path }, 'unhandled error');
    } else if (known.status >= 500) {
      logger.error({ errorName: known.name, path: req.path }, known.message);
    } else {
      // ProtocolError messages name services, prefetch keys and fields only, never values.
      logger.info({ status: known.status, code: known.code, reason: known.message, path: req.path }, 'request refused');
    }
    // A 503 is transient (storage unreachable, overload): tell the client when to retry.
    if (known?.status === 503) {
      res.set('Retry-After', '1');
    }
    res
      .status(known?.status ?? 500)
      .type('application/fhir+json')
      .send(JSON.stringify(toOperationOutcome(known)));
  };
}
