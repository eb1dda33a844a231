import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { AuthenticationError, createHookJwtVerifier } from '../../src/auth/verify-hook-jwt.js';
import { createReplayCache } from '../../src/auth/replay-cache.js';
import { AUDIENCE, ISS, JWKS_URL, makeKey, NOW, signHookJwt, type SigningKey } from './support/jwt-fixtures.js';
import { startNetGuard, type NetGuard } from './support/net-guard.js';

const SERVICE_URL = `${AUDIENCE}/crs-patient-view`;
const allowAll = async (): Promise<void> => undefined;

let current: SigningKey;
let rotated: SigningKey;
let net: NetGuard;

beforeAll(async () => {
  current = await makeKey('ES384', 'k-2026-11');
  rotated = await makeKey('ES384', 'k-2026-12');
});
beforeEach(() => {
  net = startNetGuard();
});
afterEach(() => net.stop());

const reasonOf = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AuthenticationError);
    return (error as AuthenticationError).reason;
  }
  return 'accepted';
};

describe('createHookJwtVerifier with a remote JWK Set', () => {
  test('refetches the JWK Set when a token names a kid it has not seen (key rotation)', async () => {
    const jwks = nock('https://ehr.example.org')
      .get('/.well-known/jwks.json')
      .reply(200, { keys: [current.publicJwk] })
      .get('/.well-known/jwks.json')
      .reply(200, { keys: [current.publicJwk, rotated.publicJwk] });
    const verify = createHookJwtVerifier(
      { audience: AUDIENCE, trustedIssuers: [{ iss: ISS, jwksUrl: JWKS_URL }] },
      { checkOutboundUrl: allowAll, now: () => NOW, jwksCooldownMs: 0 },
    );
    expect(await reasonOf(verify(await signHookJwt(current, SERVICE_URL), SERVICE_URL))).toBe('accepted');
    expect(await reasonOf(verify(await signHookJwt(rotated, SERVICE_URL), SERVICE_URL))).toBe('accepted');
    expect(jwks.isDone()).toBe(true);
  });

  test('does not refetch for unknown kids within the cool-down', async () => {
    const first = nock('https://ehr.example.org').get('/.well-known/jwks.json').reply(200, { keys: [current.publicJwk] });
    const second = nock('https://ehr.example.org').get('/.well-known/jwks.json').reply(200, { keys: [current.publicJwk] });
    const verify = createHookJwtVerifier(
      { audience: AUDIENCE, trustedIssuers: [{ iss: ISS, jwksUrl: JWKS_URL }] },
      { checkOutboundUrl: allowAll, now: () => NOW, jwksCooldownMs: 60_000 },
    );
    expect(await reasonOf(verify(await signHookJwt(current, SERVICE_URL), SERVICE_URL))).toBe('accepted');
    for (let i = 0; i < 5; i += 1) {
      const forged = await signHookJwt(rotated, SERVICE_URL, { header: { kid: `random-${i}` } });
      expect(await reasonOf(verify(forged, SERVICE_URL))).toBe('ERR_JWKS_NO_MATCHING_KEY');
    }
    expect(first.isDone()).toBe(true);
    expect(second.isDone()).toBe(false);
  });

  test('refuses new tokens when the replay cache is full of live ids', async () => {
    const verify = createHookJwtVerifier(
      { audience: AUDIENCE, trustedIssuers: [{ iss: ISS, jwks: { keys: [current.publicJwk] } }] },
      { checkOutboundUrl: allowAll, now: () => NOW, replayCache: createReplayCache(1) },
    );
    expect(await reasonOf(verify(await signHookJwt(current, SERVICE_URL), SERVICE_URL))).toBe('accepted');
    expect(await reasonOf(verify(await signHookJwt(current, SERVICE_URL), SERVICE_URL))).toBe('replay cache full');
  });

  test('refuses an oversized token before decoding it', async () => {
    const verify = createHookJwtVerifier(
      { audience: AUDIENCE, trustedIssuers: [{ iss: ISS, jwks: { keys: [current.publicJwk] } }] },
      { checkOutboundUrl: allowAll, now: () => NOW },
    );
    expect(await reasonOf(verify('a'.repeat(20_000), SERVICE_URL))).toBe('token too large');
  });

  test('refuses a configuration whose algorithms are all symmetric or unknown', () => {
    expect(() =>
      createHookJwtVerifier(
        { audience: AUDIENCE, trustedIssuers: [{ iss: ISS, jwks: { keys: [] } }], algorithms: ['HS256' as never] },
        { checkOutboundUrl: allowAll },
      ),
    ).toThrow(/no accepted asymmetric algorithm/);
  });
});
