/**
 * The PostgreSQL connection URL: where it comes from (`storage.url`, else `DATABASE_URL`), whether it
 * is one, and how it may appear in logs and reports: never with its password (issue 13).
 */
import { ConfigError } from '../config/config-error.js';
import type { StorageConfig } from '../config/types.js';

const PROTOCOLS: ReadonlySet<string> = new Set(['postgres:', 'postgresql:']);

/**
 * The URL parsed, when it is a `postgres://` or `postgresql://` URL with a host or a socket directory.
 * @param text - a candidate connection URL
 */
export function parseDatabaseUrl(text: string): URL | undefined {
  if (!URL.canParse(text)) {
    return undefined;
  }
  const url = new URL(text);
  const hasHost = url.hostname !== '' || url.searchParams.has('host');
  return PROTOCOLS.has(url.protocol) && hasHost ? url : undefined;
}

/**
 * The connection URL of a `postgres` storage: `storage.url` when set, else `DATABASE_URL`.
 * @param storage - the `storage` section
 * @param env - usually `process.env`
 * @throws ConfigError naming the setting (never its value) when there is none or it is not a PostgreSQL URL
 */
export function resolveDatabaseUrl(storage: StorageConfig, env: Readonly<Record<string, string | undefined>>): string {
  const fromEnv = env['DATABASE_URL'];
  const [path, text] = storage.url !== undefined ? ['storage.url', storage.url] : ['DATABASE_URL', fromEnv];
  if (text === undefined || text.trim() === '') {
    throw new ConfigError([{ path: 'storage.url', message: 'storage.kind is postgres: set storage.url or the DATABASE_URL environment variable' }]);
  }
  if (parseDatabaseUrl(text) === undefined) {
    throw new ConfigError([{ path, message: 'must be a postgres:// or postgresql:// URL with a host' }]);
  }
  return text;
}

/**
 * The URL with its password replaced by `***` (for reports such as `check-config`); text that is not a
 * URL is replaced whole, since it cannot be told where a password would be.
 * @param text - a connection URL
 */
export function redactDatabaseUrl(text: string): string {
  if (!URL.canParse(text)) {
    return '***';
  }
  const url = new URL(text);
  if (url.password !== '') {
    url.password = '***';
  }
  for (const key of [...url.searchParams.keys()]) {
    if (key.toLowerCase() === 'password') url.searchParams.set(key, '***');
  }
  return url.toString();
}

/** Whether the URL carries a password (in its user info or as a `password` parameter). */
export function databaseUrlHasPassword(text: string): boolean {
  return URL.canParse(text) && redactDatabaseUrl(text) !== new URL(text).toString();
}

/** Where a database is, for a log line: host, port, database and user; never the password. */
export interface DatabaseLocation {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user?: string;
}

/**
 * The loggable location of a connection URL already checked by `resolveDatabaseUrl`.
 * @param text - the connection URL
 */
export function databaseLocation(text: string): DatabaseLocation {
  const url = new URL(text);
  const user = decodeURIComponent(url.username) || (url.searchParams.get('user') ?? '');
  return {
    host: url.hostname === '' ? (url.searchParams.get('host') ?? '') : url.hostname,
    port: url.port === '' ? 5432 : Number(url.port),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || user,
    ...(user === '' ? {} : { user }),
  };
}
