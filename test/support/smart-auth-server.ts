/**
 * A minimal SMART App Launch 2.0 authorization server for browser tests: EHR launch (a launch token
 * names the patient) and standalone launch (the patient "chosen" is the one given at start-up), the
 * authorization code grant with PKCE S256, and a token response with the patient context. It checks
 * what a real EHR checks (client id, registered redirect URI, `aud` = the FHIR server, PKCE) and records
 * every authorize request, so tests can assert the scopes the app asked for.
 */
import { createHash, randomBytes } from 'node:crypto';
import express from 'express';
import { listenOnLoopback } from './listen.js';

export interface SmartAuthOptions {
  readonly clientId: string;
  readonly redirectUri: string;
  /** The FHIR base URL tokens are for (`aud`). */
  readonly fhirBaseUrl: string;
  /** The patient a standalone launch picks. */
  readonly standalonePatient: string;
  /** The app's origin, allowed to call the token endpoint (CORS). */
  readonly appOrigin: string;
  /** The access token to issue. */
  readonly accessToken: string;
}

export interface SmartAuthServer {
  readonly baseUrl: string;
  /** A launch token for an EHR launch of this patient. */
  readonly launchFor: (patientId: string) => string;
  /** Query parameters of every authorize request, in order. */
  readonly authorizeRequests: URLSearchParams[];
  /** How many tokens were issued. */
  readonly tokensIssued: () => number;
  /** The `.well-known/smart-configuration` document the FHIR server publishes. */
  readonly smartConfiguration: () => Record<string, unknown>;
  readonly close: () => Promise<void>;
}

const s256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

/** Starts the server on a loopback port. */
export async function startSmartAuthServer(options: SmartAuthOptions): Promise<SmartAuthServer> {
  const launches = new Map<string, string>();
  const codes = new Map<string, { patient: string; scope: string; challenge: string }>();
  const authorizeRequests: URLSearchParams[] = [];
  let issued = 0;
  const app = express();

  app.get('/authorize', (req, res) => {
    const q = new URLSearchParams(req.url.split('?')[1] ?? '');
    authorizeRequests.push(q);
    const fail = (reason: string): void => void res.status(400).type('text/plain').send(reason);
    if (q.get('response_type') !== 'code') return fail('response_type must be code');
    if (q.get('client_id') !== options.clientId) return fail('unknown client');
    if (q.get('redirect_uri') !== options.redirectUri) return fail('redirect_uri not registered');
    if (q.get('aud') !== options.fhirBaseUrl) return fail('aud is not this EHR\'s FHIR server');
    if (q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) return fail('PKCE S256 required');
    const launch = q.get('launch');
    const patient = launch === null ? options.standalonePatient : launches.get(launch);
    if (patient === undefined) return fail('unknown launch');
    const code = randomBytes(16).toString('hex');
    codes.set(code, { patient, scope: q.get('scope') ?? '', challenge: q.get('code_challenge') ?? '' });
    const back = new URL(options.redirectUri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', q.get('state') ?? '');
    res.redirect(302, back.toString());
  });

  app.use('/token', (req, res, next) => {
    res.set('Access-Control-Allow-Origin', options.appOrigin);
    res.set('Access-Control-Allow-Headers', 'Content-Type, Authorization');
    if (req.method === 'OPTIONS') return void res.status(204).end();
    next();
  });
  app.post('/token', express.urlencoded({ extended: false }), (req, res) => {
    const body = req.body as Record<string, string | undefined>;
    const grant = body.code === undefined ? undefined : codes.get(body.code);
    if (body.grant_type !== 'authorization_code' || grant === undefined || body.redirect_uri !== options.redirectUri) {
      return void res.status(400).json({ error: 'invalid_grant' });
    }
    if (body.client_id !== options.clientId || s256(body.code_verifier ?? '') !== grant.challenge) {
      return void res.status(400).json({ error: 'invalid_grant' });
    }
    codes.delete(body.code as string);
    issued += 1;
    res.set('Cache-Control', 'no-store').json({
      access_token: options.accessToken,
      token_type: 'Bearer',
      expires_in: 3600,
      scope: grant.scope,
      patient: grant.patient,
    });
  });

  const { baseUrl, close } = await listenOnLoopback(app);
  return {
    baseUrl,
    launchFor: (patientId) => {
      const launch = randomBytes(8).toString('hex');
      launches.set(launch, patientId);
      return launch;
    },
    authorizeRequests,
    tokensIssued: () => issued,
    smartConfiguration: () => ({
      authorization_endpoint: `${baseUrl}/authorize`,
      token_endpoint: `${baseUrl}/token`,
      code_challenge_methods_supported: ['S256'],
      grant_types_supported: ['authorization_code'],
      scopes_supported: ['launch', 'launch/patient', 'patient/*.read'],
      capabilities: ['launch-ehr', 'launch-standalone', 'client-public', 'context-ehr-patient', 'context-standalone-patient', 'permission-patient'],
    }),
    close,
  };
}
