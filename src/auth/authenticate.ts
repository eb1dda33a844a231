/**
 * The express middleware in front of hook and feedback calls (and discovery when asked): the CDS
 * Client's Bearer JWT must verify for the exact endpoint URL called. Every failure gets the same 401
 * body (best practices: never tell the caller why); the reason goes to the log, never the token.
 * With no trusted issuers it lets everything through (see auth-status.ts for the start-up warning).
 */
import type { RequestHandler } from 'express';
import type { Store } from 'express-rate-limit';
import type { FetchImplementation } from 'jose';
import type { Logger } from 'pino';
import type { AuthConfig } from '../config/types.js';
import { createOutboundGuard } from '../fhir/outbound-guard.js';
import { StorageUnavailableError } from '../storage/storage-unavailable.js';
import { configuredJwksUrls, type CheckOutboundUrl } from './key-sets.js';
import { sendOutcome } from './outcome.js';
import { createIssuerRateLimit } from './issuer-rate-limit.js';
import type { ReplayCache } from './replay-cache.js';
import { AuthenticationError, createHookJwtVerifier, type VerifiedClient } from './verify-hook-jwt.js';

const SERVICES_ROOT = '/cds-services';
const BEARER = /^Bearer ([A-Za-z0-9_.-]+)$/i;

export interface AuthenticatorOptions {
  readonly logger: Logger;
  /** Fetch for remote JWK Sets (tests inject one); default global fetch. */
  readonly fetchJwks?: FetchImplementation;
  /** Guard for JWK Set URLs; default: only the configured JWK Set URLs, no metadata/link-local addresses. */
  readonly checkOutboundUrl?: CheckOutboundUrl;
  /** Clock; default `() => new Date()`. */
  readonly now?: () => Date;
  /** Also require a token on `GET /cds-services` (CDS Hooks 2.0 says every call carries one). */
  readonly requireOnDiscovery?: boolean;
  /** Where accepted `jti`s are remembered (shared across replicas with PostgreSQL); default in-process. */
  readonly replayCache?: ReplayCache;
  /** Where per-issuer counters live (shared across replicas with PostgreSQL); default in-process. */
  readonly rateLimitStore?: Store;
}

/** The verified caller, set on `res.locals.cdsClient` by the authenticator. */
export type CdsClientLocals = { cdsClient?: VerifiedClient };

/**
 * The audience a token must name for this request: the configured public base URL plus the path
 * below `/cds-services`, e.g. `https://cds.example.org/cds-services/crs-patient-view/feedback`.
 * @param audience - `auth.audience`; `/cds-services` is appended when it does not already end with it
 * @param originalUrl - the request's `originalUrl` (query string ignored)
 */
export function expectedAudience(audience: string, originalUrl: string): string {
  const trimmed = audience.replace(/\/+$/, '');
  const base = trimmed.endsWith(SERVICES_ROOT) ? trimmed : `${trimmed}${SERVICES_ROOT}`;
  const path = new URL(originalUrl, 'http://local.invalid').pathname;
  const below = path.startsWith(SERVICES_ROOT) ? path.slice(SERVICES_ROOT.length) : path;
  return `${base}${below}`;
}

const isDiscovery = (originalUrl: string): boolean =>
  /^\/cds-services\/?$/.test(new URL(originalUrl, 'http://local.invalid').pathname);

/**
 * Creates the authentication middleware (with the per-issuer rate limit chained after it when
 * `auth.rateLimitPerMinute` is set). Throws at start-up when issuers are set without `auth.audience`.
 * @param auth - the `auth` configuration section
 * @param opts - logger, clock, JWK Set fetch and guard, discovery policy
 */
export function createAuthenticator(auth: AuthConfig, opts: AuthenticatorOptions): RequestHandler {
  if (auth.trustedIssuers.length === 0) {
    return (_req, _res, next) => next();
  }
  const { audience } = auth;
  if (audience === undefined || audience.length === 0) {
    throw new Error('auth.audience is required when auth.trustedIssuers is set');
  }
  const verify = createHookJwtVerifier(auth, {
    checkOutboundUrl: opts.checkOutboundUrl ?? createOutboundGuard(configuredJwksUrls(auth.trustedIssuers)),
    fetchJwks: opts.fetchJwks,
    now: opts.now,
    replayCache: opts.replayCache,
  });
  const rateLimit = createIssuerRateLimit(auth.rateLimitPerMinute, opts.rateLimitStore);
  const log = opts.logger.child({ component: 'auth' });

  return async (req, res, next) => {
    // CORS preflights carry no credentials by design; discovery is open unless configured otherwise.
    if (req.method === 'OPTIONS' || (!opts.requireOnDiscovery && isDiscovery(req.originalUrl))) {
      next();
      return;
    }
    const match = BEARER.exec(req.get('authorization') ?? '');
    try {
      if (match?.[1] === undefined) {
        throw new AuthenticationError('missing bearer token');
      }
      const client = await verify(match[1], expectedAudience(audience, req.originalUrl));
      (res.locals as CdsClientLocals).cdsClient = client;
      log.debug({ event: 'auth.accepted', iss: client.iss, tenant: client.tenant, jti: client.jti });
    } catch (error) {
      // The replay check could not be made: fail closed with 503 (the error middleware), never accept.
      if (error instanceof StorageUnavailableError) {
        log.error({ event: 'auth.storage-unavailable' }, 'replay cache unreachable; call refused');
        next(error);
        return;
      }
      const reason = error instanceof AuthenticationError ? error.reason : 'verification error';
      const context = error instanceof AuthenticationError ? error.context : {};
      const path = new URL(req.originalUrl, 'http://local.invalid').pathname;
      log.warn({ event: 'auth.failed', reason, ...context, method: req.method, path });
      res.set('WWW-Authenticate', 'Bearer');
      sendOutcome(res, 401, 'login', 'Authentication failed', ['http.Authorization']);
      return;
    }
    if (rateLimit === undefined) {
      next();
      return;
    }
    await rateLimit(req, res, next);
  };
}
