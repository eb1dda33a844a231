/**
 * The real server process (`node --import tsx src/server.ts`, what `npm start` runs): it refuses an invalid
 * configuration at start-up naming the field, serves discovery, and on SIGHUP applies a valid new
 * configuration to the next call while refusing an invalid one and keeping the running one.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { crsPatientView } from '../../hooks/crs-patient-view.js';
import { relativeTo } from '../../scripts/shift-times.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'crs-server-'));
const configPath = join(dir, 'site.yaml');
// The fixture is written for 2026-11-21T10:00:00Z; the server grades with the wall clock, so its times
// are moved to now (on any other date its data would fall outside the 24-hour window).
const bundle = relativeTo(JSON.parse(readFileSync(new URL('../fixtures/cli/grade-2-bundle.json', import.meta.url), 'utf8')), new Date());

function startServer(env: Record<string, string> = {}): ServerProcess {
  return startServerProcess({ CRS_CDS_CONFIG: configPath, ...env });
}

function gradeRequest(): unknown {
  return {
    hook: 'patient-view',
    hookInstance: 'd1577c69-dfbe-44ad-ba6d-3e05e953b2ea',
    context: { userId: 'Practitioner/1', patientId: 'pat-1' },
    // Every key known empty (null) except one holding the whole fixture: no FHIR server needed.
    prefetch: Object.fromEntries(Object.keys(crsPatientView.prefetch).map((k) => [k, null])),
  };
}

describe('a misconfigured server', () => {
  test('refuses to start and names each bad field', async () => {
    writeFileSync(configPath, 'grading:\n  feverCelsius: 50\n  sbpBelo: 90\n');
    const server = startServer();
    const exitCode = await new Promise<number | null>((resolve) => server.child.on('exit', resolve));
    expect(exitCode).toBe(1);
    const fatal = server.logs().find((r) => r['msg'] === 'invalid configuration; not starting');
    const paths = (fatal?.['problems'] as { path: string }[]).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['grading.feverCelsius', 'grading.sbpBelo']));
  });

  test.each([
    ['LOG_LEVEL', 'verbose', /LOG_LEVEL must be one of/],
    ['PORT', 'abc', /PORT must be a whole number/],
  ])('refuses a bad %s with one log line and no stack trace', async (name, value, reason) => {
    writeFileSync(configPath, '{}\n');
    const server = startServer({ [name]: value });
    let stderr = '';
    server.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exitCode = await new Promise<number | null>((resolve) => server.child.on('exit', resolve));
    expect(exitCode).toBe(1);
    expect(String(server.logs().find((r) => r['level'] === 60)?.['msg'])).toMatch(reason);
    expect(stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });
});

describe('a running server', () => {
  let server: ServerProcess;
  let baseUrl: string;

  beforeAll(async () => {
    writeFileSync(configPath, 'grading:\n  sbpBelow: 90\n');
    server = startServer();
    baseUrl = await server.baseUrl();
  });

  afterAll(() => {
    server.child.kill('SIGTERM');
  });

  async function gradeOf(): Promise<unknown> {
    // The grade-2 fixture as an EHR would prefetch it: every key answered from one Bundle.
    const body = gradeRequest() as { prefetch: Record<string, unknown> };
    body.prefetch[Object.keys(crsPatientView.prefetch)[0] as string] = { resourceType: 'Bundle', type: 'searchset', entry: bundle.entry };
    const res = await fetch(`${baseUrl}/cds-services/crs-patient-view`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as any).extension?.['crs-cds.assessment']?.grade;
  }

  test('serves discovery with the three services', async () => {
    const res = await fetch(`${baseUrl}/cds-services`);
    const ids = ((await res.json()) as { services: { id: string }[] }).services.map((s) => s.id);
    expect(ids).toEqual(['crs-patient-view', 'crs-order-select', 'crs-order-sign']);
  });

  test('on SIGHUP applies a valid new threshold to the next call, and keeps it when the next file is invalid', async () => {
    expect(await gradeOf()).toBe(2); // H1: SBP 84 < 90

    writeFileSync(configPath, 'grading:\n  sbpBelow: 80\n');
    let seen = server.logs().length;
    server.child.kill('SIGHUP');
    await server.waitForLog('configuration reloaded', seen);
    expect(await gradeOf()).toBe(1); // SBP 84 is no longer hypotension

    writeFileSync(configPath, 'grading:\n  sbpBelow: -5\n');
    seen = server.logs().length;
    server.child.kill('SIGHUP');
    const refused = await server.waitForLog('configuration reload failed; keeping the running configuration', seen);
    expect(JSON.stringify(refused)).toContain('grading.sbpBelow');
    expect(await gradeOf()).toBe(1);
  });

  test('keeps the running auth on reload and says a restart is needed: /readyz never claims auth it does not enforce', async () => {
    writeFileSync(configPath, [
      'auth:',
      '  audience: "https://cds.example.org/cds-services"',
      '  trustedIssuers:',
      '    - iss: "https://ehr.example.org"',
      '      jwksUrl: "https://ehr.example.org/.well-known/jwks.json"',
      '',
    ].join('\n'));
    const seen = server.logs().length;
    server.child.kill('SIGHUP');
    const warning = await server.waitForLog('configuration reload: these sections take effect only after a restart; their running values stay', seen);
    expect(warning['sections']).toEqual(['auth']);
    await server.waitForLog('configuration reloaded', seen);
    const ready = (await (await fetch(`${baseUrl}/readyz`)).json()) as { authentication: { enabled: boolean } };
    expect(ready.authentication.enabled).toBe(false);
  });
});
