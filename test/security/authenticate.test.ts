import express from 'express';
import nock from 'nock';
import request from 'supertest';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { AuthConfig } from '../../src/config/types.js';
import { createAuthenticator } from '../../src/auth/authenticate.js';
import { createOutboundGuard } from '../../src/fhir/outbound-guard.js';
import { createLogCapture, type LogCapture } from '../support/log-capture.js';
import {
  AUDIENCE,
  hmacWithPublicKey,
  ISS,
  JWKS_URL,
  makeKey,
  NOW,
  NOW_S,
  signHookJwt,
  tamperPayload,
  unsecuredJwt,
  type SigningKey,
} from './support/jwt-fixtures.js';
import { startNetGuard, type NetGuard } from './support/net-guard.js';

const SERVICE_URL = `${AUDIENCE}/crs-patient-view`;
const FEEDBACK_URL = `${SERVICE_URL}/feedback`;
const FAILED = {
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: 'login', diagnostics: 'Authentication failed', expression: ['http.Authorization'] }],
};
const publicLookup = async (): Promise<{ address: string }[]> => [{ address: '203.0.113.10' }];

let es: SigningKey;
let rs: SigningKey;
let stranger: SigningKey;
let net: NetGuard;
let logs: LogCapture;

beforeAll(async () => {
  es = await makeKey('ES384', 'ehr-es');
  rs = await makeKey('RS384', 'ehr-rs');
  stranger = await makeKey('ES384', 'ehr-es'); // same kid, key not on record
});
beforeEach(() => {
  net = startNetGuard();
  logs = createLogCapture();
});
afterEach(() => net.stop());

const inlineAuth = (extra: Partial<AuthConfig['trustedIssuers'][number]> = {}): AuthConfig => ({
  audience: AUDIENCE,
  trustedIssuers: [{ iss: ISS, jwks: { keys: [es.publicJwk, rs.publicJwk] }, ...extra }],
});

/** An app shaped like ours: discovery, hook and feedback routes behind the authenticator. */
const appWith = (auth: AuthConfig, requireOnDiscovery = false): express.Express => {
  const app = express();
  const authenticate = createAuthenticator(auth, {
    logger: logs.logger,
    now: () => NOW,
    requireOnDiscovery,
    checkOutboundUrl: createOutboundGuard([JWKS_URL, 'https://keys.ehr.example.org/'], { lookup: publicLookup }),
  });
  app.use(express.json());
  app.options('/cds-services/{*rest}', (_req, res) => void res.sendStatus(204));
  app.use('/cds-services', authenticate);
  app.get('/cds-services', (_req, res) => void res.json({ services: [] }));
  app.post('/cds-services/:id', (_req, res) => void res.json({ cards: [], client: res.locals['cdsClient'] }));
  app.post('/cds-services/:id/feedback', (_req, res) => void res.json({ ok: true }));
  return app;
};

const callHook = (app: express.Express, token?: string): request.Test => {
  const req = request(app).post('/cds-services/crs-patient-view').send({ hook: 'patient-view' });
  return token === undefined ? req : req.set('Authorization', `Bearer ${token}`);
};

const expectRefused = async (app: express.Express, token: string | undefined, reason: RegExp): Promise<void> => {
  const res = await callHook(app, token);
  expect(res.status).toBe(401);
  expect(res.body).toEqual(FAILED);
  expect(res.headers['www-authenticate']).toBe('Bearer');
  const failure = logs.records().find((record) => record['event'] === 'auth.failed');
  expect(String(failure?.['reason'])).toMatch(reason);
  if (token !== undefined) {
    expect(logs.linesContaining(token)).toEqual([]);
  }
};

describe('accepted tokens', () => {
  test('accepts an ES384 token for the exact service URL', async () => {
    const res = await callHook(appWith(inlineAuth()), await signHookJwt(es, SERVICE_URL));
    expect(res.status).toBe(200);
    expect(res.body.client).toMatchObject({ iss: ISS, kid: 'ehr-es' });
  });

  test('accepts an RS384 token for the exact service URL', async () => {
    const res = await callHook(appWith(inlineAuth()), await signHookJwt(rs, SERVICE_URL));
    expect(res.status).toBe(200);
    expect(res.body.client).toMatchObject({ iss: ISS, kid: 'ehr-rs' });
  });

  test('accepts an audience given as an array holding the service URL', async () => {
    const token = await signHookJwt(es, SERVICE_URL, { claims: { aud: ['https://other.example', SERVICE_URL] } });
    expect((await callHook(appWith(inlineAuth()), token)).status).toBe(200);
  });

  test('accepts a token that expired within the 60 s clock skew', async () => {
    const token = await signHookJwt(es, SERVICE_URL, { claims: { iat: NOW_S - 200, exp: NOW_S - 30 } });
    expect((await callHook(appWith(inlineAuth()), token)).status).toBe(200);
  });

  test('lets a CORS preflight through without a token', async () => {
    const res = await request(appWith(inlineAuth())).options('/cds-services/crs-patient-view');
    expect(res.status).toBe(204);
  });

  test('leaves discovery open unless configured to protect it', async () => {
    expect((await request(appWith(inlineAuth())).get('/cds-services')).status).toBe(200);
    const protectedDiscovery = appWith(inlineAuth(), true);
    expect((await request(protectedDiscovery).get('/cds-services')).status).toBe(401);
    const token = await signHookJwt(es, AUDIENCE);
    const res = await request(protectedDiscovery).get('/cds-services').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
  });

  test('lets everything through when no issuer is trusted', async () => {
    const res = await callHook(appWith({ trustedIssuers: [] }));
    expect(res.status).toBe(200);
  });
});

describe('refused tokens: one test per attack, same 401 body for every reason', () => {
  test('refuses a hook call without a token', async () => {
    await expectRefused(appWith(inlineAuth()), undefined, /missing bearer token/);
  });

  test('refuses feedback without a token', async () => {
    const res = await request(appWith(inlineAuth())).post('/cds-services/crs-patient-view/feedback').send({ feedback: [] });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(FAILED);
  });

  test('accepts feedback only with a token for the feedback URL', async () => {
    const app = appWith(inlineAuth());
    const forService = await signHookJwt(es, SERVICE_URL);
    const send = (token: string): request.Test =>
      request(app).post('/cds-services/crs-patient-view/feedback').set('Authorization', `Bearer ${token}`).send({ feedback: [] });
    expect((await send(forService)).status).toBe(401);
    expect((await send(await signHookJwt(es, FEEDBACK_URL))).status).toBe(200);
  });

  test('refuses an unsigned alg none token', async () => {
    const token = unsecuredJwt({ iss: ISS, aud: SERVICE_URL, iat: NOW_S, exp: NOW_S + 300, jti: 'none-1' }, es.kid);
    await expectRefused(appWith(inlineAuth()), token, /algorithm not allowed: none/);
  });

  test('refuses an HMAC token signed with the public key as secret', async () => {
    await expectRefused(appWith(inlineAuth()), await hmacWithPublicKey(es, SERVICE_URL), /algorithm not allowed: HS384/);
  });

  test('refuses ES256 unless the site lists it in auth.algorithms', async () => {
    const { generateKeyPair, exportJWK, SignJWT } = await import('jose');
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'es256', alg: 'ES256' };
    const token = (): Promise<string> =>
      new SignJWT({ iss: ISS, aud: SERVICE_URL, iat: NOW_S, exp: NOW_S + 300, jti: `es256-${Math.random()}` })
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: 'es256' })
        .sign(privateKey);
    const auth: AuthConfig = { audience: AUDIENCE, trustedIssuers: [{ iss: ISS, jwks: { keys: [jwk] } }] };
    await expectRefused(appWith(auth), await token(), /algorithm not allowed: ES256/);
    expect((await callHook(appWith({ ...auth, algorithms: ['ES256'] }), await token())).status).toBe(200);
  });

  test('refuses an expired token', async () => {
    const token = await signHookJwt(es, SERVICE_URL, { claims: { iat: NOW_S - 600, exp: NOW_S - 120 } });
    await expectRefused(appWith(inlineAuth()), token, /claim exp/);
  });

  test('refuses a token that is not yet valid', async () => {
    const token = await signHookJwt(es, SERVICE_URL, { claims: { nbf: NOW_S + 300 } });
    await expectRefused(appWith(inlineAuth()), token, /claim nbf/);
  });

  test('refuses a token issued in the future beyond the skew', async () => {
    const token = await signHookJwt(es, SERVICE_URL, { claims: { iat: NOW_S + 300, exp: NOW_S + 600 } });
    await expectRefused(appWith(inlineAuth()), token, /claim iat/);
  });

  test('refuses a token issued more than an hour ago even if exp is later', async () => {
    const token = await signHookJwt(es, SERVICE_URL, { claims: { iat: NOW_S - 7200, exp: NOW_S + 600 } });
    await expectRefused(appWith(inlineAuth()), token, /claim iat/);
  });

  test('refuses a token for another endpoint (wrong aud)', async () => {
    const token = await signHookJwt(es, `${AUDIENCE}/crs-order-select`);
    await expectRefused(appWith(inlineAuth()), token, /claim aud/);
  });

  test('refuses a token from an issuer not on the list', async () => {
    const token = await signHookJwt(es, SERVICE_URL, { claims: { iss: 'https://evil.example' } });
    await expectRefused(appWith(inlineAuth()), token, /issuer not trusted/);
  });

  test('refuses a token whose kid is not in the issuer key set', async () => {
    const token = await signHookJwt(es, SERVICE_URL, { header: { kid: 'unknown-kid' } });
    await expectRefused(appWith(inlineAuth()), token, /ERR_JWKS_NO_MATCHING_KEY/);
  });

  test('refuses a token without kid', async () => {
    const token = await signHookJwt(es, SERVICE_URL, { header: { kid: undefined } });
    await expectRefused(appWith(inlineAuth()), token, /kid header missing/);
  });

  test('refuses a token signed by a key not on record', async () => {
    await expectRefused(appWith(inlineAuth()), await signHookJwt(stranger, SERVICE_URL), /SIGNATURE_VERIFICATION_FAILED/);
  });

  test('refuses a token whose payload was tampered with', async () => {
    const genuine = await signHookJwt(es, `${AUDIENCE}/crs-order-select`);
    const forged = tamperPayload(genuine, { iss: ISS, aud: SERVICE_URL, iat: NOW_S, exp: NOW_S + 300, jti: 'forged' });
    await expectRefused(appWith(inlineAuth()), forged, /SIGNATURE_VERIFICATION_FAILED/);
  });

  test('refuses a replayed jti', async () => {
    const app = appWith(inlineAuth());
    const token = await signHookJwt(es, SERVICE_URL);
    expect((await callHook(app, token)).status).toBe(200);
    await expectRefused(app, token, /jti replayed/);
  });

  test('refuses a token without jti', async () => {
    await expectRefused(appWith(inlineAuth()), await signHookJwt(es, SERVICE_URL, { omit: ['jti'] }), /claim jti/);
  });

  test('refuses a token whose typ is not JWT', async () => {
    const token = await signHookJwt(es, SERVICE_URL, { header: { typ: 'at+jwt' } });
    await expectRefused(appWith(inlineAuth()), token, /typ header/);
  });

  test('refuses a tenant that is not on the issuer allowlist', async () => {
    const app = appWith(inlineAuth({ tenants: ['hospital-a'] }));
    await expectRefused(app, await signHookJwt(es, SERVICE_URL, { claims: { tenant: 'hospital-b' } }), /tenant/);
    expect((await callHook(app, await signHookJwt(es, SERVICE_URL, { claims: { tenant: 'hospital-a' } }))).status).toBe(200);
  });

  test('never contacts a jku that is not on the allowlist', async () => {
    const evil = nock('https://attacker.example').get('/jwks.json').reply(200, { keys: [stranger.publicJwk] });
    const token = await signHookJwt(stranger, SERVICE_URL, { header: { jku: 'https://attacker.example/jwks.json' } });
    await expectRefused(appWith(inlineAuth()), token, /jku not on the issuer allowlist/);
    expect(evil.isDone()).toBe(false);
    expect(net.unmatchedHosts()).toEqual([]);
  });

  test('answers refusals with a body that does not depend on the reason', async () => {
    const app = appWith(inlineAuth());
    const bodies = await Promise.all([
      callHook(app),
      callHook(app, 'not-a-jwt'),
      callHook(app, await signHookJwt(stranger, SERVICE_URL)),
      callHook(app, await signHookJwt(es, SERVICE_URL, { claims: { iss: 'https://evil.example' } })),
    ]);
    expect(new Set(bodies.map((res) => res.text)).size).toBe(1);
  });
});

describe('remote JWK Sets', () => {
  test('fetches the issuer jwksUrl once and caches it', async () => {
    const scope = nock('https://ehr.example.org').get('/.well-known/jwks.json').once().reply(200, { keys: [es.publicJwk] });
    const app = appWith({ audience: AUDIENCE, trustedIssuers: [{ iss: ISS, jwksUrl: JWKS_URL }] });
    expect((await callHook(app, await signHookJwt(es, SERVICE_URL))).status).toBe(200);
    expect((await callHook(app, await signHookJwt(es, SERVICE_URL))).status).toBe(200);
    expect(scope.isDone()).toBe(true);
    expect(net.unmatchedHosts()).toEqual([]);
  });

  test('uses an allowlisted jku', async () => {
    const scope = nock('https://keys.ehr.example.org').get('/jwks').reply(200, { keys: [stranger.publicJwk] });
    const app = appWith(inlineAuth({ jkuAllowlist: ['https://keys.ehr.example.org/jwks'] }));
    const token = await signHookJwt(stranger, SERVICE_URL, { header: { jku: 'https://keys.ehr.example.org/jwks' } });
    expect((await callHook(app, token)).status).toBe(200);
    expect(scope.isDone()).toBe(true);
  });

  test('never fetches a jwksUrl whose host resolves to the metadata address', async () => {
    const scope = nock('https://ehr.example.org').get('/.well-known/jwks.json').reply(200, { keys: [es.publicJwk] });
    const app = express();
    app.use(
      createAuthenticator(
        { audience: AUDIENCE, trustedIssuers: [{ iss: ISS, jwksUrl: JWKS_URL }] },
        {
          logger: logs.logger,
          now: () => NOW,
          checkOutboundUrl: createOutboundGuard([JWKS_URL], { lookup: async () => [{ address: '169.254.169.254' }] }),
        },
      ),
    );
    app.post('/cds-services/:id', (_req, res) => void res.json({}));
    await expectRefused(app, await signHookJwt(es, SERVICE_URL), /key set fetch blocked: cloud metadata address/);
    expect(scope.isDone()).toBe(false);
  });
});

describe('configuration', () => {
  test('refuses to start with trusted issuers but no audience', () => {
    expect(() => createAuthenticator({ trustedIssuers: [{ iss: ISS, jwks: { keys: [] } }] }, { logger: logs.logger })).toThrow(
      /auth.audience is required/,
    );
  });

  test('limits each issuer to auth.rateLimitPerMinute calls', async () => {
    const app = appWith({ ...inlineAuth(), rateLimitPerMinute: 2 });
    for (const expected of [200, 200, 429]) {
      const res = await callHook(app, await signHookJwt(es, SERVICE_URL));
      expect(res.status).toBe(expected);
    }
  });
});
