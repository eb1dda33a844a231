/**
 * `/app/` (contract): the built timeline app, its launch page and its configuration document, with a
 * Content-Security-Policy of its own; every other path keeps helmet's default policy.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, test } from 'vitest';
import { appCspDirectives, cspSourceOf } from '../../src/app-host/app-csp.js';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import type { Config } from '../../src/config/types.js';
import { buildRuntime } from '../../src/engine/build-runtime.js';
import { createApp } from '../../src/protocol/app.js';
import { openSqliteFeedbackStore } from '../../src/storage/sqlite-feedback-store.js';
import { memoryLogger } from '../support/hook-requests.js';

const scratch = mkdtempSync(join(tmpdir(), 'crs-app-host-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A directory shaped like Vite's output (manifest, two pages, a hashed asset). */
function builtApp(): string {
  const dir = mkdtempSync(join(scratch, 'built-'));
  mkdirSync(join(dir, '.vite'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, '.vite', 'manifest.json'), '{}');
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>CRS timeline</title>');
  writeFileSync(join(dir, 'launch.html'), '<!doctype html><title>CRS timeline: launching</title>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'export {};');
  return dir;
}

function appFor(config: Config = DEFAULT_CONFIG, appDir = builtApp()) {
  const runtime = buildRuntime(config);
  return createApp({ runtime: () => runtime, logger: memoryLogger().logger, feedbackStore: openSqliteFeedbackStore(':memory:'), appDir });
}

const directive = (csp: string | undefined, name: string): string | undefined =>
  csp?.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `) || d === name);

describe('serving the app', () => {
  const app = appFor();

  test('GET /app/ is the app page, revalidated on every load', async () => {
    const res = await request(app).get('/app/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<title>CRS timeline</title>');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  test('GET /app/launch?iss&launch is the launch page; the SMART parameters are not logged', async () => {
    const { logger, lines } = memoryLogger();
    const runtime = buildRuntime(DEFAULT_CONFIG);
    const logged = createApp({ runtime: () => runtime, logger, feedbackStore: openSqliteFeedbackStore(':memory:'), appDir: builtApp() });
    const res = await request(logged).get('/app/launch?iss=http%3A%2F%2F127.0.0.1%3A9%2Ffhir&launch=launch-token-77ab');
    expect(res.status).toBe(200);
    expect(res.text).toContain('launching');
    expect(lines.join('\n')).not.toContain('launch-token-77ab');
  });

  test('hashed assets are cached for good', async () => {
    const res = await request(app).get('/app/assets/index-abc123.js');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  test('GET /app/config.json is the effective non-secret configuration the app grades with', async () => {
    const config: Config = { ...DEFAULT_CONFIG, grading: { ...DEFAULT_CONFIG.grading, feverCelsius: 38.3 }, auth: { trustedIssuers: [], audience: 'https://cds.example.org/cds-services' } };
    const res = await request(appFor(config)).get('/app/config.json');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(Object.keys(res.body as object).sort()).toEqual(['clientId', 'codeLists', 'grading', 'treatment']);
    expect(res.body).toMatchObject({ clientId: 'crs-cds-timeline', grading: { feverCelsius: 38.3 } });
    expect(res.body).toEqual(JSON.parse(JSON.stringify({ clientId: config.app.clientId, grading: config.grading, codeLists: config.codeLists, treatment: config.treatment })));
  });

  test('an unbuilt app answers 503 with an OperationOutcome saying how to build it', async () => {
    const res = await request(appFor(DEFAULT_CONFIG, join(scratch, 'nothing-here'))).get('/app/');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ diagnostics: expect.stringContaining('npm run build:app') }] });
  });
});

describe('Content-Security-Policy', () => {
  test('/app/ may connect to the allowed FHIR servers and the configured authorization servers', async () => {
    const config: Config = {
      ...DEFAULT_CONFIG,
      fhir: { ...DEFAULT_CONFIG.fhir, allowedServers: ['https://fhir.example.org/r4', 'http://127.0.0.1:*', 'http://[::1]:*'] },
      app: { ...DEFAULT_CONFIG.app, authorizationServers: ['https://auth.example.org'] },
    };
    const csp = (await request(appFor(config)).get('/app/')).headers['content-security-policy'];
    expect(directive(csp, 'connect-src')).toBe("connect-src 'self' https://fhir.example.org/r4/ http://127.0.0.1:* https://auth.example.org");
    expect(directive(csp, 'script-src')).toBe("script-src 'self'");
    expect(directive(csp, 'default-src')).toBe("default-src 'self'");
    expect(directive(csp, 'object-src')).toBe("object-src 'none'");
    expect(directive(csp, 'frame-ancestors')).toBe("frame-ancestors 'self'");
    // Plain-http loopback sources cannot be upgraded.
    expect(directive(csp, 'upgrade-insecure-requests')).toBeUndefined();
  });

  test('every other path keeps helmet\'s default policy', async () => {
    const app = appFor();
    for (const path of ['/cds-services', '/healthz', '/nothing']) {
      const csp = (await request(app).get(path)).headers['content-security-policy'];
      expect(directive(csp, 'connect-src'), path).toBeUndefined();
      expect(directive(csp, 'default-src'), path).toBe("default-src 'self'");
      expect(directive(csp, 'upgrade-insecure-requests'), path).toBe('upgrade-insecure-requests');
    }
  });

  test('an EHR that frames the app is named in frame-ancestors, and X-Frame-Options steps aside', async () => {
    const config: Config = { ...DEFAULT_CONFIG, app: { ...DEFAULT_CONFIG.app, frameAncestors: ['https://ehr.example.org'] } };
    const res = await request(appFor(config)).get('/app/');
    expect(directive(res.headers['content-security-policy'], 'frame-ancestors')).toBe("frame-ancestors 'self' https://ehr.example.org");
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect((await request(appFor(config)).get('/cds-services')).headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  test('follows a configuration reload', async () => {
    let runtime = buildRuntime(DEFAULT_CONFIG);
    const app = createApp({ runtime: () => runtime, logger: memoryLogger().logger, feedbackStore: openSqliteFeedbackStore(':memory:'), appDir: builtApp() });
    expect(directive((await request(app).get('/app/')).headers['content-security-policy'], 'connect-src')).not.toContain('https://auth.example.org');
    runtime = buildRuntime({ ...DEFAULT_CONFIG, app: { ...DEFAULT_CONFIG.app, authorizationServers: ['https://auth.example.org'] } });
    expect(directive((await request(app).get('/app/')).headers['content-security-policy'], 'connect-src')).toContain('https://auth.example.org');
  });

  test('https-only sources keep upgrade-insecure-requests', () => {
    const config: Config = { ...DEFAULT_CONFIG, fhir: { ...DEFAULT_CONFIG.fhir, allowedServers: ['https://fhir.example.org'] } };
    expect(appCspDirectives(config)['upgrade-insecure-requests']).toEqual([]);
  });

  test.each([
    ['https://fhir.example.org', 'https://fhir.example.org'],
    ['https://fhir.example.org/', 'https://fhir.example.org'],
    ['https://fhir.example.org/r4', 'https://fhir.example.org/r4/'],
    ['https://fhir.example.org/r4/', 'https://fhir.example.org/r4/'],
    ['http://localhost:*', 'http://localhost:*'],
    ['http://[::1]:*', undefined],
  ])('the allowlist entry %s is the CSP source %s', (entry, source) => {
    expect(cspSourceOf(entry)).toBe(source);
  });
});
