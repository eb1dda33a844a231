/**
 * `GET /analytics` and `GET /admin`: off (404) without CRS_CDS_ADMIN_TOKEN, a bearer token compared in
 * constant time, 400 naming the parameter, the dashboard shell under helmet's CSP, and the token never
 * in a log line.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, test } from 'vitest';
import { adminTokenFromEnv } from '../../src/admin/admin-token.js';
import { buildRuntime } from '../../src/engine/build-runtime.js';
import { createApp } from '../../src/protocol/app.js';
import { sqliteAuditStore } from '../../src/storage/sqlite-audit-store.js';
import { openSqliteDatabase } from '../../src/storage/sqlite-database.js';
import { sqliteFeedbackStore } from '../../src/storage/sqlite-feedback-store.js';
import { memoryLogger, testConfig } from '../support/hook-requests.js';
import { auditRecord } from '../storage/audit-store-contract.js';

const TOKEN = 'admin-token-5f0c9e2b7d4a1e8c3b6f0a9d2e7c4b1a';
const NOW = new Date('2026-11-30T12:00:00Z');
const dashboard = mkdtempSync(join(tmpdir(), 'crs-dashboard-'));
mkdirSync(join(dashboard, 'assets'));
writeFileSync(join(dashboard, 'index.html'), '<!doctype html><title>crs-cds analytics</title><script type="module" src="/admin/assets/main-abc.js"></script>');
writeFileSync(join(dashboard, 'assets', 'main-abc.js'), 'console.log(1);');
afterAll(() => rmSync(dashboard, { recursive: true, force: true }));

async function harness(opts: { token?: string; dashboardDir?: string } = {}) {
  const db = openSqliteDatabase(':memory:');
  const auditStore = sqliteAuditStore(db);
  const feedbackStore = sqliteFeedbackStore(db);
  await auditStore.record([auditRecord(1, { recordedAt: '2026-11-20T10:00:00.000Z' }), auditRecord(2, { recordedAt: '2026-11-21T10:00:00.000Z', serviceId: 'crs-order-select', templateId: 'crs-os-dose' })]);
  const runtime = buildRuntime(testConfig());
  const { logger, lines } = memoryLogger();
  const app = createApp({
    runtime: () => runtime,
    logger,
    feedbackStore,
    auditStore,
    now: () => NOW,
    dashboardDir: opts.dashboardDir ?? dashboard,
    ...(opts.token === undefined ? {} : { adminToken: opts.token }),
  });
  return { app, lines };
}

describe('without CRS_CDS_ADMIN_TOKEN', () => {
  test.each(['/analytics', '/admin', '/admin/', '/admin/assets/main-abc.js'])('%s answers 404', async (path) => {
    const { app } = await harness();
    const res = await request(app).get(path).set('Authorization', `Bearer ${TOKEN}`).expect(404);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });

  test('an empty variable is off, a short one refuses to start, a long one is the token', () => {
    expect(adminTokenFromEnv({})).toBeUndefined();
    expect(adminTokenFromEnv({ CRS_CDS_ADMIN_TOKEN: '' })).toBeUndefined();
    expect(() => adminTokenFromEnv({ CRS_CDS_ADMIN_TOKEN: 'short-secret' })).toThrow('CRS_CDS_ADMIN_TOKEN must be at least 32 characters (e.g. openssl rand -hex 32)');
    expect(() => adminTokenFromEnv({ CRS_CDS_ADMIN_TOKEN: 'short-secret' })).not.toThrow(/short-secret/);
    expect(adminTokenFromEnv({ CRS_CDS_ADMIN_TOKEN: TOKEN })).toBe(TOKEN);
  });
});

describe('GET /analytics', () => {
  test.each([
    ['no header', undefined],
    ['another token', 'Bearer admin-token-00000000000000000000000000000000'],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, -1)}`],
    ['the token with more', `Bearer ${TOKEN}x`],
    ['another scheme', `Basic ${TOKEN}`],
  ])('refuses %s with 401 and a Bearer challenge', async (_name, header) => {
    const { app, lines } = await harness({ token: TOKEN });
    const req = request(app).get('/analytics');
    if (header !== undefined) req.set('Authorization', header);
    const res = await req.expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="crs-cds-admin"');
    expect(res.body).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'invalid', diagnostics: 'A valid administrator bearer token is required' }],
    });
    expect(lines.join('\n')).not.toContain(TOKEN.slice(12));
  });

  test('answers the analytics of the range and service, not cached', async () => {
    const { app, lines } = await harness({ token: TOKEN });
    const res = await request(app).get('/analytics?from=2026-11-01&to=2026-11-30&service=crs-patient-view').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
      service: 'crs-patient-view',
      totals: { cards: 1, ignored: 1 },
      byTemplate: [{ key: 'crs-grade-2', cards: 1 }],
    });
    const all = await request(app).get('/analytics').set('Authorization', `bearer ${TOKEN}`).expect(200);
    expect(all.body.totals.cards).toBe(2);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  test('refuses a bad parameter with 400 naming it', async () => {
    const { app } = await harness({ token: TOKEN });
    const res = await request(app).get('/analytics?to=2026-13-01').set('Authorization', `Bearer ${TOKEN}`).expect(400);
    expect(res.body.issue).toEqual([{ severity: 'error', code: 'invalid', diagnostics: 'to must be a date (YYYY-MM-DD) or an ISO-8601 time with an offset', expression: ['to'] }]);
  });
});

describe('GET /admin', () => {
  test('serves the page shell (no data) at /admin and /admin/ under helmet CSP, and its assets', async () => {
    const { app } = await harness({ token: TOKEN });
    for (const path of ['/admin', '/admin/']) {
      const res = await request(app).get(path).expect(200).expect('Content-Type', /html/);
      expect(res.text).toContain('<title>crs-cds analytics</title>');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    }
    await request(app).get('/admin/assets/main-abc.js').expect(200).expect('Content-Type', /javascript/);
    await request(app).get('/admin/assets/missing.js').expect(404);
  });

  test('answers 503 naming the build step when the dashboard is not built', async () => {
    const { app } = await harness({ token: TOKEN, dashboardDir: join(dashboard, 'nowhere') });
    const res = await request(app).get('/admin').expect(503);
    expect(res.body.issue[0].diagnostics).toBe('The dashboard is not built (npm run build:admin)');
  });
});
