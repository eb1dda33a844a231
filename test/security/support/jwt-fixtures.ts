/**
 * Keys and tokens for the authentication tests: an EHR issuer with an ES384 and an RS384 key, and a
 * signer whose every header and claim can be overridden to build one attack at a time.
 */
import { base64url, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export const ISS = 'https://ehr.example.org';
export const AUDIENCE = 'https://cds.example.org/cds-services';
export const JWKS_URL = 'https://ehr.example.org/.well-known/jwks.json';
/** Fixed "now" of every auth test (tokens are built around it; verifiers get it injected). */
export const NOW = new Date('2026-11-21T10:00:00Z');
export const NOW_S = Math.floor(NOW.getTime() / 1000);

export interface SigningKey {
  readonly alg: 'ES384' | 'RS384';
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

/**
 * Generates a signing key and its public JWK.
 * @param alg - ES384 or RS384
 * @param kid - key id
 */
export async function makeKey(alg: 'ES384' | 'RS384', kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { alg, kid, privateKey, publicJwk };
}

export interface TokenOverrides {
  readonly header?: Record<string, unknown>;
  readonly claims?: JWTPayload;
  /** Claims to leave out. */
  readonly omit?: readonly string[];
}

let counter = 0;

/**
 * Signs a hook JWT that is valid at NOW for `aud` unless overridden.
 * @param key - the signing key
 * @param aud - the endpoint URL the token is for
 * @param overrides - header fields, claims, omitted claims
 */
export async function signHookJwt(key: SigningKey, aud: string, overrides: TokenOverrides = {}): Promise<string> {
  counter += 1;
  const claims: JWTPayload = {
    iss: ISS,
    aud,
    iat: NOW_S - 10,
    exp: NOW_S + 290,
    jti: `jti-${counter}-${Math.random().toString(36).slice(2)}`,
    ...overrides.claims,
  };
  for (const name of overrides.omit ?? []) {
    delete claims[name];
  }
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, typ: 'JWT', kid: key.kid, ...overrides.header })
    .sign(key.privateKey);
}

/**
 * Builds an unsigned `alg: none` token (the classic bypass).
 * @param claims - the claims
 */
export function unsecuredJwt(claims: JWTPayload, kid: string): string {
  const encode = (value: unknown): string => base64url.encode(JSON.stringify(value));
  return `${encode({ alg: 'none', typ: 'JWT', kid })}.${encode(claims)}.`;
}

/**
 * Signs with HS384 using the issuer's PUBLIC key as the shared secret (algorithm confusion).
 * @param key - the issuer key whose public JWK becomes the secret
 * @param aud - audience
 */
export async function hmacWithPublicKey(key: SigningKey, aud: string): Promise<string> {
  const secret = new TextEncoder().encode(JSON.stringify(key.publicJwk));
  return new SignJWT({ iss: ISS, aud, iat: NOW_S - 10, exp: NOW_S + 290, jti: 'hmac-jti' })
    .setProtectedHeader({ alg: 'HS384', typ: 'JWT', kid: key.kid })
    .sign(secret);
}

/**
 * Replaces a token's payload with `claims`, keeping the original signature.
 * @param token - a signed token
 * @param claims - the forged claims
 */
export function tamperPayload(token: string, claims: JWTPayload): string {
  const [header, , signature] = token.split('.');
  return `${header}.${base64url.encode(JSON.stringify(claims))}.${signature}`;
}
