/**
 * Where an issuer's public keys come from (CDS Hooks 2.0, "Trusting CDS Clients"): an inline JWK Set
 * shared out of band, the issuer's configured `jwksUrl`, or a token's `jku` header when (and only when)
 * that URL is on the issuer's allowlist. Remote sets are fetched through the outbound guard, cached, and
 * refetched on an unknown `kid` after a cool-down (jose's createRemoteJWKSet).
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  type FetchImplementation,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import type { TrustedIssuer } from '../config/types.js';

/** Throws when a URL must not be fetched (see `src/fhir/outbound-guard.ts`). */
export type CheckOutboundUrl = (url: URL) => Promise<void>;

export interface KeySetOptions {
  /** The fetch used for JWK Sets (after the guard approved the URL). */
  readonly fetchJwks: FetchImplementation;
  readonly checkOutboundUrl: CheckOutboundUrl;
  /** Minimum time between refetches triggered by an unknown `kid`, ms. */
  readonly cooldownMs?: number;
}

/** Why no key source could be chosen; the caller turns this into a 401. */
export class KeySourceError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'KeySourceError';
  }
}

/** Picks the key resolver for one token of one issuer. */
export type KeySetResolver = (issuer: TrustedIssuer, jku: string | undefined) => JWTVerifyGetKey;

const normalizeUrl = (raw: string): string | undefined => {
  try {
    return new URL(raw).href;
  } catch {
    return undefined;
  }
};

/**
 * Every JWK Set URL a configuration names (issuers' `jwksUrl` and `jkuAllowlist`): the only remote
 * hosts the authenticator may contact.
 * @param issuers - the configured trusted issuers
 */
export function configuredJwksUrls(issuers: readonly TrustedIssuer[]): string[] {
  const urls = issuers.flatMap((issuer) => [
    ...(issuer.jwksUrl === undefined ? [] : [issuer.jwksUrl]),
    ...(issuer.jkuAllowlist ?? []),
  ]);
  return [...new Set(urls.map(normalizeUrl).filter((url): url is string => url !== undefined))];
}

/**
 * Builds the key resolvers for the configured issuers. Inline sets are parsed now, so a broken `jwks`
 * stops start-up; remote sets are created once per URL and shared.
 * @param issuers - the configured trusted issuers
 * @param opts - fetch, guard and cool-down
 */
export function createKeySetResolver(issuers: readonly TrustedIssuer[], opts: KeySetOptions): KeySetResolver {
  const guardedFetch: FetchImplementation = async (url, init) => {
    await opts.checkOutboundUrl(new URL(url));
    return opts.fetchJwks(url, init);
  };
  const remote = new Map<string, JWTVerifyGetKey>();
  for (const url of configuredJwksUrls(issuers)) {
    remote.set(
      url,
      createRemoteJWKSet(new URL(url), {
        [customFetch]: guardedFetch,
        cooldownDuration: opts.cooldownMs ?? 30_000,
        timeoutDuration: 5_000,
      }),
    );
  }
  const local = new Map<string, JWTVerifyGetKey>();
  for (const issuer of issuers) {
    if (issuer.jwks !== undefined) {
      // The config type is structural JSON; jose validates each key when it is used.
      local.set(issuer.iss, createLocalJWKSet(issuer.jwks as unknown as JSONWebKeySet));
    }
  }

  return (issuer, jku) => {
    if (jku !== undefined) {
      const url = normalizeUrl(jku);
      const allowed = [issuer.jwksUrl, ...(issuer.jkuAllowlist ?? [])]
        .filter((entry): entry is string => entry !== undefined)
        .map(normalizeUrl);
      const keySet = url === undefined ? undefined : remote.get(url);
      if (url === undefined || !allowed.includes(url) || keySet === undefined) {
        throw new KeySourceError('jku not on the issuer allowlist');
      }
      return keySet;
    }
    const inline = local.get(issuer.iss);
    if (inline !== undefined) {
      return inline;
    }
    const configured = issuer.jwksUrl === undefined ? undefined : remote.get(normalizeUrl(issuer.jwksUrl) ?? '');
    if (configured === undefined) {
      throw new KeySourceError('no key set on record for issuer');
    }
    return configured;
  };
}
