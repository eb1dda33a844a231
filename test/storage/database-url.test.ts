/**
 * The PostgreSQL URL (issue 13): `storage.url` before `DATABASE_URL`, refused by name and never echoed
 * when it is not a PostgreSQL URL, and never shown with its password (check-config, logs, warnings).
 */
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { formatEffectiveConfig } from '../../src/config/effective-config.js';
import { ConfigError, parseConfig } from '../../src/config/load-config.js';
import { configWarnings } from '../../src/config/warnings.js';
import { databaseLocation, redactDatabaseUrl, resolveDatabaseUrl } from '../../src/storage/database-url.js';
import { problemsOf } from '../config/helpers.js';

const SECRET = 'pw-7c1e0f42';
const postgres = { ...DEFAULT_CONFIG.storage, kind: 'postgres' as const };

describe('resolveDatabaseUrl', () => {
  test('takes storage.url first, then DATABASE_URL', () => {
    expect(resolveDatabaseUrl({ ...postgres, url: 'postgres://a@db1/x' }, { DATABASE_URL: 'postgres://b@db2/y' })).toBe('postgres://a@db1/x');
    expect(resolveDatabaseUrl(postgres, { DATABASE_URL: 'postgresql://b@db2/y' })).toBe('postgresql://b@db2/y');
  });

  test('refuses postgres without any URL, naming the setting', () => {
    const attempt = (): string => resolveDatabaseUrl(postgres, { DATABASE_URL: ' ' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([{ path: 'storage.url', message: 'storage.kind is postgres: set storage.url or the DATABASE_URL environment variable' }]);
    }
  });

  test.each([`mysql://u:${SECRET}@db/x`, `not a url ${SECRET}`, `postgres://u:${SECRET}@/x`])('refuses %s by name without echoing it', (text) => {
    try {
      resolveDatabaseUrl(postgres, { DATABASE_URL: text });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([{ path: 'DATABASE_URL', message: 'must be a postgres:// or postgresql:// URL with a host' }]);
      expect(JSON.stringify((error as ConfigError).problems)).not.toContain(SECRET);
    }
  });

  test('accepts a socket directory given as the host parameter', () => {
    expect(resolveDatabaseUrl(postgres, { DATABASE_URL: 'postgres:///crs?host=/run/postgresql&user=crs' })).toContain('host=');
  });
});

describe('the password never shows', () => {
  test('redactDatabaseUrl hides the user-info and parameter passwords, and all of a text that is no URL', () => {
    expect(redactDatabaseUrl(`postgres://crs:${SECRET}@db.example.org:5433/crs?sslmode=verify-full`)).toBe('postgres://crs:***@db.example.org:5433/crs?sslmode=verify-full');
    expect(redactDatabaseUrl(`postgres://crs@db/crs?password=${SECRET}`)).toBe('postgres://crs@db/crs?password=***');
    expect(redactDatabaseUrl(`garbage ${SECRET}`)).toBe('***');
  });

  test('databaseLocation gives host, port, database and user only', () => {
    expect(databaseLocation(`postgres://crs:${SECRET}@db.example.org/crs_cds`)).toEqual({ host: 'db.example.org', port: 5432, database: 'crs_cds', user: 'crs' });
    expect(databaseLocation('postgres:///crs?host=/run/postgresql&user=crs')).toEqual({ host: '/run/postgresql', port: 5432, database: 'crs', user: 'crs' });
  });

  test('a bad storage.url in a file is a problem naming the key, not its value', () => {
    expect(problemsOf({ storage: { kind: 'postgres', url: `http://u:${SECRET}@db/x` } })).toEqual([
      { path: 'storage.url', message: 'must be a postgres:// or postgresql:// URL with a host' },
    ]);
  });

  test('check-config shows storage.url without its password and warns to move it to a secret', () => {
    const config = parseConfig({ storage: { kind: 'postgres', url: `postgres://crs:${SECRET}@db.example.org/crs` } });
    const shown = formatEffectiveConfig(config, 'yaml') + formatEffectiveConfig(config, 'json') + configWarnings(config).join('\n');
    expect(shown).not.toContain(SECRET);
    expect(shown).toContain('postgres://crs:***@db.example.org/crs');
    expect(configWarnings(config)).toContain('storage.url: carries a password; keep it in DATABASE_URL (or PGPASSWORD) from a secret, not in the configuration file');
  });

  test('warns that storage.url is ignored with the embedded store', () => {
    expect(configWarnings(parseConfig({ storage: { url: 'postgres://crs@db/crs' } }))).toContain('storage.url: ignored while storage.kind is "sqlite"');
  });
});
