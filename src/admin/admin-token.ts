/**
 * The bearer token of the informatics endpoints (`CRS_CDS_ADMIN_TOKEN`). Compared in constant time
 * (SHA-256 of both sides, then timingSafeEqual, so neither the content nor the length leaks through
 * timing). The token is never logged or echoed.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ProtocolError } from '../protocol/errors.js';

/** The environment variable holding the token; unset = the endpoints are off (404). */
export const ADMIN_TOKEN_ENV = 'CRS_CDS_ADMIN_TOKEN';
/** A shorter token is refused at start-up: 32 characters is 128 bits as hex (`openssl rand -hex 16`). */
export const MIN_ADMIN_TOKEN_LENGTH = 32;

/** 401 with the Bearer challenge (RFC 6750). */
class AdminAuthError extends ProtocolError {
  constructor() {
    super(401, 'invalid', 'A valid administrator bearer token is required');
  }
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * The token from the environment.
 * @param env - the process environment
 * @returns the token, or undefined when unset or empty (off)
 * @throws Error naming the variable when it is set but shorter than {@link MIN_ADMIN_TOKEN_LENGTH}
 */
export function adminTokenFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const token = env[ADMIN_TOKEN_ENV];
  if (token === undefined || token === '') return undefined;
  if (token.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new Error(`${ADMIN_TOKEN_ENV} must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters (e.g. openssl rand -hex 32)`);
  }
  return token;
}

/**
 * Middleware admitting only `Authorization: Bearer <token>`.
 * @param token - the configured token
 */
export function requireAdminToken(token: string): RequestHandler {
  const expected = digest(token);
  return (req, res, next) => {
    const match = /^Bearer ([^\s]+)$/i.exec(req.headers.authorization ?? '');
    if (match?.[1] !== undefined && timingSafeEqual(digest(match[1]), expected)) {
      next();
      return;
    }
    res.set('WWW-Authenticate', 'Bearer realm="crs-cds-admin"');
    throw new AdminAuthError();
  };
}
