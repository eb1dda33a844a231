/**
 * The informatics endpoints in the real server process (`npm start`): CRS_CDS_ADMIN_TOKEN turns them on,
 * a card answered by a hook call shows in /analytics from the configured SQLite file (and in
 * `crs-cds report` beside the running server), a short token stops start-up without printing it, and
 * without the variable both endpoints answer 404.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { crsPatientView } from '../../hooks/crs-patient-view.js';
import { runReport } from '../../src/cli/report-command.js';
import { captureIo } from '../cli/helpers.js';
import { exited, startServerProcess, type ServerProcess } from '../support/server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'crs-informatics-'));
const configPath = join(dir, 'site.yaml');
writeFileSync(configPath, `storage:\n  sqlitePath: ${JSON.stringify(join(dir, 'data', 'crs-cds.sqlite'))}\n  retentionDays: 30\n`);
const TOKEN = 'e2e-admin-token-7c1d9a3f5b2e8d4c6a0f1e3b5d7c9a2e';
const servers: ServerProcess[] = [];
afterAll(async () => {
  for (const s of servers) {
    s.child.kill('SIGTERM');
    await exited(s.child);
  }
  rmSync(dir, { recursive: true, force: true });
});

/** A patient-view request for a CAR-T patient febrile an hour ago (the server grades at its own clock): grade 1. */
function febrileNow(): unknown {
  const ago = (hours: number): string => new Date(Date.now() - hours * 3_600_000).toISOString();
  const prefetch: Record<string, unknown> = Object.fromEntries(Object.keys(crsPatientView.prefetch).map((k) => [k, null]));
  prefetch['temperature'] = {
    resourceType: 'Bundle',
    type: 'searchset',
    entry: [{ resource: { resourceType: 'Observation', id: 't1', status: 'final', subject: { reference: 'Patient/p1' }, code: { coding: [{ system: 'http://loinc.org', code: '8310-5' }] }, effectiveDateTime: ago(1), valueQuantity: { value: 38.6, system: 'http://unitsofmeasure.org', code: 'Cel' } } }],
  };
  prefetch['medicationAdministrations'] = {
    resourceType: 'Bundle',
    type: 'searchset',
    entry: [{ resource: { resourceType: 'MedicationAdministration', id: 'm1', status: 'completed', subject: { reference: 'Patient/p1' }, medicationCodeableConcept: { text: 'axicabtagene ciloleucel' }, effectiveDateTime: ago(48) } }],
  };
  return { hook: 'patient-view', hookInstance: 'd1577c69-dfbe-44ad-ba6d-3e05e953b2ea', context: { userId: 'Practitioner/1', patientId: 'p1' }, prefetch };
}

function start(env: Record<string, string>): ServerProcess {
  const server = startServerProcess({ CRS_CDS_CONFIG: configPath, ...env });
  servers.push(server);
  return server;
}

describe('the server process', () => {
  test('serves the analytics of the cards it answered, to the token only', async () => {
    const server = start({ CRS_CDS_ADMIN_TOKEN: TOKEN });
    const base = await server.baseUrl();
    expect((await server.waitForLog('crs-cds listening'))['admin']).toBe('on');
    const hook = await fetch(`${base}/cds-services/crs-patient-view`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(febrileNow()) });
    expect(hook.status).toBe(200);
    const { cards } = (await hook.json()) as { cards: { uuid: string }[] };
    expect(cards).toHaveLength(1);

    expect((await fetch(`${base}/analytics`)).status).toBe(401);
    const res = await fetch(`${base}/analytics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    const analytics = (await res.json()) as { totals: { cards: number; ignored: number }; byTemplate: { key: string }[] };
    expect(analytics.totals).toMatchObject({ cards: 1, ignored: 1 });
    expect(analytics.byTemplate.map((r) => r.key)).toEqual(['crs-grade-1']);
    const page = await fetch(`${base}/admin`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('crs-cds card analytics');

    const io = captureIo();
    expect(await runReport(['--config', configPath], io, {})).toBe(0);
    expect(io.out()).toContain('template,crs-grade-1,,1,0,0,1,0,0,100');
    expect(JSON.stringify(server.logs())).not.toContain(TOKEN);
  }, 40_000);

  test('without the token, /analytics and /admin answer 404', async () => {
    const server = start({ CRS_CDS_ADMIN_TOKEN: '' });
    const base = await server.baseUrl();
    expect((await fetch(`${base}/analytics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    expect((await fetch(`${base}/admin`)).status).toBe(404);
  }, 40_000);

  test('a token shorter than 32 characters stops start-up without printing it', async () => {
    const server = start({ CRS_CDS_ADMIN_TOKEN: 'too-short-secret-1234' });
    let stderr = '';
    server.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => server.child.on('exit', resolve));
    expect(code).toBe(1);
    expect(server.logs().find((r) => r['level'] === 60)).toMatchObject({ msg: 'cannot start', error: 'CRS_CDS_ADMIN_TOKEN must be at least 32 characters (e.g. openssl rand -hex 32)' });
    expect(JSON.stringify(server.logs()) + stderr).not.toContain('too-short-secret-1234');
  }, 40_000);
});
