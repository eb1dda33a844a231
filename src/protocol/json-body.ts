/**
 * Hook and feedback bodies are JSON (CDS Hooks 2.0 requires `application/json`). A body of another media
 * type is refused with 415 before a byte of it is read; the JSON parser would otherwise skip it and the
 * call would be refused as if `hook` were missing.
 */
import type { RequestHandler } from 'express';
import { UnsupportedMediaTypeError } from './errors.js';

/** The media types read as JSON (`application/fhir+json` included). */
export const JSON_MEDIA_TYPES: readonly string[] = ['application/json', 'application/*+json'];

/**
 * Middleware: 415 for a request that has a body of a non-JSON media type (or none declared). A request
 * without a body (or an empty one) passes, and validation refuses it (400).
 */
export function requireJsonBody(): RequestHandler {
  return (req, _res, next) => {
    // `req.is` answers null when there is no body, false when the body is of another type.
    if (req.headers['content-length'] !== '0' && req.is([...JSON_MEDIA_TYPES]) === false) {
      throw new UnsupportedMediaTypeError('Content-Type must be application/json', 'Content-Type');
    }
    next();
  };
}
