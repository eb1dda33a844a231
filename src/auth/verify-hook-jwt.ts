/**
 * Verifies the JWT a CDS Client presents on each call (CDS Hooks 2.0 "Trusting CDS Clients" and the
 * cds-hooks.org security best practices, steps 1–6): trusted `iss`, signature by a key on record,
 * asymmetric algorithm only, `typ: JWT`, `kid`, exact `aud`, `exp`/`nbf`/`iat` within a small clock
 * skew, optional `tenant` allowlist, and a `jti` never seen before. Any failure is an
 * AuthenticationError whose `reason` is for the log only; callers answer every reason the same way.
 */
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type FetchImplementation, type JWTPayload } from 'jose';
import type { AuthConfig, HookJwtAlgorithm } from '../config/types.js';
import { OutboundBlockedError } from '../fhir/outbound-guard.js';
import { createKeySetResolver, KeySourceError, type CheckOutboundUrl } from './key-sets.js';
import { createReplayCache, type ReplayCache } from './replay-cache.js';

/** The recommended algorithms of CDS Hooks 2.0; others only when a site lists them. */
export const DEFAULT_HOOK_JWT_ALGORITHMS: readonly HookJwtAlgorithm[] = ['ES384', 'RS384'];
const ASYMMETRIC: ReadonlySet<string> = new Set<HookJwtAlgorithm>(['ES384', 'RS384', 'ES256', 'RS256']);
const MAX_TOKEN_CHARS = 16_384;
const MAX_JTI_CHARS = 256;

/** What a verified token tells us about the caller; safe to log (best practices: iss, tenant, jti). */
export interface VerifiedClient {
  readonly iss: string;
  readonly kid: string;
  readonly jti: string;
  readonly tenant?: string;
}

/** Fields of a refused token that may be logged (never the token itself). */
export interface FailureContext {
  readonly iss?: string;
  readonly kid?: string;
  readonly tenant?: string;
}

/** A refused token: `reason` goes to the log, never to the caller. */
export class AuthenticationError extends Error {
  constructor(
    readonly reason: string,
    readonly context: FailureContext = {},
  ) {
    super('authentication failed');
    this.name = 'AuthenticationError';
  }
}

export interface HookJwtVerifierOptions {
  /** Fetch used for remote JWK Sets, after the guard; default global fetch. */
  readonly fetchJwks?: FetchImplementation;
  /** Guard run before every JWK Set fetch; required for remote sets. */
  readonly checkOutboundUrl: CheckOutboundUrl;
  /** Clock; default `() => new Date()`. */
  readonly now?: () => Date;
  /** Allowed clock skew for exp, nbf and iat, seconds; default 60. */
  readonly clockSkewSeconds?: number;
  /** Oldest acceptable `iat`, seconds; bounds token lifetime and replay memory; default 3600. */
  readonly maxTokenAgeSeconds?: number;
  /** Where accepted `jti`s are remembered; default an in-process cache. */
  readonly replayCache?: ReplayCache;
  /** Minimum time between JWK Set refetches on an unknown `kid`, ms; default 30 000. */
  readonly jwksCooldownMs?: number;
}

/** Verifies one token for the endpoint URL it was presented to. */
export type VerifyHookJwt = (token: string, expectedAudience: string) => Promise<VerifiedClient>;

const shortString = (value: unknown, max = 200): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value.slice(0, max) : undefined;

const decodeUnverified = (token: string): { header: ReturnType<typeof decodeProtectedHeader>; claims: JWTPayload } => {
  try {
    return { header: decodeProtectedHeader(token), claims: decodeJwt(token) };
  } catch {
    throw new AuthenticationError('malformed token');
  }
};

const joseReason = (error: unknown): string => {
  if (error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired) {
    return `claim ${error.claim} ${error.reason}`;
  }
  if (error instanceof errors.JOSEError) {
    return error.code;
  }
  if (error instanceof KeySourceError) {
    return error.reason;
  }
  if (error instanceof OutboundBlockedError) {
    return `key set fetch blocked: ${error.reason}`;
  }
  return 'verification error';
};

/**
 * Creates the verifier for a configuration with at least one trusted issuer.
 * @param auth - the `auth` section (issuers, algorithms)
 * @param opts - clock, skew, JWK Set fetch and guard, replay cache
 */
export function createHookJwtVerifier(auth: AuthConfig, opts: HookJwtVerifierOptions): VerifyHookJwt {
  const algorithms = [...(auth.algorithms ?? DEFAULT_HOOK_JWT_ALGORITHMS)].filter((alg) => ASYMMETRIC.has(alg));
  if (algorithms.length === 0) {
    throw new Error('auth.algorithms names no accepted asymmetric algorithm');
  }
  const issuers = new Map(auth.trustedIssuers.map((issuer) => [issuer.iss, issuer]));
  const resolveKeys = createKeySetResolver(auth.trustedIssuers, {
    fetchJwks: opts.fetchJwks ?? ((url, init) => fetch(url, init)),
    checkOutboundUrl: opts.checkOutboundUrl,
    cooldownMs: opts.jwksCooldownMs,
  });
  const now = opts.now ?? (() => new Date());
  const skew = opts.clockSkewSeconds ?? 60;
  const maxAge = opts.maxTokenAgeSeconds ?? 3600;
  const replay = opts.replayCache ?? createReplayCache();

  return async (token, expectedAudience) => {
    if (token.length > MAX_TOKEN_CHARS) {
      throw new AuthenticationError('token too large');
    }
    const { header, claims } = decodeUnverified(token);
    const context: FailureContext = {
      iss: shortString(claims.iss),
      kid: shortString(header.kid),
      tenant: shortString(claims['tenant']),
    };
    const fail = (reason: string): AuthenticationError => new AuthenticationError(reason, context);

    // Checked before any key lookup so `none`, HMAC and unknown issuers never cause network traffic.
    if (header.alg === undefined || !algorithms.includes(header.alg as HookJwtAlgorithm)) {
      throw fail(`algorithm not allowed: ${shortString(header.alg, 20) ?? 'absent'}`);
    }
    if (header.typ !== 'JWT') {
      throw fail('typ header is not JWT');
    }
    if (context.kid === undefined) {
      throw fail('kid header missing');
    }
    const issuer = typeof claims.iss === 'string' ? issuers.get(claims.iss) : undefined;
    if (issuer === undefined) {
      throw fail('issuer not trusted');
    }
    const jku = header.jku === undefined ? undefined : String(header.jku);

    const currentDate = now();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, resolveKeys(issuer, jku), {
        algorithms,
        issuer: issuer.iss,
        audience: expectedAudience,
        typ: 'JWT',
        clockTolerance: skew,
        maxTokenAge: maxAge,
        currentDate,
        requiredClaims: ['exp', 'iat', 'jti'],
      }));
    } catch (error) {
      throw fail(joseReason(error));
    }

    const tenant = shortString(payload['tenant']);
    if (issuer.tenants !== undefined && issuer.tenants.length > 0 && (tenant === undefined || !issuer.tenants.includes(tenant))) {
      throw fail('tenant not allowed');
    }
    const jti = payload.jti;
    if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_JTI_CHARS) {
      throw fail('jti missing or too long');
    }
    // jose checked exp, iat and maxTokenAge, so both are numbers; the token stops being acceptable at
    // the earlier of its exp and iat + maxAge, plus the skew.
    const acceptableUntilS = Math.min(payload.exp ?? 0, (payload.iat ?? 0) + maxAge) + skew;
    const verdict = await replay.remember(`${issuer.iss}\n${jti}`, acceptableUntilS * 1000, currentDate.getTime());
    if (verdict !== 'fresh') {
      throw fail(verdict === 'replayed' ? 'jti replayed' : 'replay cache full');
    }
    return { iss: issuer.iss, kid: context.kid, jti, ...(tenant === undefined ? {} : { tenant }) };
  };
}
