/**
 * Two real crs-cds processes on one PostgreSQL (issue 13), as replicas behind a load balancer: started
 * together on an empty database (migrations applied once, no error); a JWT accepted by replica A is
 * refused by replica B; the per-issuer limit counts calls on both; feedback sent to either lands in one
 * store; `kill -9` of one replica under feedback load loses no acknowledged entry while the other keeps
 * serving; SIGTERM closes a replica's pool. The connection URL carries a password that must never reach
 * a log line.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AUDIENCE, ISS, makeKey, signHookJwt, type SigningKey } from '../security/support/jwt-fixtures.js';
import { exited, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { createTestDatabase, queryRows, type TestDatabase } from '../support/test-database.js';

const PASSWORD = 'replica-db-pw-41c9';
const LIMITED_ISS = 'https://limited-ehr.example.org';
const FEEDBACK = '/cds-services/crs-patient-view/feedback';

const dir = mkdtempSync(join(tmpdir(), 'crs-replicas-'));
const started: ServerProcess[] = [];
let database: TestDatabase;
let databaseUrl: string;
let key: SigningKey;

beforeAll(async () => {
  database = await createTestDatabase();
  const url = new URL(database.url);
  url.password = PASSWORD; // the test cluster trusts local connections: the password is only carried
  databaseUrl = url.toString();
  key = await makeKey('ES384', 'replica-key');
});
afterAll(async () => {
  for (const server of started) {
    server.child.kill('SIGKILL');
    await exited(server.child);
  }
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

function startReplica(configYaml: string, name: string): ServerProcess {
  const configPath = join(dir, `${name}.yaml`);
  writeFileSync(configPath, configYaml);
  const server = startServerProcess({ CRS_CDS_CONFIG: configPath, DATABASE_URL: databaseUrl });
  started.push(server);
  return server;
}

/** A token valid now (the replicas use the wall clock) for the endpoint `path`. */
async function token(path: string, iss = ISS): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signHookJwt(key, `${AUDIENCE}${path.replace('/cds-services', '')}`, { claims: { iss, iat: now - 5, exp: now + 240 } });
}

const feedbackBody = (card = randomUUID()): string =>
  JSON.stringify({ feedback: [{ card, outcome: 'overridden', outcomeTimestamp: new Date().toISOString() }] });

async function postFeedback(base: string, bearer: string | undefined, body = feedbackBody()): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (bearer !== undefined) headers['authorization'] = `Bearer ${bearer}`;
  return (await fetch(`${base}${FEEDBACK}`, { method: 'POST', headers, body })).status;
}

const storedCards = async (): Promise<Set<string>> =>
  new Set((await queryRows<{ card_uuid: string }>(database.url, 'SELECT card_uuid FROM feedback')).map((row) => row.card_uuid));

describe('two authenticated replicas started together on an empty database', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  let baseA: string;
  let baseB: string;

  beforeAll(async () => {
    const jwks = JSON.stringify({ keys: [key.publicJwk] });
    const config = [
      'storage:',
      '  kind: postgres',
      'auth:',
      `  audience: ${AUDIENCE}`,
      '  rateLimitPerMinute: 5',
      '  trustedIssuers:',
      `    - { iss: "${ISS}", jwks: ${jwks} }`,
      `    - { iss: "${LIMITED_ISS}", jwks: ${jwks} }`,
    ].join('\n');
    [a, b] = [startReplica(config, 'a'), startReplica(config, 'b')];
    [baseA, baseB] = await Promise.all([a.baseUrl(), b.baseUrl()]);
  }, 60_000);

  test('both are ready after applying each migration exactly once between them', async () => {
    for (const base of [baseA, baseB]) expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const versions = await queryRows<{ version: number }>(database.url, 'SELECT version FROM schema_migrations ORDER BY version');
    expect(versions.map((row) => row.version)).toEqual([1, 2, 3]);
    const migrated = [...a.logs(), ...b.logs()].filter((line) => line['event'] === 'storage.migrated');
    expect(migrated.map((line) => line['version']).sort()).toEqual([1, 2, 3]);
    expect([...a.logs(), ...b.logs()].filter((line) => Number(line['level']) >= 50)).toEqual([]);
  });

  test('a token accepted by replica A is refused when replayed on replica B', async () => {
    const bearer = await token(FEEDBACK);
    expect(await postFeedback(baseA, bearer)).toBe(200);
    expect(await postFeedback(baseB, bearer)).toBe(401);
    expect(await postFeedback(baseA, bearer)).toBe(401);
  });

  test('feedback sent to either replica lands in the one store', async () => {
    const [cardA, cardB] = [randomUUID(), randomUUID()];
    expect(await postFeedback(baseA, await token(FEEDBACK), feedbackBody(cardA))).toBe(200);
    expect(await postFeedback(baseB, await token(FEEDBACK), feedbackBody(cardB))).toBe(200);
    const stored = await storedCards();
    expect(stored.has(cardA) && stored.has(cardB)).toBe(true);
  });

  test('the per-issuer limit counts the calls made on both replicas', async () => {
    const statuses: number[] = [];
    for (const base of [baseA, baseB, baseA, baseB, baseA, baseB]) statuses.push(await postFeedback(base, await token(FEEDBACK, LIMITED_ISS)));
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  test('SIGTERM stops each replica cleanly and closes its connections', async () => {
    for (const server of [a, b]) server.child.kill('SIGTERM');
    await Promise.all([exited(a.child), exited(b.child)]);
    expect([a.child.exitCode, b.child.exitCode]).toEqual([0, 0]);
    // A backend leaves pg_stat_activity a moment after its client said goodbye: poll briefly.
    let sessions = '';
    for (let waited = 0; waited <= 5000 && sessions !== '0'; waited += 100) {
      if (waited > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      const rows = await queryRows<{ count: string }>(database.url, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'crs-cds' AND datname = current_database()");
      sessions = rows[0]?.count ?? '';
    }
    expect(sessions).toBe('0');
  });
});

describe('kill -9 of one replica under feedback load', () => {
  test('loses no acknowledged entry, and the other replica keeps serving', async () => {
    const config = 'storage:\n  kind: postgres\n';
    const [a, b] = [startReplica(config, 'load-a'), startReplica(config, 'load-b')];
    const [baseA, baseB] = await Promise.all([a.baseUrl(), b.baseUrl()]);
    const acknowledged = new Set<string>();
    let acknowledgedByBAfterKill = 0;
    let killed = false;
    let stop = false;

    const client = async (base: string): Promise<void> => {
      while (!stop) {
        const card = randomUUID();
        try {
          if ((await postFeedback(base, undefined, feedbackBody(card))) === 200) {
            acknowledged.add(card);
            if (killed && base === baseB) acknowledgedByBAfterKill += 1;
          }
        } catch {
          if (base === baseA) return; // A died with this call in flight: never acknowledged
        }
      }
    };
    const clients = Array.from({ length: 16 }, (_, i) => client(i % 2 === 0 ? baseA : baseB));
    while (acknowledged.size < 300) await new Promise((resolve) => setTimeout(resolve, 10));
    a.child.kill('SIGKILL');
    killed = true;
    await exited(a.child);
    while (acknowledgedByBAfterKill < 100) await new Promise((resolve) => setTimeout(resolve, 10));
    stop = true;
    await Promise.all(clients);

    const stored = await storedCards();
    expect([...acknowledged].filter((card) => !stored.has(card))).toEqual([]);
    expect(acknowledged.size).toBeGreaterThanOrEqual(400);
    expect((await fetch(`${baseB}/readyz`)).status).toBe(200);
  }, 120_000);
});

test('no replica ever logged the database password', () => {
  const lines = started.flatMap((server) => server.logs().map((line) => JSON.stringify(line)));
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.filter((line) => line.includes(PASSWORD))).toEqual([]);
});
