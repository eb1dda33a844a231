/**
 * The one error middleware: ProtocolErrors and body-parser failures become OperationOutcomes with
 * their status; anything else is logged once (its name only: messages may carry PHI) and answered
 * with a generic 500. Never a stack trace.
 */
import type { ErrorRequestHandler, Request } from 'express';
import type { Logger } from 'pino';
import {
  InvalidRequestError,
  MalformedJsonError,
  MethodNotAllowedError,
  PayloadTooLargeError,
  ProtocolError,
  toOperationOutcome,
  UnsupportedMediaTypeError,
} from './errors.js';

/** The codings body-parser decompresses (zstd on Node 22); any other is refused with 415. */
const KNOWN_ENCODINGS: ReadonlySet<string> = new Set(['gzip', 'deflate', 'br', 'zstd']);

/** body-parser's errors carry a 4xx `status`, and a `type` except when decompression failed. */
function fromBodyParser(error: unknown, req: Request): ProtocolError | undefined {
  const { type, status } = (error ?? {}) as { type?: unknown; status?: unknown };
  if (typeof status !== 'number' || status < 400 || status >= 500) {
    return undefined;
  }
  const encoding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
  switch (type) {
    case 'entity.too.large':
      return new PayloadTooLargeError();
    case 'entity.parse.failed':
      return new MalformedJsonError();
    case 'entity.too.deep':
      return new InvalidRequestError('Request body nests too deeply');
    case 'encoding.unsupported':
      return new UnsupportedMediaTypeError('Content-Encoding not supported (use gzip, deflate, br or none)', 'Content-Encoding');
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError('Charset not supported', 'Content-Type');
    default:
      // zlib's errors have no type: the body is not what its Content-Encoding claims. The client's error,
      // not ours (a 500 here would let any client raise the 5xx rate at will).
      return type === undefined && KNOWN_ENCODINGS.has(encoding)
        ? new InvalidRequestError(`Request body is not valid ${encoding} data`, ['http.Content-Encoding'])
        : new InvalidRequestError('Request body could not be read');
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
    const known = error instanceof ProtocolError ? error : fromBodyParser(error, req);
    if (known === undefined) {
      logger.error({ errorName: error instanceof Error ? error.name : typeof error, path: req.path }, 'unhandled error');
    } else if (known.status >= 500) {
      logger.error({ errorName: known.name, path: req.path }, known.message);
    } else {
      // ProtocolError messages name services, prefetch keys and fields only, never values.
      logger[known.logLevel]({ status: known.status, code: known.code, reason: known.message, path: req.path }, 'request refused');
    }
    if (known instanceof MethodNotAllowedError) {
      res.set('Allow', known.allow.join(', '));
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
