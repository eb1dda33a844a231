/**
 * Optional per-issuer request budget: keyed by the verified `iss` (never the IP, which behind an EHR's
 * NAT or a proxy says nothing), so one misbehaving EHR cannot starve another. Memory holds one
 * counter per trusted issuer at most; with PostgreSQL the counters are shared by every replica, and a
 * store that cannot be reached refuses the call (503 through the error middleware), never lets it pass.
 */
import type { RequestHandler } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { sendOutcome } from './outcome.js';
import type { CdsClientLocals } from './authenticate.js';

/**
 * Creates the limiter, or `undefined` when no limit is configured.
 * @param perMinute - `auth.rateLimitPerMinute`
 * @param store - shared counters (PostgreSQL); default in-process memory
 */
export function createIssuerRateLimit(perMinute: number | undefined, store?: Store): RequestHandler | undefined {
  if (perMinute === undefined || perMinute <= 0) {
    return undefined;
  }
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // Runs only after successful authentication, so the issuer is always set.
    keyGenerator: (_req, res) => (res.locals as CdsClientLocals).cdsClient?.iss ?? 'unauthenticated',
    // The IP-oriented validations do not apply to an issuer key.
    validate: false,
    // Fail closed: a store error goes to the error middleware (503), the call is not let through.
    passOnStoreError: false,
    ...(store === undefined ? {} : { store }),
    handler: (_req, res) => sendOutcome(res, 429, 'throttled', 'Too many requests'),
  });
}
