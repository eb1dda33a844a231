/**
 * One storage interface, two implementations, one contract (issue 13): the embedded SQLite store and
 * PostgreSQL (a fresh database on the test server) pass the same suite, and the same audit-trail
 * contract (issue 11) through `openStorage`, as the server opens them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { afterAll } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { createLogger } from '../../src/logger.js';
import { openStorage } from '../../src/storage/storage.js';
import { createTestDatabase, queryRows } from '../support/test-database.js';
import { auditStoreContract } from './audit-store-contract.js';
import { describeStorageContract } from './storage-contract.js';

const logger = createLogger('silent');

describeStorageContract('sqlite', false, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'crs-contract-'));
  const config = { ...DEFAULT_CONFIG.storage, kind: 'sqlite' as const, sqlitePath: join(dir, 'crs-cds.sqlite') };
  return {
    open: () => openStorage(config, { env: {}, logger }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describeStorageContract('postgres', true, async () => {
  const database = await createTestDatabase();
  const config = { ...DEFAULT_CONFIG.storage, kind: 'postgres' as const };
  return {
    open: () => openStorage(config, { env: { DATABASE_URL: database.url }, logger }),
    cleanup: database.drop,
  };
});

auditStoreContract('SQLite through openStorage (one connection)', async () => {
  const storage = await openStorage({ ...DEFAULT_CONFIG.storage, kind: 'sqlite', sqlitePath: ':memory:' }, { env: {}, logger });
  return { audit: storage.audit, feedback: storage.feedback, dispose: storage.close };
});

let auditDatabase: ReturnType<typeof createTestDatabase> | undefined;
afterAll(async () => {
  if (auditDatabase !== undefined) await (await auditDatabase).drop();
});
auditStoreContract('PostgreSQL through openStorage', async () => {
  const { url } = await (auditDatabase ??= createTestDatabase());
  const storage = await openStorage({ ...DEFAULT_CONFIG.storage, kind: 'postgres' }, { env: { DATABASE_URL: url }, logger });
  // Fresh and empty for each test: the tables of the one database of this file.
  await queryRows(url, 'TRUNCATE audit_card, feedback');
  return { audit: storage.audit, feedback: storage.feedback, dispose: storage.close };
});
