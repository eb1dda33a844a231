/**
 * One storage interface, two implementations, one contract (issue 13): the embedded SQLite store and
 * PostgreSQL (a fresh database on the test server) pass the same suite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { createLogger } from '../../src/logger.js';
import { openStorage } from '../../src/storage/storage.js';
import { createTestDatabase } from '../support/test-database.js';
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
